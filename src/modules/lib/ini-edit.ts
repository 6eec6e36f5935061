// ini_file's editing rules, those of community.general 6.6 (Ansible 2.14's): set or remove one
// option in one section in place. A commented-out `#option = x` / `;option` line counts as the
// option when setting it (the first one is replaced, later ones go), never when removing it.
// Checked against ansible-playbook 2.14 case by case (test/unit/modules/lib/ini-edit.test.ts).
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
/** A line the new option is not put after: blank, or a comment. */
const blankOrComment = /^[ \t]*([#;][^\n]*)?\n?$/;

/** The option's line and its value; `commented` also takes `#option`/`;option`. `[^\n]` as Python's `.`. */
function optionMatcher(option: string, commented: boolean): (line: string) => { value: string } | undefined {
  const re = new RegExp(`^${commented ? '[#;]?' : ''}[ \\t]*${escape(option)}[ \\t]*(=|$)[ \\t]*([^\\n]*)`);
  return (line) => {
    const m = re.exec(line.replace(/\n$/, ''));
    return m ? { value: m[2] } : undefined;
  };
}

/**
 * The section's lines [start, end): start is its header (-1 for the options before the first
 * header). Headers are matched at the start of the line, not indented, as Ansible does; a later
 * header of the same name right after it moves the start, as in Ansible.
 */
function findSection(lines: string[], section: string | undefined): { start: number; end: number } | undefined {
  if (!section) {
    const end = lines.findIndex((l) => l.startsWith('['));
    return { start: -1, end: end === -1 ? lines.length : end };
  }
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith(`[${section}]`)) start = i;
    else if (lines[i].startsWith('[') && start !== -1) return { start, end: i };
  }
  return start === -1 ? undefined : { start, end: lines.length };
}

export function iniEdit(text: string, o: IniEdit): EditResult {
  // Ansible reads an empty or missing file as one blank line, so a new file starts with one.
  const lines = text === '' ? ['\n'] : splitLines(text);
  let changed = false;
  let msg = '';
  if (!lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n';
    changed = true;
    msg = 'newline added at end of file';
  }
  const assignment = (value: string) => (o.noExtraSpaces ? `${o.option}=${value}\n` : `${o.option} = ${value}\n`);
  const result = (): EditResult => (changed ? { text: lines.join(''), msg } : { text, msg: '' });

  const range = findSection(lines, o.section);
  if (!range) {
    if (o.state === 'absent') return result();
    lines.push(`[${o.section}]\n`);
    if (o.option !== undefined && o.value !== undefined) lines.push(assignment(o.value));
    else if (o.option !== undefined && o.allowNoValue) lines.push(`${o.option}\n`);
    changed = true;
    msg = o.option !== undefined && (o.value !== undefined || o.allowNoValue) ? 'section and option added' : 'only section added';
    return result();
  }
  const body = lines.slice(range.start + 1, range.end);
  const edited = editSection(body, o, assignment);
  if (edited.msg) {
    lines.splice(range.start + 1, range.end - range.start - 1, ...edited.lines);
    changed = true;
    msg = edited.msg;
  }
  if (o.state === 'absent' && o.option === undefined && o.section) {
    lines.splice(range.start, range.end - range.start);
    changed = true;
    msg = 'section removed';
  }
  return result();
}

/** The lines after the section's header, edited; msg empty when nothing changed. */
function editSection(body: string[], o: IniEdit, assignment: (value: string) => string): { lines: string[]; msg: string } {
  if (o.option === undefined) return { lines: body, msg: '' };
  const lines = [...body];
  let msg = '';
  if (o.state === 'absent') {
    const active = optionMatcher(o.option, false);
    const kept = lines.filter((l) => !active(l));
    return { lines: kept, msg: kept.length !== lines.length ? 'option changed' : '' };
  }

  const matches = optionMatcher(o.option, true);
  const done = lines.map(() => false);
  const set = (i: number, line: string) => {
    if (lines[i] !== line) msg = 'option changed';
    lines[i] = line;
    done[i] = true;
  };
  const values = o.value === undefined ? [] : [o.value];
  // allow_no_value without a value: the first line of the option becomes the bare option, others stay.
  const bare = o.allowNoValue && o.value === undefined;
  let bareOptionPresent = false;
  // A line that already holds the value is normalised in place (and uncommented).
  for (let i = 0; i < lines.length; i++) {
    const m = matches(lines[i]);
    if (!m) continue;
    if (values.includes(m.value)) {
      set(i, m.value === '' && o.allowNoValue ? `${o.option}\n` : assignment(m.value));
      values.splice(values.indexOf(m.value), 1);
    } else if (bare) {
      set(i, `${o.option}\n`);
      bareOptionPresent = true;
      break;
    }
  }
  if (!bare) {
    // Otherwise the first other line of the option takes the value, and every later one goes.
    for (let i = 0; i < lines.length && values.length > 0; i++) if (!done[i] && matches(lines[i])) set(i, assignment(values.shift()!));
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!done[i] && matches(lines[i])) {
        lines.splice(i, 1);
        done.splice(i, 1);
        msg = 'option changed';
      }
    }
  }
  // Still missing: after the section's last setting, before the comments and blank lines that trail it.
  let at = lines.length;
  while (at > 0 && blankOrComment.test(lines[at - 1])) at--;
  if (values.length > 0) {
    lines.splice(at, 0, ...values.map(assignment));
    msg = 'option added';
  } else if (bare && !bareOptionPresent) {
    lines.splice(at, 0, `${o.option}\n`);
    msg = 'option added';
  }
  return { lines, msg };
}
