// Word splitting and value typing for INI inventory lines, as Ansible's INI parser does it
// (shell-like quoting, `#` comments), so existing INI inventories read the same.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { parseYaml } from '../yaml/load.js';
import { yaml11Boolean } from '../yaml/scalars.js';

export interface Word {
  text: string;
  /** 0-based offset of the word in the line, for error columns. */
  offset: number;
  /** Part of the word was quoted: its value stays a string. */
  quoted: boolean;
}

/** Splits like POSIX shlex with comments: quotes group, backslash escapes, `#` at a word start ends the line. */
export function splitWords(line: string, loc: SourceLoc): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    let quoted = false;
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        quoted = true;
        const close = findClose(line, i, c);
        if (close < 0) throw new InputError(`unterminated ${c} quote`, { ...loc, col: loc.col + i });
        const inner = line.slice(i + 1, close);
        text += c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
        i = close + 1;
      } else if (c === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, offset: start, quoted });
  }
  return words;
}

function findClose(line: string, open: number, quote: string): number {
  for (let j = open + 1; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') j++;
    else if (line[j] === quote) return j;
  }
  return -1;
}

/**
 * Types an unquoted INI value: booleans (yes/no/true/false/on/off, as YAML 1.1), integers and
 * decimals, lists and mappings in JSON/flow syntax; anything else, and anything quoted, is a string.
 * Numbers with a leading zero (0644) stay strings.
 */
export function iniValue(text: string, quoted: boolean): unknown {
  if (quoted) return text;
  const bool = yaml11Boolean(text);
  if (bool !== undefined) return bool;
  if (text === 'None' || text === 'null') return null;
  if (/^[-+]?(?:0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if ((text.startsWith('[') && text.endsWith(']')) || (text.startsWith('{') && text.endsWith('}'))) {
    try {
      return parseYaml(text, '<ini value>');
    } catch {
      return text;
    }
  }
  return text;
}

/** `key=value` from a `[group:vars]` line: the whole rest of the line is the value, quotes stripped. */
export function varsLine(line: string): { key: string; value: unknown } | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const key = line.slice(0, eq).trim();
  const raw = line.slice(eq + 1).trim();
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length >= 2 && raw.endsWith(q)) return { key, value: raw.slice(1, -1) };
  return { key, value: iniValue(raw, false) };
}
