// Reads what apt's planner needs in one command: each package's dpkg status, apt's candidate and known versions, and the lists' age.
import { shJoin, shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import type { AptPackage } from './apt-args.js';

export interface PackageState {
  /** dpkg's status words ("install ok installed", "deinstall ok config-files"), or undefined when dpkg never saw it. */
  status?: string;
  /** Installed version; undefined when not installed. */
  installed?: string;
  /** True when only configuration files remain (removed, not purged). */
  configFiles: boolean;
  /** apt's candidate from the current lists; undefined when apt has none. */
  candidate?: string;
  /** Every version apt knows, highest first (for name=version pins). */
  versions: string[];
}

export interface AptHost {
  hasApt: boolean;
  now: number;
  /** Seconds since the package lists were last updated; Infinity when there are none. */
  listsAge: number;
  packages: Map<string, PackageState>;
}

const STAMP = '/var/lib/apt/periodic/update-success-stamp';

export function aptProbeScript(packages: readonly AptPackage[], defaultRelease?: string): string {
  const names = shJoin(packages.map((p) => p.name));
  return sectionsScript({
    env: [
      'export LC_ALL=C',
      'command -v apt-get >/dev/null 2>&1 && echo apt=yes',
      'echo "now=$(date +%s)"',
      // The stamp is what Ansible reads first; the lists directory changes whenever apt-get update replaces a list.
      `for f in ${STAMP} /var/lib/apt/lists; do [ -e "$f" ] && echo "mtime=$(stat -c %Y "$f")"; done`,
      'echo "lists=$(ls /var/lib/apt/lists 2>/dev/null | grep -c Packages)"',
    ].join('\n'),
    dpkg: packages.length === 0 ? '' : [
      `for p in ${names}; do`,
      `  s=$(dpkg-query -W -f='\${Status}\\t\${Version}' "$p" 2>/dev/null | head -n 1) || s=''`,
      `  printf '%s\\t%s\\n' "$p" "$s"`,
      'done',
    ].join('\n'),
    policy: packages.length === 0 ? '' : `LC_ALL=C apt-cache${defaultRelease ? ` -t ${shQuote(defaultRelease)}` : ''} policy ${names} 2>/dev/null`,
  });
}

/** Where apt's own cache-age stamp lives; apply steps touch it after a successful update. */
export const UPDATE_STAMP = STAMP;

function parsePolicy(text: string): Map<string, { candidate?: string; versions: string[] }> {
  const out = new Map<string, { candidate?: string; versions: string[] }>();
  let current: { candidate?: string; versions: string[] } | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      current = { versions: [] };
      out.set(head[1]!, current);
      continue;
    }
    if (!current) continue;
    const cand = /^ {2}Candidate: (.+)$/.exec(line);
    if (cand) current.candidate = cand[1] === '(none)' ? undefined : cand[1];
    const ver = /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line);
    if (ver) current.versions.push(ver[1]!);
  }
  return out;
}

export function parseAptProbe(result: ExecResult, packages: readonly AptPackage[]): AptHost | { error: string } {
  const parsed = parseSections(result);
  if ('error' in parsed) return parsed;
  const { env = '', dpkg = '', policy = '' } = parsed.sections;
  const kv = keyValues(env);
  const now = Number(kv.now);
  const mtimes = env.split('\n').filter((l) => l.startsWith('mtime=')).map((l) => Number(l.slice(6)));
  const lists = Number(kv.lists ?? '0');
  const newest = mtimes.length ? Math.max(...mtimes) : undefined;
  const listsAge = lists > 0 && newest !== undefined ? Math.max(0, now - newest) : Infinity;

  const dpkgLines = new Map<string, string>();
  for (const line of dpkg.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (name) dpkgLines.set(name, `${status ?? ''}\t${version ?? ''}`);
  }
  const policies = parsePolicy(policy);
  const states = new Map<string, PackageState>();
  for (const p of packages) {
    const [status = '', version = ''] = (dpkgLines.get(p.name) ?? '').split('\t');
    const words = status.split(' ');
    const pol = policies.get(p.name);
    states.set(p.name, {
      status: status === '' ? undefined : status,
      installed: words[2] === 'installed' && version !== '' ? version : undefined,
      configFiles: words[2] === 'config-files',
      candidate: pol?.candidate,
      versions: pol?.versions ?? [],
    });
  }
  return { hasApt: kv.apt === 'yes', now, listsAge, packages: states };
}
