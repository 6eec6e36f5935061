// file's access_time / modification_time: 'preserve', 'now' or a timestamp in a strftime format,
// read and set on the host so a timestamp means the host's local time, as in Ansible.
import { shQuote } from '../../core/shell.js';
import type { ArgReader } from './args.js';
import { keyValues } from './sections.js';

/** Ansible's default access_time_format / modification_time_format. */
export const DEFAULT_TIME_FORMAT = '%Y%m%d%H%M.%S';

export type TimeSpec = { kind: 'preserve' } | { kind: 'now' } | { kind: 'at'; local: string };

export interface TimeArgs {
  atime?: TimeSpec;
  mtime?: TimeSpec;
}

const FIELDS: Record<string, { re: string; key: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' }> = {
  '%Y': { re: '(\\d{4})', key: 'Y' },
  '%m': { re: '(\\d{1,2})', key: 'm' },
  '%d': { re: '(\\d{1,2})', key: 'd' },
  '%H': { re: '(\\d{1,2})', key: 'H' },
  '%M': { re: '(\\d{1,2})', key: 'M' },
  '%S': { re: '(\\d{1,2})', key: 'S' },
};

/**
 * A timestamp as `YYYY-MM-DD HH:MM:SS`, which GNU date and touch read in the host's time zone;
 * undefined when `text` does not match `format` (only %Y %m %d %H %M %S and %% are understood).
 */
export function parseTimestamp(text: string, format: string): string | undefined {
  const keys: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const two = format.slice(i, i + 2);
    if (two === '%%') {
      re += '%';
      i++;
    } else if (FIELDS[two]) {
      re += FIELDS[two].re;
      keys.push(FIELDS[two].key);
      i++;
    } else if (format[i] === '%') {
      return undefined;
    } else {
      re += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m) return undefined;
  const v: Record<string, number> = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0 };
  keys.forEach((k, i) => (v[k] = Number(m[i + 1])));
  if (v.m! < 1 || v.m! > 12 || v.d! < 1 || v.d! > 31 || v.H! > 23 || v.M! > 59 || v.S! > 61) return undefined;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(v.Y!, 4)}-${p(v.m!)}-${p(v.d!)} ${p(v.H!)}:${p(v.M!)}:${p(v.S!)}`;
}

function readOne(args: ArgReader, key: 'access_time' | 'modification_time'): TimeSpec | undefined {
  const raw = args.str(key);
  if (raw === undefined) return undefined;
  if (raw === 'preserve' || raw === 'now') return { kind: raw };
  const format = args.str(`${key}_format`) ?? DEFAULT_TIME_FORMAT;
  const local = parseTimestamp(raw, format);
  if (!local) throw args.error(`'${key}' is '${raw}', which does not match ${key}_format '${format}'`, `write it as ${format} (e.g. 202401311200.00), or use 'now' or 'preserve'`);
  return { kind: 'at', local };
}

/** The task's time arguments; touch defaults both to 'now' (Ansible's touch updates an existing file's times). */
export function readTimes(args: ArgReader, state: string | undefined): TimeArgs {
  const fallback: TimeSpec | undefined = state === 'touch' ? { kind: 'now' } : undefined;
  const atime = readOne(args, 'access_time') ?? fallback;
  const mtime = readOne(args, 'modification_time') ?? fallback;
  return { ...(atime ? { atime } : {}), ...(mtime ? { mtime } : {}) };
}

/** Probe section: the path's current times and each wanted timestamp, both as epoch seconds on the host. */
export function timesSection(path: string, t: TimeArgs): string {
  const lines = [`stat -L -c 'atime=%X' -- ${shQuote(path)} 2>/dev/null`, `stat -L -c 'mtime=%Y' -- ${shQuote(path)} 2>/dev/null`];
  if (t.atime?.kind === 'at') lines.push(`printf 'want_atime=%s\\n' "$(date -d ${shQuote(t.atime.local)} +%s)"`);
  if (t.mtime?.kind === 'at') lines.push(`printf 'want_mtime=%s\\n' "$(date -d ${shQuote(t.mtime.local)} +%s)"`);
  return lines.join('\n');
}

/** What to change and the touch commands doing it; 'now' always changes, as in Ansible. */
export function planTimes(path: string, t: TimeArgs, section: string | undefined, exists: boolean): { changes: string[]; commands: string[] } {
  const kv = keyValues(section);
  const changes: string[] = [];
  const commands: string[] = [];
  const p = shQuote(path);
  for (const [which, spec, flag] of [['access', t.atime, '-a'], ['modification', t.mtime, '-m']] as const) {
    if (!spec || spec.kind === 'preserve') continue;
    if (spec.kind === 'now') {
      if (!exists) continue; // creating it sets the time to now already
      changes.push(`${path}: ${which} time -> now`);
      commands.push(`touch -c ${flag} -- ${p}`);
      continue;
    }
    const current = kv[which === 'access' ? 'atime' : 'mtime'];
    const want = kv[which === 'access' ? 'want_atime' : 'want_mtime'];
    if (exists && current !== undefined && current === want) continue;
    changes.push(`${path}: ${which} time -> ${spec.local}`);
    commands.push(`touch -c ${flag} -d ${shQuote(spec.local)} -- ${p}`);
  }
  return { changes, commands };
}
