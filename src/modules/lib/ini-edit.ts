// ini_file's editing rules (community.general): set or remove one option in one section, in
// place, leaving comments alone; a commented-out `;option =` line is not touched, as in Ansible.
import { splitLines } from './line-edit.js';
import type { EditResult } from './text-edit.js';

export interface IniEdit {
  /** Undefined or '': the options before the first section header. */
  section?: string;
  option?: string;
  value?: string;
  state: 'present' | 'absent';
  noExtraSpaces: boolean;
  allowNoValue: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const blankOrComment = /^[ \t]*([#;].*)?$/;
const isHeader = (l: string) => l.trimStart().startsWith('[');

export function iniEdit(text: string, o: IniEdit): EditResult {
  const lines = splitLines(text);
  let msg = '';
  if (lines.length && !lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n';
    msg = 'newline added at end of file';
  }
  const assignment = o.option === undefined ? '' : o.value === undefined ? `${o.option}\n` : o.noExtraSpaces ? `${o.option}=${o.value}\n` : `${o.option} = ${o.value}\n`;

  // [start, end): start is the header line (-1 for the options before any section).
  let start = -1;
  if (o.section) start = lines.findIndex((l) => l.trimStart().startsWith(`[${o.section}]`));
  const found = !o.section || start !== -1;
  if (!found) {
    if (o.state === 'absent') return { text: lines.join(''), msg };
    lines.push(`[${o.section}]\n`);
    if (o.option !== undefined) lines.push(assignment);
    return { text: lines.join(''), msg: o.option !== undefined ? 'section and option added' : 'only section added' };
  }
  let end = lines.findIndex((l, i) => i > start && isHeader(l));
  if (end === -1) end = lines.length;

  if (o.option === undefined) {
    if (o.state === 'absent' && o.section) {
      lines.splice(start, end - start);
      return { text: lines.join(''), msg: 'section removed' };
    }
    return { text: lines.join(''), msg };
  }

  const active = new RegExp(`^[ \\t]*${escape(o.option)}[ \\t]*(=|$)`);
  const matches: number[] = [];
  for (let i = start + 1; i < end; i++) if (active.test(lines[i].replace(/\n$/, ''))) matches.push(i);

  if (o.state === 'absent') {
    for (const i of matches.reverse()) lines.splice(i, 1);
    return { text: lines.join(''), msg: matches.length ? 'option changed' : msg };
  }
  if (matches.length) {
    // Later duplicates go, the first occurrence is set in place.
    for (const i of matches.slice(1).reverse()) lines.splice(i, 1);
    if (matches.length > 1) msg = 'option changed';
    if (lines[matches[0]] !== assignment) {
      lines[matches[0]] = assignment;
      msg = 'option changed';
    }
    return { text: lines.join(''), msg };
  }
  // After the section's last setting, before the comments and blank lines that trail it.
  let at = start + 1;
  for (let i = end - 1; i > start; i--) {
    if (!blankOrComment.test(lines[i].replace(/\n$/, ''))) {
      at = i + 1;
      break;
    }
  }
  lines.splice(at, 0, assignment);
  return { text: lines.join(''), msg: 'option added' };
}
