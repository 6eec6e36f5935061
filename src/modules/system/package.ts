// package: Ansible's generic package module. Ansible dispatches to the module of the host's package
// manager (the ansible_pkg_mgr fact); runbook has one backend, apt, so on Debian and Ubuntu the task
// is planned exactly as apt plans it, and any other package manager is a clear error.
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';
import { aptSpec, isDebianPackageName, parseAptArgs, type AptArgs } from './apt-args.js';
import { aptProbeScript, parseAptProbe } from './apt-probe.js';
import { planApt } from './apt.js';
import { sectionsScript } from '../lib/sections.js';

const { name: _name, state: _state, ...aptOwnArgs } = aptSpec.args;

export const packageSpec = defineSpec({
  description: "Installs or removes packages with the host's package manager; runbook drives apt (Debian, Ubuntu) and refuses any other.",
  args: {
    name: { type: 'list', required: true, description: 'Package name(s), as the package manager names them; with apt, name=version pins a version.' },
    state: {
      type: 'str',
      required: true,
      choices: ['present', 'installed', 'absent', 'removed', 'latest'],
      description: 'present (installed), absent (removed), or latest (upgraded to the newest candidate).',
    },
    use: {
      type: 'str',
      default: 'auto',
      description: "The package manager module: auto reads the ansible_pkg_mgr fact when facts were gathered, otherwise looks for apt-get on the host. Only apt is supported.",
    },
    // Ansible passes every other argument to the backend module; apt's are the ones that mean something here.
    ...aptOwnArgs,
    // yum's and dnf's, so a task written for Red Hat hosts (setup-RedHat.yml) loads as it does in Ansible.
    enablerepo: { type: 'list', description: "yum/dnf's: accepted so a task written for Red Hat hosts loads; on an apt host the task fails, as Ansible's apt backend refuses it." },
    disablerepo: { type: 'list', description: "yum/dnf's: accepted so a task written for Red Hat hosts loads; on an apt host the task fails, as Ansible's apt backend refuses it." },
  },
  examples: `- name: Install ntpdate
  package:
    name: ntpdate
    state: present

- name: The web server and the database, newest versions
  package:
    name: [nginx, mariadb-server]
    state: latest`,
  returns: {
    packages: "apt's result: each package named, with its state before and after.",
    installed: 'Packages installed.',
    upgraded: 'Packages upgraded.',
    removed: 'Packages removed or purged.',
    cache_updated: 'Whether apt-get update ran.',
  },
});

export interface PackageArgs extends AptArgs {
  use: string;
  /** yum/dnf arguments given (enablerepo, disablerepo): apt does not take them. */
  rpmArgs?: string[];
  /** Names apt cannot install (libXpm-devel): a task for another OS family loads, and fails only on an apt host. */
  notDebian?: string[];
}

const RPM_ARGS = ['enablerepo', 'disablerepo'];

/** Package managers Ansible's setup reports (ansible_pkg_mgr) that runbook recognises to name in its error. */
const OTHER_MANAGERS = ['dnf', 'dnf5', 'yum', 'zypper', 'apk', 'pacman', 'pkgng', 'portage', 'openbsd_pkg', 'homebrew', 'swdepot', 'urpmi', 'xbps', 'opkg', 'pkg5', 'pkgin', 'installp', 'sorcery', 'svr4pkg', 'macports', 'rpm_ostree'];

function unsupported(manager: string): string {
  return `package manager '${manager}' is not supported: runbook's package module drives apt only (Debian, Ubuntu)`;
}

export function parsePackageArgs(raw: Record<string, unknown>, loc: SourceLoc): PackageArgs {
  const { args, reader } = parseSpec('package', packageSpec, raw, loc);
  if (args.use !== 'auto' && args.use !== 'apt') {
    throw reader.error(unsupported(args.use), OTHER_MANAGERS.includes(args.use) ? "use the host's own module, or leave use: auto on Debian hosts" : "use: auto or use: apt");
  }
  const { use: _use, enablerepo: _e, disablerepo: _d, ...aptRaw } = raw;
  const rpmArgs = RPM_ARGS.filter((k) => raw[k] !== undefined && raw[k] !== null);
  // Package names are the package manager's: apt's rule is checked when the host turns out to use apt.
  const names = (args.name ?? []).flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== '');
  const notDebian = names.filter((n) => !isDebianPackageName(n));
  const debian = names.filter((n) => isDebianPackageName(n));
  const apt = parseAptArgs(notDebian.length ? { ...aptRaw, name: debian.length ? debian : ['placeholder'] } : aptRaw, loc);
  return {
    ...apt,
    ...(notDebian.length ? { packages: debian.length ? apt.packages : [], notDebian } : {}),
    use: args.use,
    ...(rpmArgs.length ? { rpmArgs } : {}),
  };
}

/** The first package manager found on the host, in the order Ansible's facts prefer them. */
const DETECT = 'for m in apt-get dnf yum zypper apk pacman; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done';

export function packageProbe(a: PackageArgs, vars: Vars): string {
  const known = a.use === 'apt' || typeof vars.ansible_pkg_mgr === 'string';
  return `${known ? '' : `${sectionsScript({ pkgmgr: DETECT })}\n`}${aptProbeScript(a.packages, a.defaultRelease)}`;
}

/** apt's plan, once the host (or its facts, or use:) says apt is its package manager. */
export function planPackage(a: PackageArgs, probe: ExecResult, vars: Vars): Plan {
  let manager = a.use === 'apt' ? 'apt' : typeof vars.ansible_pkg_mgr === 'string' ? vars.ansible_pkg_mgr : undefined;
  if (manager === undefined) {
    const parsed = parseSections(probe);
    if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
    const found = parsed.sections.pkgmgr?.trim() ?? '';
    manager = found === 'apt-get' ? 'apt' : found || 'unknown';
  }
  if (manager === 'unknown') return { changes: [], steps: [], failure: { msg: 'could not detect which package manager to use: this host has no apt-get (runbook drives apt only)' } };
  if (manager !== 'apt') return { changes: [], steps: [], failure: { msg: `${unsupported(manager)}; use the host's own package module` } };
  if (a.rpmArgs?.length) {
    return { changes: [], steps: [], failure: { msg: `${a.rpmArgs.join(' and ')}: yum/dnf arguments that apt does not take (this host uses apt); guard the task with when: ansible_os_family == 'RedHat'` } };
  }
  if (a.notDebian?.length) {
    return { changes: [], steps: [], failure: { msg: `${a.notDebian.map((n) => `'${n}'`).join(', ')}: not a Debian package name (lower case letters, digits and + - ., optionally name=version); this host uses apt` } };
  }
  return planApt(a, parseAptProbe(probe, a.packages));
}

export const packageModule: RemoteModule<PackageArgs> = {
  kind: 'remote',
  name: 'package',
  ...specFields(packageSpec),
  parse: parsePackageArgs,
  probe: (a, ctx: ModuleContext) => ({ script: packageProbe(a, ctx.vars) }),
  plan: (a, probe, ctx) => planPackage(a, probe, ctx.vars),
};
