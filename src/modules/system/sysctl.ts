// sysctl: one kernel parameter in a sysctl file (and, on request, in the running kernel), as
// ansible.posix.sysctl does on Linux: the file rewritten with `key=value` lines, `sysctl -w` for the
// live value, `sysctl -p FILE` to reload. Both the file and the live value are read in one probe,
// so a second run changes nothing when both already hold the value.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, replacedFiles, writeOutcome } from '../lib/atomic-write.js';
import { fileDiff } from '../lib/diff.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule, Step } from '../types.js';

export const sysctlSpec = defineSpec({
  description: 'Sets a kernel parameter in a sysctl file (and, with sysctl_set, in the running kernel), reloading the file with sysctl -p when it changes.',
  args: {
    name: { type: 'str', required: true, aliases: ['key'], description: 'The parameter, dot-separated (net.ipv4.ip_forward).' },
    value: { type: 'str', aliases: ['val'], description: "Its value; yes/no, true/false and on/off become 1 and 0, as in Ansible. Needed with state=present." },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the file sets it; absent: the file no longer mentions it (the running value is left as it is).' },
    sysctl_file: { type: 'str', default: '/etc/sysctl.conf', description: 'The file (an absolute path); a file in /etc/sysctl.d/ is applied at boot too.' },
    reload: { type: 'bool', default: true, description: 'Run sysctl -p FILE after a change, and also when the file already holds the value but the running kernel does not.' },
    sysctl_set: { type: 'bool', default: false, description: 'Compare the running value too and set it with sysctl -w when it differs. Containers (systemd-nspawn, Docker, LXC) mount /proc/sys read-only: there sysctl -w and sysctl -p fail, so use reload: no and leave this off.' },
    ignoreerrors: { type: 'bool', default: false, description: 'Pass -e to sysctl: unknown keys are not errors.' },
  },
  requiredIf: [['state', 'present', ['value']]],
  examples: `- name: Forward IPv4 packets, now and at boot
  sysctl:
    name: net.ipv4.ip_forward
    value: "1"
    sysctl_file: /etc/sysctl.d/60-app.conf
    sysctl_set: yes

- name: A bigger accept backlog
  sysctl:
    name: net.core.somaxconn
    value: "1024"

- name: No longer set by us
  sysctl:
    name: vm.swappiness
    state: absent`,
  returns: { name: 'The parameter.', value: 'The value asked for, as written (booleans as 1/0).', live_value: 'The running value read before the task (null when sysctl could not read it).' },
  diff: 'The sysctl file before and after.',
});

type Parsed = ArgsOf<typeof sysctlSpec>;
export type SysctlArgs = Parsed & { value: string };

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', 'true', '1', 't', '1.0']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', 'false', '0', 'f', '0.0']);

/** Ansible's value: booleans in any spelling are 1 or 0, anything else is stripped. */
export function sysctlValue(raw: string | undefined): string {
  if (raw === undefined) return '';
  const v = raw.toLowerCase();
  if (BOOLEANS_TRUE.has(v)) return '1';
  if (BOOLEANS_FALSE.has(v)) return '0';
  return raw.trim();
}

export function parseSysctlArgs(raw: Record<string, unknown>, loc: SourceLoc): SysctlArgs {
  const { args, reader } = parseSpec('sysctl', sysctlSpec, raw, loc);
  const name = args.name.trim();
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.\/@:+-]*$/.test(name)) throw reader.error(`'${args.name}' is not a sysctl key`, 'e.g. net.ipv4.ip_forward');
  if (!args.sysctl_file.startsWith('/')) throw reader.error(`sysctl_file must be an absolute path, got '${args.sysctl_file}'`);
  if (args.state === 'present' && args.value === undefined) throw reader.error("'value' is required with state=present");
  const value = sysctlValue(args.value);
  if (/[\r\n]/.test(value)) throw reader.error('the value must be one line');
  return { ...args, name, value };
}

export function sysctlProbe(a: SysctlArgs): string {
  return sectionsScript({
    ...fileStateSections('file', a.sysctl_file, { content: 'always' }),
    // -e: an unknown key prints nothing (Ansible reads the value the same way).
    live: `if command -v sysctl >/dev/null 2>&1; then rb_v=$(LC_ALL=C sysctl -e -n ${shQuote(a.name)} 2>/dev/null); printf 'rc=%s\\nvalue=%s\\n' "$?" "$rb_v"; fi`,
  });
}

/** Values compared word by word, as Ansible compares the running value (tabs in ip_local_port_range). */
function sameWords(a: string | null, b: string): boolean {
  if (a === null) return false;
  return a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * Ansible's rewrite of the file: every line stripped, each key's first `key=value` line kept
 * (normalised to key=value), later ones dropped; NAME's line replaced (or removed), or appended.
 */
export function rewriteSysctl(text: string, name: string, value: string, present: boolean): { lines: string[]; fileValue: string | undefined } {
  let fileValue: string | undefined;
  const lines: string[] = [];
  const seen = new Set<string>();
  const raw = text.split(/\r\n|\r|\n/);
  if (raw[raw.length - 1] === '') raw.pop();
  for (const original of raw) {
    const line = original.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || !line.includes('=')) {
      lines.push(line);
      continue;
    }
    const eq = line.indexOf('=');
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    if (k === name) fileValue = v;
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) lines.push(`${k}=${v}`);
    else if (present) lines.push(`${k}=${value}`);
  }
  if (!seen.has(name) && present) lines.push(`${name}=${value}`);
  return { lines, fileValue };
}

