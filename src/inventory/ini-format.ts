// Reads Ansible's INI inventory ([web], [web:vars], [all:children], inline host vars, ranges) into the builder.
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import type { InventoryBuilder } from './builder.js';
import { parseHostEntry } from './host-name.js';
import { iniValue, splitWords, varsLine } from './ini-values.js';

type Section = { group: string; kind: 'hosts' | 'vars' | 'children' };

const SECTION = /^\[([^\]]*)\]\s*(?:[#;].*)?$/;

export function readIniInventory(text: string, file: string, b: InventoryBuilder): void {
  let section: Section = { group: 'ungrouped', kind: 'hosts' };
  const declared = new Set(['all', 'ungrouped']);
  const varsSections: { group: string; loc: SourceLoc }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const loc: SourceLoc = { file, line: index + 1, col: raw.length - raw.trimStart().length + 1 };
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      section = parseSection(line, loc);
      if (section.kind === 'vars') varsSections.push({ group: section.group, loc });
      else declared.add(section.group);
      b.group(section.group, loc);
      return;
    }
    if (section.kind === 'vars') {
      const kv = varsLine(line);
      if (!kv) throw new InputError(`expected key=value in [${section.group}:vars], found '${line}'`, loc);
      b.setGroupVars(section.group, { [kv.key]: kv.value });
    } else if (section.kind === 'children') {
      const words = splitWords(line, loc);
      if (words.length !== 1) throw new InputError(`expected one group name per line in [${section.group}:children]`, loc);
      declared.add(words[0]!.text);
      b.addChild(section.group, words[0]!.text, loc);
    } else hostLine(b, section.group, raw, loc);
  });
  for (const v of varsSections) {
    if (!declared.has(v.group)) {
      throw new InputError(`[${v.group}:vars] is for a group that is never declared`, v.loc, `declare it with [${v.group}] or in a [...:children] section`);
    }
  }
}

function parseSection(line: string, loc: SourceLoc): Section {
  const m = SECTION.exec(line);
  if (!m) throw new InputError(`malformed section header '${line}'`, loc, 'write [group], [group:vars] or [group:children]');
  const [group, kind, extra] = m[1]!.trim().split(':');
  if (extra !== undefined || !group) throw new InputError(`malformed section header '${line}'`, loc, 'write [group], [group:vars] or [group:children]');
  if (kind === undefined) return { group, kind: 'hosts' };
  if (kind === 'vars' || kind === 'children') return { group, kind };
  const hint = didYouMean(kind, ['vars', 'children']) ?? 'the only section suffixes are :vars and :children';
  throw new InputError(`unknown section type ':${kind}' in '${line}'`, loc, hint);
}

function hostLine(b: InventoryBuilder, group: string, raw: string, loc: SourceLoc): void {
  const lineStart: SourceLoc = { ...loc, col: 1 };
  const [first, ...rest] = splitWords(raw, lineStart);
  if (!first) return;
  const vars: Vars = {};
  for (const w of rest) {
    const eq = w.text.indexOf('=');
    if (eq <= 0) {
      throw new InputError(`expected key=value after host '${first.text}', found '${w.text}'`, { ...loc, col: w.offset + 1 }, 'host variables are written key=value; quote values with spaces: key="a b"');
    }
    vars[w.text.slice(0, eq)] = iniValue(w.text.slice(eq + 1), w.quoted);
  }
  for (const h of parseHostEntry(first.text, loc)) b.addHost(group, h.name, { ...h.vars, ...vars }, loc);
}
