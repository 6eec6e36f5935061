// apt: installs, upgrades or removes Debian packages in one apt-get call, planning from dpkg's status and apt's candidates.
import type { Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import type { HostThing, Plan, RemoteModule } from '../types.js';
import { specFields } from '../spec.js';
import { aptSpec, parseAptArgs, type AptArgs, type AptPackage } from './apt-args.js';
import { aptProbeScript, parseAptProbe, type AptHost, type PackageState } from './apt-probe.js';
import { aptFailure, aptStepScript, parseAfter } from './apt-script.js';

type Action = 'install' | 'upgrade' | 'remove' | 'purge';

interface Decision {
  pkg: AptPackage;
  action?: Action;
  /** What apt-get is given: `name` or `name=version`. */
  target: string;
  /** Version it would end at, when apt's lists already tell. */
  version?: string;
  /** Install needed but apt has no candidate (yet). */
  missing?: boolean;
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

function decide(args: AptArgs, pkg: AptPackage, st: PackageState): Decision {
  const base: Decision = { pkg, target: pkg.name };
  if (args.state === 'absent') {
    if (st.installed !== undefined) return { ...base, action: args.purge ? 'purge' : 'remove', version: st.installed };
    return args.purge && st.configFiles ? { ...base, action: 'purge' } : base;
  }
  if (pkg.version !== undefined) {
    const pin = pkg.version;
    if (st.installed !== undefined && globMatch(pin, st.installed)) return base;
    const version = pin.includes('*') ? st.versions.find((v) => globMatch(pin, v)) : st.versions.includes(pin) ? pin : undefined;
    const action = st.installed === undefined ? 'install' : 'upgrade';
    return { ...base, action, target: `${pkg.name}=${version ?? pin}`, version, missing: version === undefined };
  }
  if (st.installed === undefined) return { ...base, action: 'install', version: st.candidate, missing: st.candidate === undefined };
  if (args.state === 'latest' && st.candidate !== undefined && st.candidate !== st.installed) return { ...base, action: 'upgrade', version: st.candidate };
  return base;
}

function age(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'this host has none yet';
  if (seconds < 120) return `${seconds} s old`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min old`;
  return seconds < 172800 ? `${Math.round(seconds / 3600)} h old` : `${Math.round(seconds / 86400)} days old`;
}

function describe(d: Decision, st: PackageState, updating: boolean): string {
  const name = d.pkg.name;
  switch (d.action) {
    case 'install':
      return d.version !== undefined ? `install ${name} ${d.version}` : updating ? `install ${name} (version known once the package lists are updated)` : `install ${name}`;
    case 'upgrade':
      return `${d.pkg.version === undefined ? 'upgrade' : 'change'} ${name} ${st.installed} -> ${d.version ?? d.target.slice(name.length + 1)}`;
    case 'remove':
      return `remove ${name} ${d.version}`;
    default:
      return d.version !== undefined ? `purge ${name} ${d.version}` : `purge the configuration files left by ${name}`;
  }
}

export function planApt(args: AptArgs, host: AptHost | { error: string }): Plan {
  if ('error' in host) return { changes: [], steps: [], failure: { msg: host.error } };
  if (!host.hasApt) return { changes: [], steps: [], failure: { msg: 'apt-get is not installed on this host: the apt module manages Debian and Ubuntu packages' } };
  const stale = args.cacheValidTime > 0 ? host.listsAge > args.cacheValidTime : true;
  const updating = args.updateCache && stale;
  const listsWhy = `package lists ${age(host.listsAge)}${args.cacheValidTime > 0 ? `, cache_valid_time ${args.cacheValidTime} s` : ''}`;

  const decisions = args.packages.map((p) => ({ d: decide(args, p, host.packages.get(p.name)!), st: host.packages.get(p.name)! }));
  const missing = decisions.filter(({ d }) => d.missing && !updating).map(({ d }) => d.target);
  const packageData: Vars = Object.fromEntries(decisions.map(({ d, st }) => [d.pkg.name, { installed: st.installed ?? null, candidate: st.candidate ?? null }]));
  const acting = decisions.filter(({ d }) => d.action !== undefined);
  const listed = (...actions: Action[]) => acting.filter(({ d }) => actions.includes(d.action!)).map(({ d }) => d.pkg.name);
  const data: Vars = { packages: packageData, installed: listed('install'), upgraded: listed('upgrade'), removed: listed('remove', 'purge') };

  // What installing would create, for check-mode forecasts: the packages (and with them their files, users, units).
  const installs = (names: string[]): HostThing[] => (args.state === 'absent' ? [] : names.map((name) => ({ kind: 'package', name })));
  if (missing.length > 0) {
    const empty = !Number.isFinite(host.listsAge);
    return {
      changes: [],
      steps: [],
      provides: installs(args.packages.map((p) => p.name)),
      data: { ...data, cache_updated: false },
      failure: {
        msg: `no installation candidate for ${missing.join(', ')} in this host's package lists (${listsWhy})`
          + (empty ? '; set update_cache: true so they are fetched first' : '; check the name and the apt sources, or set update_cache: true'),
        // An earlier task (adding an apt source, refreshing the lists) may not have run yet in check mode.
        needs: [{ kind: 'package-lists' }],
      },
    };
  }

  const changes = acting.map(({ d, st }) => describe(d, st, updating));
  // Refreshing the lists is part of installing, not a change of its own, except when it is all the task does,
  // or when `latest` cannot be judged from lists older than cache_valid_time.
  const updateOnly = updating && (args.packages.length === 0 || (acting.length === 0 && args.state === 'latest' && args.cacheValidTime > 0));
  if (updateOnly) changes.push(`update the apt package lists (${listsWhy})`);
  if (changes.length === 0) return { changes, steps: [], data: { ...data, cache_updated: false } };

  const removing = args.state === 'absent';
  const options = removing
    ? (args.purge ? ['--purge'] : [])
    : [
      ...(args.installRecommends === undefined ? [] : ['-o', `APT::Install-Recommends=${args.installRecommends ? 'yes' : 'no'}`]),
      ...(args.defaultRelease !== undefined ? ['-t', args.defaultRelease] : []),
      // A pin may name an older version than the installed one.
      ...(acting.some(({ d }) => d.pkg.version !== undefined) ? ['--allow-downgrades'] : []),
    ];
  const targets = acting.map(({ d }) => d.target);
  const script = aptStepScript({
    update: updating,
    command: acting.length ? { verb: removing ? 'remove' : 'install', options, targets } : undefined,
    report: acting.map(({ d }) => d.pkg.name),
    lockTimeout: args.lockTimeout,
    ...(args.policyRcD !== undefined ? { policyRcD: args.policyRcD } : {}),
  });
  return {
    changes,
    provides: [...installs(listed('install', 'upgrade')), ...(updating ? [{ kind: 'package-lists' } as const] : [])],
    steps: [{ script }],
    data: { ...data, cache_updated: updating },
    afterApply: (results) => afterApt(args, acting.map(({ d }) => d), packageData, results),
  };
}

