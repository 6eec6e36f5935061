// lineinfile's editing rules, ported from Ansible's module line for line so playbooks behave the
// same: replace the last regexp match, else keep an identical line, else insert after/before.
import { expandTemplate } from './pyregex.js';

export interface LinePresent {
  line: string;
  regexp?: RegExp;
  searchString?: string;
  /** 'EOF', 'BOF' or a regexp; default EOF when neither is given. */
  insertafter?: string | RegExp;
  insertbefore?: string | RegExp;
  backrefs: boolean;
  firstmatch: boolean;
}

/** Python readlines(): every line keeps its terminator. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const body = (l: string) => (l.endsWith('\n') ? l.slice(0, -1) : l);
const bare = (l: string) => l.replace(/[\r\n]+$/, '');

export function linePresent(text: string, o: LinePresent): { text: string; msg: string } {
  const lines = splitLines(text);
  const after = o.insertafter ?? (o.insertbefore === undefined ? 'EOF' : undefined);
  const before = o.insertbefore;
  const ins = after instanceof RegExp ? after : before instanceof RegExp ? before : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | null = null;
  let found = false;

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = o.regexp ? o.regexp.exec(body(l)) : null;
    if (m || (o.searchString !== undefined && l.includes(o.searchString))) {
      index[0] = i;
      match = m;
      found = true;
      if (o.firstmatch) break;
    }
  }
  if (!found) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (bare(l) === o.line) index[0] = i;
      else if (ins && ins.test(body(l))) {
        index[1] = after instanceof RegExp ? i + 1 : i;
        if (o.firstmatch) break;
      }
    }
  }

  const add = (at: number, msg = 'line added') => {
    lines.splice(at, 0, `${o.line}\n`);
    return { text: lines.join(''), msg };
  };
  const same = () => ({ text: lines.join(''), msg: '' });
  if (index[0] !== -1) {
    let newLine = o.backrefs && match ? expandTemplate(o.line, match) : o.line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      return { text: lines.join(''), msg: 'line replaced' };
    }
    return same();
  }
  if (o.backrefs) return same(); // no match: not safe to build the line without its groups
  if (before === 'BOF' || after === 'BOF') return add(0);
  if (after === 'EOF' || index[1] === -1) {
    if (lines.length && !lines[lines.length - 1].endsWith('\n')) lines[lines.length - 1] += '\n';
    return add(lines.length);
  }
  if (after instanceof RegExp) {
    if (lines.length === index[1]) {
      if (bare(lines[index[1] - 1]) !== o.line) {
        if (!lines[lines.length - 1].endsWith('\n')) lines[lines.length - 1] += '\n';
        return add(lines.length);
      }
      return same();
    }
    return bare(lines[index[1]]) !== o.line ? add(index[1]) : same();
  }
  return add(index[1]);
}

export interface LineAbsent {
  regexp?: RegExp;
  searchString?: string;
  line?: string;
}

/** Removes every matching line; `found` is how many. */
export function lineAbsent(text: string, o: LineAbsent): { text: string; found: number } {
  const lines = splitLines(text);
  const keep = lines.filter((l) => {
    if (o.regexp) return !o.regexp.test(body(l));
    if (o.searchString !== undefined) return !l.includes(o.searchString);
    return bare(l) !== o.line;
  });
  return { text: keep.join(''), found: lines.length - keep.length };
}
