// File modes as users write them ('0644', '644', '0o644', 'u=rw,g=r,o=r'), compared numerically
// so '644' and '0644' never look like a change.
import type { ArgReader } from './args.js';

interface SymbolicOp {
  op: '+' | '-' | '=';
  perms: string;
}

interface SymbolicClause {
  who: string;
  ops: SymbolicOp[];
}

export type ModeSpec = { kind: 'octal'; bits: number; text: string } | { kind: 'symbolic'; clauses: SymbolicClause[]; text: string };

const clauseRe = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/;

/** Reads a `mode` argument. Numbers are refused (the loader already turned an unquoted 0644 into its text '0644'). */
export function readMode(args: ArgReader, key = 'mode'): ModeSpec | undefined {
  const raw = args.value(key);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') {
    throw args.error(`'${key}: ${raw}' is a number, so its octal meaning is ambiguous`, `quote it: ${key}: '0${raw.toString()}' or use u=rw,g=r,o=r`);
  }
  const text = String(raw).trim();
  const spec = parseMode(text);
  if (!spec) throw args.error(`'${key}: ${text}' is not a file mode`, `write it as octal ('0644') or symbolically ('u=rw,g=r,o=r')`);
  return spec;
}

export function parseMode(text: string): ModeSpec | undefined {
  const octal = /^(?:0o|0)?([0-7]{1,4})$/i.exec(text);
  if (octal) return { kind: 'octal', bits: parseInt(octal[1], 8), text };
  const clauses: SymbolicClause[] = [];
  for (const part of text.split(',')) {
    const m = clauseRe.exec(part);
    if (!m) return undefined;
    const ops = [...m[2].matchAll(/([-+=])([rwxXst]*)/g)].map((o) => ({ op: o[1] as SymbolicOp['op'], perms: o[2] }));
    clauses.push({ who: m[1] || 'a', ops });
  }
  return clauses.length ? { kind: 'symbolic', clauses, text } : undefined;
}

const rwx: Record<string, Record<string, number>> = {
  u: { r: 0o400, w: 0o200, x: 0o100, s: 0o4000, t: 0 },
  g: { r: 0o040, w: 0o020, x: 0o010, s: 0o2000, t: 0 },
  o: { r: 0o004, w: 0o002, x: 0o001, s: 0, t: 0o1000 },
};

function whoList(who: string): string[] {
  return who.includes('a') ? ['u', 'g', 'o'] : [...new Set(who.split(''))];
}

/** True when the result does not depend on the current mode (every class set with '='). */
function isAbsolute(spec: ModeSpec): boolean {
  if (spec.kind === 'octal') return true;
  const set = new Set<string>();
  for (const c of spec.clauses) {
    if (c.ops[0].op === '=') whoList(c.who).forEach((w) => set.add(w));
  }
  return set.size === 3;
}

/**
 * The numeric mode the spec gives a file whose mode is `current`. Undefined when it cannot be
 * known (relative symbolic mode on a file that does not exist yet): apply `spec.text` with chmod.
 */
export function resolveMode(spec: ModeSpec, current: number | undefined, isDir: boolean): number | undefined {
  if (spec.kind === 'octal') return spec.bits;
  if (current === undefined && !isAbsolute(spec)) return undefined;
  let mode = current ?? 0;
  for (const clause of spec.clauses) {
    for (const { op, perms } of clause.ops) {
      for (const w of whoList(clause.who)) {
        const bits = rwx[w];
        let value = 0;
        for (const p of perms) {
          if (p === 'X') value |= isDir || (mode & 0o111) !== 0 ? bits.x : 0;
          else value |= bits[p];
        }
        const all = bits.r | bits.w | bits.x | bits.s | bits.t;
        if (op === '+') mode |= value;
        else if (op === '-') mode &= ~value;
        else mode = (mode & ~all) | value;
      }
    }
  }
  return mode;
}

/** '0644' style, as Ansible prints modes. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** The chmod argument: numeric with an extra leading zero so GNU chmod also clears setuid/setgid on directories. */
export function chmodArg(spec: ModeSpec, resolved: number | undefined): string {
  return resolved === undefined ? spec.text : `0${formatMode(resolved)}`;
}

/**
 * Bits a mode forces on and off regardless of the current mode, for checking a whole tree with
 * find -perm (file recurse). X counts for directories only; on files it is left open.
 */
export function permMasks(spec: ModeSpec, isDir: boolean): { set: number; clear: number } {
  if (spec.kind === 'octal') return { set: spec.bits, clear: ~spec.bits & 0o7777 };
  let set = 0;
  let clear = 0;
  for (const clause of spec.clauses) {
    for (const { op, perms } of clause.ops) {
      for (const w of whoList(clause.who)) {
        const bits = rwx[w];
        let value = 0;
        let open = 0;
        for (const p of perms) {
          if (p === 'X') {
            if (isDir) value |= bits.x;
            else open |= bits.x;
          } else value |= bits[p];
        }
        const all = (bits.r | bits.w | bits.x | bits.s | bits.t) & ~open;
        const on = op === '-' ? 0 : value;
        const off = op === '+' ? 0 : op === '-' ? value : all & ~value;
        set = (set & ~off) | on;
        clear = (clear & ~on) | off;
      }
    }
  }
  return { set, clear };
}