function afterApt(args: AptArgs, acting: Decision[], before: Vars, results: ExecResult[]): { data?: Vars; failed?: string } {
  const r = results[results.length - 1];
  if (!r) return {};
  const io = { stdout: r.stdout, stderr: r.stderr };
  if (r.code !== 0) return { data: io, failed: aptFailure(r, args.lockTimeout) };
  const after = parseAfter(r.stdout);
  const packages: Vars = { ...before };
  for (const [name, version] of after) packages[name] = { ...(before[name] as Vars), installed: version ?? null };
  const wrong = acting.filter((d) => (args.state === 'absent') !== (after.get(d.pkg.name) === undefined)).map((d) => d.pkg.name);
  if (wrong.length > 0) {
    return { data: { ...io, packages }, failed: `apt-get succeeded but ${wrong.join(', ')} ${args.state === 'absent' ? 'is still installed' : 'is not installed'} (a virtual package? name the real one)` };
  }
  return { data: { ...io, packages } };
}

export const aptModule: RemoteModule<AptArgs> = {
  kind: 'remote',
  name: 'apt',
  ...specFields(aptSpec),
  parse: parseAptArgs,
  probe: (args) => ({ script: aptProbeScript(args.packages, args.defaultRelease) }),
  plan: (args, probe) => planApt(args, parseAptProbe(probe, args.packages)),
};
