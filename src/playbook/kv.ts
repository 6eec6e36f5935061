// Ansible's `key=value` argument strings (`copy: src=a dest=b`, `command: creates=/x touch /x`):
// words split on spaces outside quotes and {{ }}, values unquoted.
import { yaml11Boolean } from '../yaml/scalars.js';

export interface KvWord {
  text: string;
  start: number;
  end: number;
}

/** Splits on whitespace that is outside quotes and outside `{{ }}` / `{% %}`. */
export function splitArgs(text: string): KvWord[] {
  const words: KvWord[] = [];
  let start = -1;
  let quote = '';
  let depth = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    const atEnd = i === text.length;
    if (!atEnd && start < 0 && /\s/.test(c!)) continue;
    if (!atEnd && start < 0) start = i;
    if (atEnd || (/\s/.test(c!) && !quote && depth === 0)) {
      if (start >= 0) words.push({ text: text.slice(start, i), start, end: i });
      start = -1;
      continue;
    }
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ((c === '{' && (text[i + 1] === '{' || text[i + 1] === '%'))) {
      depth++;
      i++;
    } else if ((c === '}' || c === '%') && text[i + 1] === '}' && depth > 0) {
      depth--;
      i++;
    }
  }
  return words;
}

/** `key=value` -> [key, value], or undefined for a word that is not an assignment. */
export function splitAssignment(word: string): [string, string] | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(word);
  return m ? [m[1]!, m[2]!] : undefined;
}

/** Removes one level of matching outer quotes, with backslash escapes inside double quotes. */
export function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
    const inner = value.slice(1, -1);
    return q === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner;
  }
  return value;
}

/**
 * A k=v value: unquoted; an unquoted yes/no/true/false becomes a boolean like in YAML, so
 * `backup=yes` means the same as `backup: yes`. Everything else stays a string (`mode=0644` included).
 */
export function kvValue(raw: string): unknown {
  const bool = yaml11Boolean(raw);
  return bool ?? unquote(raw);
}