/** A sysctl command, failing on the errors sysctl reports with exit status 0 (Ansible's check). */
function sysctlStep(args: string, what: string): Step {
  return {
    script: [
      `rb_out=$(LC_ALL=C sysctl ${args} 2>&1); rb_rc=$?`,
      `if [ "$rb_rc" -ne 0 ] || printf '%s\\n' "$rb_out" | grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$'; then`,
      `  printf '%s: %s\\n' ${shQuote(what)} "$rb_out" >&2; exit 1`,
      'fi',
    ].join('\n'),
  };
}

export function planSysctl(a: SysctlArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'diff' | 'keepPrevious'>): Plan {
  const fail = (msg: string, needs?: Plan['provides']): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) } });
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const file = parseFileState(parsed.sections, 'file', a.sysctl_file);
  if (file.refused) return fail(file.refused);
  if (file.exists && file.type !== 'file') return fail(`${a.sysctl_file} is not a regular file`);
  if (file.exists && file.content === undefined) return fail(`Failed to open ${a.sysctl_file}: permission denied`);
  if (!file.exists && file.parent !== 'dir') return fail(`the directory of ${a.sysctl_file} does not exist`, [{ kind: 'path', path: a.sysctl_file.replace(/\/[^/]*$/, '') || '/' }]);
  const live = keyValues(parsed.sections.live);
  if (live.rc === undefined && (a.sysctl_set || a.reload)) return fail('sysctl is not installed on this host (the procps package)', [{ kind: 'package', name: 'procps' }]);
  const liveValue = live.rc === '0' ? live.value ?? '' : null;

  const present = a.state === 'present';
  const before = file.content?.toString('utf8') ?? '';
  const { lines, fileValue } = rewriteSysctl(before, a.name, a.value, present);
  let writeFile = false;
  let reloadOnly = false;
  if (fileValue === undefined) writeFile = present;
  else if (!present) writeFile = fileValue !== '';
  else if (fileValue !== a.value) writeFile = true;
  else if (a.reload && !sameWords(liveValue, a.value)) reloadOnly = true;
  const setLive = a.sysctl_set && present && liveValue !== null && !sameWords(liveValue, a.value);
  // Ansible counts an unreadable running value as a change with sysctl_set, and sets nothing then.
  const unreadable = a.sysctl_set && present && liveValue === null;

  const e = a.ignoreerrors ? '-e ' : '';
  const changes: string[] = [];
  const steps: Step[] = [];
  if (setLive) {
    changes.push(`set ${a.name} to ${a.value} in the running kernel (was ${liveValue!.trim()})`);
    steps.push(sysctlStep(`${e}-w ${shQuote(`${a.name}=${a.value}`)}`, `setting ${a.name} failed`));
  }
  let after: string | undefined;
  if (writeFile) {
    after = lines.map((l) => `${l}\n`).join('');
    changes.push(present ? `${a.sysctl_file}: ${a.name}=${a.value}` : `${a.sysctl_file}: remove ${a.name}`);
    const mode = file.exists ? (file.mode ?? 0o644).toString(8).padStart(4, '0') : '0644';
    steps.push(atomicWriteStep({ path: a.sysctl_file, content: after, mode, ...(file.exists ? { owner: String(file.uid), group: String(file.gid) } : {}), keepPrevious: ctx.keepPrevious }));
  }
  if (reloadOnly) changes.push(`${a.name} is ${liveValue === null ? 'unreadable' : liveValue.trim()} in the running kernel: reload ${a.sysctl_file}`);
  if (unreadable && changes.length === 0) changes.push(`${a.name}: the running value cannot be read`);
  if (changes.length > 0 && a.reload) steps.push(sysctlStep(`${e}-p ${shQuote(a.sysctl_file)}`, 'Failed to reload sysctl'));

  const data = { name: a.name, value: present ? a.value : null, live_value: liveValue === null ? null : liveValue.trim() };
  if (changes.length === 0) return { changes, steps, data };
  const writeIndex = writeFile ? (setLive ? 1 : 0) : -1;
  return {
    changes,
    steps,
    data,
    diffs: ctx.diff && after !== undefined ? [fileDiff(a.sysctl_file, file.exists ? file.content! : null, Buffer.from(after))] : undefined,
    ...(writeFile && !file.exists ? { provides: [{ kind: 'path' as const, path: a.sysctl_file }] } : {}),
    afterApply(results) {
      const failedStep = results.find((r) => r.code !== 0);
      if (writeIndex >= 0 && results[writeIndex] && results[writeIndex]!.code !== 0) return { data, failed: writeOutcome(results[writeIndex]).failed };
      const replaced = writeIndex >= 0 ? replacedFiles(a.sysctl_file, writeOutcome(results[writeIndex])) : undefined;
      if (failedStep) return { data, failed: failedStep.stderr.trim() || `sysctl failed (exit ${failedStep.code})`, replaced };
      return { data, replaced };
    },
  };
}

export const sysctlModule: RemoteModule<SysctlArgs> = {
  kind: 'remote',
  name: 'sysctl',
  ...specFields(sysctlSpec),
  parse: parseSysctlArgs,
  probe: (a) => ({ script: sysctlProbe(a) }),
  plan: (a, probe, ctx) => planSysctl(a, probe, ctx),
};
