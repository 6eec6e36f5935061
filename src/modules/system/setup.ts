// setup (gather_facts): reads the host once and returns Ansible's fact names, plus the few extras the seed roles need.
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';
import { networkFacts } from './setup-network.js';
import { setupProbeScript } from './setup-probe.js';

export interface SetupArgs {
  /** fnmatch patterns on fact names (ansible_distribution*); empty means all. */
  filter: string[];
}

function unquote(v: string | undefined): string {
  return (v ?? '').trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

const KNOWN_DISTROS: Record<string, string> = { debian: 'Debian', ubuntu: 'Ubuntu', linuxmint: 'Linux Mint', raspbian: 'Debian' };

function distribution(os: Record<string, string>): Vars {
  const id = unquote(os.ID).toLowerCase();
  const like = unquote(os.ID_LIKE).toLowerCase().split(/\s+/);
  const name = KNOWN_DISTROS[id] ?? (id ? id[0]!.toUpperCase() + id.slice(1) : 'Unknown');
  const family = [id, ...like].some((x) => x === 'debian' || x === 'ubuntu') ? 'Debian'
    : [id, ...like].some((x) => ['rhel', 'fedora', 'centos'].includes(x)) ? 'RedHat' : name;
  // As Ansible 2.14 (its bundled `distro`): os-release's VERSION_ID on every distribution, so Debian 12
  // gives "12" (the point release in /etc/debian_version, "12.7", is ignored) and Ubuntu "22.04".
  const version = unquote(os.VERSION_ID);
  return {
    distribution: name,
    os_family: family,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    distribution_release: unquote(os.VERSION_CODENAME) || unquote(os.UBUNTU_CODENAME),
  };
}

function serviceManager(h: Record<string, string>): string {
  if (h.systemd === 'yes' || h.init === 'systemd') return 'systemd';
  if (h.init === 'init' || h.initd === 'yes') return 'sysvinit';
  return 'service';
}

function php(text: string): { php_version: string; php_runtimes: string[] } {
  const lines = text.split('\n');
  const cli = /^cli=(\d+\.\d+)$/m.exec(text)?.[1];
  const installed = lines.filter((l) => l.startsWith('version=')).map((l) => l.slice(8))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const version = cli ?? installed[0] ?? '';
  const runtimes = lines.filter((l) => l.startsWith(`runtime=${version}/`)).map((l) => l.slice(`runtime=${version}/`.length));
  const order = ['fpm', 'apache2', 'cli'];
  return { php_version: version, php_runtimes: version ? order.filter((r) => runtimes.includes(r)) : [] };
}

/** Builds the facts from the probe: `ansible_facts` (short names) plus top-level `ansible_*` copies and the extras. */
export function gatherFacts(result: ExecResult): Vars | { error: string } {
  const parsed = parseSections(result);
  if ('error' in parsed) return parsed;
  const s = parsed.sections;
  const h = keyValues(s.host);
  const nodename = h.nodename ?? '';
  const fqdn = h.fqdn || nodename;
  const net = networkFacts(s.route ?? '', s.addr ?? '', s.link ?? '');
  const kb = Number(h.memtotal_kb);
  const short: Vars = {
    ...distribution(keyValues(s.osrelease)),
    system: h.system ?? 'Linux',
    hostname: nodename.split('.')[0] ?? nodename,
    nodename,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    kernel: h.kernel ?? '',
    architecture: h.machine ?? '',
    machine: h.machine ?? '',
    user_id: h.user ?? '',
    memtotal_mb: Number.isFinite(kb) ? Math.floor(kb / 1024) : 0,
    processor_vcpus: Number(h.vcpus) || 1,
    service_mgr: serviceManager(h),
    pkg_mgr: h.pkg === 'apt' ? 'apt' : 'unknown',
    default_ipv4: net.default_ipv4,
    all_ipv4_addresses: net.all_ipv4_addresses,
    interfaces: net.interfaces,
    ...net.perInterface,
  };
  const extras: Vars = { ...php(s.php ?? ''), primary_private_ipv4: net.primary_private_ipv4 };
  const prefixed = Object.fromEntries(Object.entries(short).map(([k, v]) => [`ansible_${k}`, v]));
  return { ansible_facts: { ...short, ...extras }, ...prefixed, ...extras };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Keeps the facts whose name (with or without the ansible_ prefix) matches a pattern, as Ansible's filter does. */
export function filterFacts(facts: Vars, patterns: readonly string[]): Vars {
  if (patterns.length === 0) return facts;
  const res = patterns.map(globToRegExp);
  const keep = (name: string) => res.some((re) => re.test(name) || re.test(`ansible_${name}`));
  const short = Object.fromEntries(Object.entries(facts.ansible_facts as Vars).filter(([k]) => keep(k)));
  const top = Object.fromEntries(Object.entries(facts).filter(([k]) => k !== 'ansible_facts' && keep(k)));
  return { ansible_facts: short, ...top };
}

export function planSetup(args: SetupArgs, probe: ExecResult): Plan {
  const facts = gatherFacts(probe);
  if ('error' in facts) return { changes: [], steps: [], failure: { msg: `gathering facts failed: ${facts.error}` } };
  const kept = filterFacts(facts, args.filter);
  return { changes: [], steps: [], facts: kept, data: { ansible_facts: kept.ansible_facts } };
}

// gather_subset, gather_timeout and fact_path are accepted for Ansible playbooks' sake: runbook always gathers the same small set.
export const setupSpec = defineSpec({
  description: "Reads the host's facts again (ansible_os_family, ansible_default_ipv4, php_version ...), e.g. after installing something.",
  args: {
    filter: { type: 'list', default: [], description: 'Only the facts whose names match these patterns.' },
    gather_subset: { type: 'raw', ignored: true, description: 'Accepted for Ansible playbooks and ignored: runbook gathers one fixed set.' },
    gather_timeout: { type: 'raw', ignored: true, description: 'Accepted for Ansible playbooks and ignored.' },
    fact_path: { type: 'raw', ignored: true, description: 'Accepted for Ansible playbooks and ignored.' },
  },
  examples: `- name: Read the facts again after installing PHP
  setup:
    filter: [php_*]`,
  returns: { ansible_facts: 'The facts read (only those filter: matches, when given).' },
});

export function parseSetupArgs(raw: Record<string, unknown>, loc: SourceLoc): SetupArgs {
  const { args } = parseSpec('setup', setupSpec, raw, loc);
  return { filter: args.filter.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '') };
}

export const setupModule: RemoteModule<SetupArgs> = {
  kind: 'remote',
  name: 'setup',
  ...specFields(setupSpec),
  parse: parseSetupArgs,
  probeAhead: false,
  probe: () => ({ script: setupProbeScript() }),
  plan: (args, probe) => planSetup(args, probe),
};
