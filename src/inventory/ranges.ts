// Expands Ansible host ranges (`web[01:12].example.com`, `10.0.0.[1:20]`, `db-[a:c]`) in both
// inventory formats, so one line can declare a fleet.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';

const RANGE = /^(.*?)\[([^\]:]*):([^\]:]*)(?::([^\]:]*))?\](.*)$/;

/** All host names a pattern stands for, in order; a name without a range is itself. */
export function expandHostRange(name: string, loc: SourceLoc): string[] {
  const m = RANGE.exec(name);
  if (!m) return [name];
  const [, head, rawBegin, end, rawStep, tail] = m as unknown as [string, string, string, string, string | undefined, string];
  const begin = rawBegin === '' ? '0' : rawBegin;
  const step = rawStep === undefined || rawStep === '' ? 1 : Number(rawStep);
  if (!Number.isInteger(step) || step < 1) throw new InputError(`bad step '${rawStep}' in host range ${name}`, loc, 'write [01:12] or [1:20:2]');
  const items = /^[0-9]+$/.test(begin) ? numericRange(name, begin, end, step, loc) : alphaRange(name, begin, end, step, loc);
  // The tail may hold further ranges: `rack[1:2]-node[a:b]`.
  const tails = expandHostRange(tail, loc);
  return items.flatMap((item) => tails.map((t) => `${head}${item}${t}`));
}

function numericRange(name: string, begin: string, end: string, step: number, loc: SourceLoc): string[] {
  if (!/^[0-9]+$/.test(end)) throw new InputError(`host range ${name}: '${end}' is not a number like '${begin}'`, loc);
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width && end.length !== width) {
    throw new InputError(`host range ${name}: zero-padded begin and end must have the same width`, loc, `write [${begin}:${end.padStart(width, '0')}]`);
  }
  const from = Number(begin);
  const to = Number(end);
  if (from > to) throw new InputError(`host range ${name}: begin ${begin} is after end ${end}`, loc);
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(width ? String(i).padStart(width, '0') : String(i));
  return out;
}

function alphaRange(name: string, begin: string, end: string, step: number, loc: SourceLoc): string[] {
  if (!/^[a-zA-Z]$/.test(begin) || !/^[a-zA-Z]$/.test(end)) {
    throw new InputError(`host range ${name}: a range is numbers ([01:12]) or single letters ([a:c])`, loc);
  }
  const from = begin.charCodeAt(0);
  const to = end.charCodeAt(0);
  if (from > to) throw new InputError(`host range ${name}: begin ${begin} is after end ${end}`, loc);
  const out: string[] = [];
  for (let c = from; c <= to; c += step) out.push(String.fromCharCode(c));
  return out;
}
