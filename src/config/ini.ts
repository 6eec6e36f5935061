// A small INI reader for runbook.cfg (ansible.cfg's syntax): [sections], `key = value` or
// `key: value`, full-line and inline `#`/`;` comments; every value keeps its line for errors.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';

export interface IniEntry {
  value: string;
  loc: SourceLoc;
  /** Where the value itself starts, for "bad value" errors. */
  valueLoc: SourceLoc;
}

export type IniSections = Map<string, { loc: SourceLoc; entries: Map<string, IniEntry> }>;

export function parseIni(text: string, file: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, IniEntry> | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const indent = raw.length - raw.trimStart().length;
    const loc: SourceLoc = { file, line: i + 1, col: indent + 1 };
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]+)\]$/.exec(stripComment(line));
    if (section) {
      const name = section[1]!.trim();
      if (sections.has(name)) throw new InputError(`section [${name}] appears twice`, loc, 'merge the two sections');
      current = new Map();
      sections.set(name, { loc, entries: current });
      return;
    }
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) throw new InputError(`expected "key = value", found '${line}'`, loc);
    if (!current) throw new InputError(`'${m[1]}' is outside any section`, loc, 'put settings under [defaults]');
    const key = m[1]!;
    if (current.has(key)) throw new InputError(`'${key}' is set twice in this section (first at line ${current.get(key)!.loc.line})`, loc, 'keep one of them');
    const value = stripComment(m[2]!);
    const valueCol = raw.indexOf(m[2]!, indent + key.length) + 1;
    current.set(key, { value, loc, valueLoc: { file, line: i + 1, col: m[2] ? valueCol : raw.length + 1 } });
  });
  return sections;
}

/** Drops an inline comment: `#` or `;` after whitespace. */
function stripComment(text: string): string {
  return text.replace(/\s+[#;].*$/, '').trim();
}
