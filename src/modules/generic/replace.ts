// replace: every match of a Python regular expression in a file replaced (with \1-style groups), as
// Ansible 2.14's replace does: MULTILINE for regexp, DOTALL for the after/before fences.
import { attrArgs, backupArg, fileDiffText, followEditArg, validateArg } from '../lib/common-args.js';
import { pyCompile, pySubn } from '../lib/pyregex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { editProbe, planEdit, readEditArgs, type EditArgs, type EditResult, type TextCodec } from '../lib/text-edit.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const replaceSpec = defineSpec({
  description: 'Replaces every match of a regular expression in a text file; \\1 or \\g<name> in replace are the groups matched. Keeping it idempotent is up to the expression: it must not match its own replacement.',
  args: {
    path: { type: 'str', required: true, aliases: ['dest', 'destfile', 'name'], description: 'Path of the file on the host; it must exist.' },
    regexp: {
      type: 'str',
      required: true,
      description: 'What to replace: a Python regular expression in MULTILINE mode (^ and $ match at every line) without DOTALL (. does not match a newline; [^#] does).',
    },
    replace: { type: 'str', default: '', description: 'What each match becomes; \\1, \\g<1> and \\g<name> are its groups. Empty removes the matches.' },
    after: { type: 'str', description: 'Replace only after the first match of this expression (DOTALL, not MULTILINE: ^ and $ are the ends of the file unless it says (?m)).' },
    before: { type: 'str', description: 'Replace only before the match of this expression (DOTALL, not MULTILINE). With after: only between the two, in their first such pair.' },
    backup: backupArg,
    validate: validateArg,
    encoding: { type: 'str', default: 'utf-8', description: 'The character encoding the file is read and written in: utf-8, latin-1 (iso-8859-1), ascii or utf-16-le.' },
    ...attrArgs,
    follow: followEditArg,
  },
  examples: `- name: A new host name in /etc/hosts
  replace:
    path: /etc/hosts
    regexp: '(\\s+)old\\.example\\.com(\\s+.*)?$'
    replace: '\\1new.example.com\\2'

- name: Comment out the default virtual host's lines
  replace:
    path: /etc/apache2/sites-available/000-default.conf
    after: '(?m)^<VirtualHost [*]:80>'
    before: '</VirtualHost>'
    regexp: '^(.+)$'
    replace: '# \\1'
    backup: yes`,
  returns: { backup_file: 'The copy kept by backup: yes, when the file changed.' },
  diff: fileDiffText,
});

export interface ReplaceRules {
  regexp: RegExp;
  replace: string;
  /** after and before joined as Ansible joins them: one DOTALL expression with a `subsection` group. */
  fence?: { re: RegExp; source: string };
}

export type ReplaceArgs = EditArgs & ReplaceRules & { encoding: string };

/** Ansible's replace: the matches within the fenced section replaced; the rest of the file kept. */
export function replaceEdit(text: string, o: ReplaceRules): EditResult {
  let section = text;
  let start = 0;
  if (o.fence) {
    o.fence.re.lastIndex = 0;
    const m = o.fence.re.exec(text);
    if (!m) return { text, msg: `Pattern for before/after params did not match the given file: ${o.fence.source}`, stop: true };
    section = m.groups!.subsection;
    start = m.indices!.groups!.subsection![0];
  }
  const r = pySubn(o.regexp, o.replace, section);
  if (r.count === 0 || r.text === section) return { text, msg: '' };
  return { text: text.slice(0, start) + r.text + text.slice(start + section.length), msg: `${r.count} replacements made` };
}

const CODECS: Record<string, TextCodec> = {
  utf8: {
    decode: (b) => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        throw new Error('it is not UTF-8 text: give its encoding (encoding: latin-1)');
      }
    },
    encode: (t) => Buffer.from(t, 'utf8'),
  },
  latin1: {
    decode: (b) => b.toString('latin1'),
    encode: (t) => {
      if (/[^\u0000-\u00ff]/.test(t)) throw new Error('the replacement has characters latin-1 cannot hold');
      return Buffer.from(t, 'latin1');
    },
  },
  ascii: {
    decode: (b) => {
      if (b.some((x) => x > 127)) throw new Error('the file is not ascii');
      return b.toString('latin1');
    },
    encode: (t) => {
      if (/[^\u0000-\u007f]/.test(t)) throw new Error('the replacement has characters ascii cannot hold');
      return Buffer.from(t, 'latin1');
    },
  },
  utf16le: { decode: (b) => new TextDecoder('utf-16le', { fatal: true }).decode(b), encode: (t) => Buffer.from(t, 'utf16le') },
};

/** Python's names for the encodings runbook can read and write. */
export function codecFor(encoding: string): TextCodec | undefined {
  const name = encoding.toLowerCase().replace(/[-_ ]/g, '');
  const canonical: Record<string, string> = {
    utf8: 'utf8', u8: 'utf8', latin1: 'latin1', iso88591: 'latin1', l1: 'latin1', ascii: 'ascii', usascii: 'ascii', utf16le: 'utf16le',
  };
  return CODECS[canonical[name] ?? ''];
}

export const replaceModule: RemoteModule<ReplaceArgs> = {
  kind: 'remote',
  name: 'replace',
  ...specFields(replaceSpec),
  parse(raw, loc) {
    const { args: p, reader } = parseSpec('replace', replaceSpec, raw, loc);
    const compile = (key: string, source: string, flags: { multiline?: boolean; dotall?: boolean }) => {
      try {
        return pyCompile(source, flags).re;
      } catch (err) {
        throw reader.error(`'${key}' is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    if (!codecFor(p.encoding)) throw reader.error(`encoding '${p.encoding}' is not supported`, 'use utf-8, latin-1, ascii or utf-16-le');
    // Each part compiled alone first, so an error names the argument that has it.
    compile('regexp', p.regexp, { multiline: true });
    if (p.after) compile('after', p.after, { dotall: true });
    if (p.before) compile('before', p.before, { dotall: true });
    let fence: ReplaceRules['fence'];
    if (p.after || p.before) {
      // Ansible's own joining of the two; the d flag gives where the subsection starts.
      const source = p.after && p.before ? `${p.after}(?P<subsection>.*?)${p.before}` : p.after ? `${p.after}(?P<subsection>.*)` : `(?P<subsection>.*)${p.before}`;
      const re = compile(p.after && p.before ? 'after/before' : p.after ? 'after' : 'before', source, { dotall: true });
      fence = { re: new RegExp(re.source, `${re.flags}d`), source };
    }
    return { ...readEditArgs(reader, false), regexp: compile('regexp', p.regexp, { multiline: true }), replace: p.replace, fence, encoding: p.encoding };
  },
  probe: (args) => editProbe(args),
  plan: (args, probe, ctx) =>
    planEdit(args, probe, ctx, (text) => replaceEdit(text, args), {
      missingMsg: `Path ${args.path} does not exist !`,
      backupKey: 'backup_file',
      codec: codecFor(args.encoding),
    }),
};
