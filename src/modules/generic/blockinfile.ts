// blockinfile: a block of lines between two marker lines in a text file, inserted, updated or
// removed with Ansible 2.14's rules (where a missing block goes, what counts as its markers), so a
// file Ansible managed is taken over without a second copy of the block.
import { attrArgs, backupArg, fileDiffText, followEditArg, validateArg } from '../lib/common-args.js';
import { pyCompile } from '../lib/pyregex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { editProbe, planEdit, readEditArgs, type EditArgs, type EditResult } from '../lib/text-edit.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const blockinfileSpec = defineSpec({
  description: 'Inserts, updates or removes a block of lines between two marker lines in a text file.',
  args: {
    path: { type: 'str', required: true, aliases: ['dest', 'destfile', 'name'], description: 'Path of the file on the host.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the block is there; absent: it and its markers are not.' },
    block: { type: 'str', default: '', aliases: ['content'], description: 'The lines between the markers. Empty removes the block, as state: absent does.' },
    marker: {
      type: 'str',
      default: '# {mark} ANSIBLE MANAGED BLOCK',
      description: 'The marker line; {mark} becomes marker_begin or marker_end. Give each block in a file its own marker (a marker without {mark}, or spanning lines, adds the block again on every run).',
    },
    marker_begin: { type: 'str', default: 'BEGIN', description: 'What {mark} becomes in the opening marker.' },
    marker_end: { type: 'str', default: 'END', description: 'What {mark} becomes in the closing marker.' },
    insertafter: {
      type: 'str',
      description: 'Where a block not yet in the file goes: after the last line matching this regular expression (Python syntax), or EOF. No match: at the end. With (?m) the expression is matched against the whole file.',
    },
    insertbefore: {
      type: 'str',
      description: 'Where a block not yet in the file goes: before the last line matching this regular expression (Python syntax), or BOF. No match: at the end. With (?m) the expression is matched against the whole file.',
    },
    create: { type: 'bool', default: false, description: 'Create the file when it is missing (and its parent directories).' },
    backup: backupArg,
    validate: validateArg,
    ...attrArgs,
    follow: followEditArg,
  },
  mutuallyExclusive: [['insertbefore', 'insertafter']],
  examples: `- name: Let the deploy user restart the app
  blockinfile:
    path: /etc/sudoers.d/app
    create: yes
    mode: '0440'
    block: |
      deploy ALL=(root) NOPASSWD: /bin/systemctl restart app
    validate: 'visudo -cf %s'

- name: Hosts of the cluster, one block per loop item
  blockinfile:
    path: /etc/hosts
    marker: "# {mark} {{ item.name }}"
    block: "{{ item.ip }} {{ item.name }}"
  loop:
    - { name: db1, ip: 10.0.0.11 }
    - { name: db2, ip: 10.0.0.12 }

- name: The block gone again
  blockinfile:
    path: /etc/hosts
    marker: "# {mark} db1"
    state: absent`,
  returns: { backup_file: 'The copy kept by backup: yes, when the file changed.' },
  diff: fileDiffText,
});

export interface BlockRules {
  present: boolean;
  block: string;
  marker: string;
  markerBegin: string;
  markerEnd: string;
  /** 'EOF', or a compiled expression; `multiline` when it carries (?m). */
  insertafter?: 'EOF' | { re: RegExp; multiline: boolean };
  insertbefore?: 'BOF' | { re: RegExp; multiline: boolean };
}

export type BlockinfileArgs = EditArgs & BlockRules;

/** Python's bytes.splitlines(keepends): \r\n, \r and \n end a line. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const count = (text: string, end: number): number => text.slice(0, end).split('\n').length - 1;

/**
 * Ansible's blockinfile, step for step: an old block (its last begin and end markers, in either
 * order) is cut out and the new one goes where it was; otherwise where insertafter/insertbefore
 * say. `exists` false: the file is created (message 'File created').
 */
export function blockEdit(text: string, exists: boolean, o: BlockRules): EditResult {
  const lines = splitLines(text);
  const begin = `${o.marker.split('{mark}').join(o.markerBegin)}\n`;
  const end = `${o.marker.split('{mark}').join(o.markerEnd)}\n`;
  let blockLines: string[] = [];
  if (o.present && o.block) {
    const block = o.block.endsWith('\n') ? o.block : `${o.block}\n`;
    blockLines = [begin, ...splitLines(block), end];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === begin) n0 = i;
    if (l === end) n1 = i;
  });
  const after = o.insertafter ?? (o.insertbefore === undefined ? 'EOF' : undefined);
  const rule = after !== undefined && after !== 'EOF' ? after : o.insertbefore !== undefined && o.insertbefore !== 'BOF' ? o.insertbefore : undefined;
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    let found: number | undefined;
    if (rule) {
      if (rule.multiline) {
        rule.re.lastIndex = 0;
        const m = rule.re.exec(text);
        if (m) found = count(text, after !== undefined ? m.index + m[0].length : m.index);
      } else {
        lines.forEach((l, i) => {
          rule.re.lastIndex = 0;
          if (rule.re.test(l)) found = i;
        });
      }
      at = found === undefined ? lines.length : after !== undefined ? found + 1 : found;
    } else at = o.insertbefore !== undefined ? 0 : lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  // As Ansible: the line before the insertion point gets its newline, even when nothing is inserted.
  if (at > 0 && !lines[at - 1].endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blockLines);
  const result = lines.join('');
  if (exists && result === text) return { text, msg: '' };
  return { text: result, msg: !exists ? 'File created' : blockLines.length ? 'Block inserted' : 'Block removed' };
}

export const blockinfileModule: RemoteModule<BlockinfileArgs> = {
  kind: 'remote',
  name: 'blockinfile',
  ...specFields(blockinfileSpec),
  parse(raw, loc) {
    const { args: p, reader } = parseSpec('blockinfile', blockinfileSpec, raw, loc);
    const where = <K extends 'EOF' | 'BOF'>(key: 'insertafter' | 'insertbefore', special: K): K | { re: RegExp; multiline: boolean } | undefined => {
      const v = p[key];
      if (v === undefined) return undefined;
      if (v === special) return special;
      try {
        const { re, flags } = pyCompile(v);
        return { re, multiline: flags.multiline };
      } catch (err) {
        throw reader.error(`'${key}' is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    if (/[\r\n]/.test(p.marker)) throw reader.error(`'marker' must be one line: a marker spanning lines is never found again, so every run would add the block once more`);
    return {
      ...readEditArgs(reader, false),
      present: p.state === 'present',
      block: p.block,
      marker: p.marker,
      markerBegin: p.marker_begin,
      markerEnd: p.marker_end,
      insertafter: where('insertafter', 'EOF'),
      insertbefore: where('insertbefore', 'BOF'),
    };
  },
  probe: (args) => editProbe(args),
  plan: (args, probe, ctx) =>
    planEdit(args, probe, ctx, (text, exists) => blockEdit(text, exists, args), {
      // As Ansible: a missing file is an error unless create, even for state=absent.
      missingOk: !args.present && args.create ? `File ${args.path} not present` : undefined,
      missingMsg: `Path ${args.path} does not exist !`,
      backupKey: 'backup_file',
    }),
};
