// assemble: one file made of a directory's fragments (on the host, or on the controller with
// remote_src: no), in name order, as Ansible 2.14's assemble joins them; written like copy, so it
// is idempotent by content and keeps owner and mode. One probe reads the fragments and the destination.
import { shQuote } from '../../core/shell.js';
import { isVaultText } from '../../vault/index.js';
import { attrArgs, backupArg, fileDiffText, followWriteArg, validateArg } from '../lib/common-args.js';
import { contentFileSections, planContentFile, readContentFileArgs, type ContentFileArgs } from '../lib/content-file.js';
import { pyCompile } from '../lib/pyregex.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const assembleSpec = defineSpec({
  description: "Assembles a file from a directory of fragments, joined in name order; the directory is on the host, or on the controller with remote_src: no (the role's files/, then beside the playbook).",
  args: {
    src: { type: 'str', required: true, description: 'The directory of fragments.' },
    dest: { type: 'str', required: true, description: 'The file to write on the host.' },
    remote_src: { type: 'bool', default: true, description: 'src is on the host; false: on the controller.' },
    delimiter: { type: 'str', description: 'A line written between fragments; escapes such as \\n are understood, and a newline is added when it does not end with one.' },
    regexp: { type: 'str', description: 'Only fragments whose name this regular expression (Python syntax) finds a match in.' },
    ignore_hidden: { type: 'bool', default: false, description: "Leave out fragments whose name starts with '.'." },
    decrypt: { type: 'bool', default: true, description: 'Accepted for Ansible playbooks. runbook does not decrypt fragments: a vault-encrypted fragment on the controller fails the task.' },
    backup: backupArg,
    validate: validateArg,
    ...attrArgs,
    follow: followWriteArg,
  },
  examples: `- name: sshd_config from its parts, checked before it is used
  assemble:
    src: /etc/ssh/sshd_config.d.parts
    dest: /etc/ssh/sshd_config
    mode: '0600'
    validate: /usr/sbin/sshd -t -f %s

- name: A config from the role's files/conf.d fragments
  assemble:
    src: conf.d
    remote_src: no
    dest: /etc/app/app.conf
    delimiter: '### next fragment'`,
  returns: {
    src: 'The fragments directory.',
    dest: 'The destination path.',
    checksum: 'sha1 of the assembled content.',
    size: 'Its length in bytes.',
    backup_file: 'The copy kept by backup: yes, when the file changed.',
  },
  diff: fileDiffText,
});

export interface AssembleArgs extends ContentFileArgs {
  src: string;
  remoteSrc: boolean;
  delimiter?: string;
  regexp?: RegExp;
  ignoreHidden: boolean;
}

export interface Fragment {
  name: string;
  content: Buffer;
}

/** Python's codecs.escape_decode: \n, \t, \\, \xhh, octal \ooo and the like become their bytes; other backslashes stay. */
export function escapeDecode(text: string): Buffer {
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };
  const out: number[] = [];
  const src = Buffer.from(text, 'utf8');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c !== 92 || i + 1 >= src.length) { out.push(c); continue; }
    const n = String.fromCharCode(src[i + 1]);
    if (n in simple) { out.push(simple[n]); i++; continue; }
    if (n === '\n') { i++; continue; }
    const hex = /^x([0-9a-fA-F]{2})/.exec(src.subarray(i + 1, i + 4).toString('latin1'));
    if (hex) { out.push(parseInt(hex[1], 16)); i += 3; continue; }
    const oct = /^[0-7]{1,3}/.exec(src.subarray(i + 1, i + 4).toString('latin1'));
    if (oct) { out.push(parseInt(oct[0], 8) & 0xff); i += oct[0].length; continue; }
    out.push(c);
  }
  return Buffer.from(out);
}

/** Ansible's joining: a newline after a fragment that lacks one, the delimiter (with its newline) between fragments. */
export function assembleFragments(fragments: readonly Fragment[], o: { delimiter?: string; regexp?: RegExp; ignoreHidden: boolean }): Buffer {
  const parts: Buffer[] = [];
  const nl = Buffer.from('\n');
  const delimiter = o.delimiter ? escapeDecode(o.delimiter) : undefined;
  let first = true;
  let addNewline = false;
  for (const f of [...fragments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (o.regexp) {
      o.regexp.lastIndex = 0;
      if (!o.regexp.test(f.name)) continue;
    }
    if (o.ignoreHidden && f.name.startsWith('.')) continue;
    if (addNewline) parts.push(nl);
    if (!first && delimiter) {
      parts.push(delimiter);
      if (delimiter[delimiter.length - 1] !== 10) parts.push(nl);
    }
    parts.push(f.content);
    first = false;
    addNewline = f.content.length === 0 || f.content[f.content.length - 1] !== 10;
  }
  return Buffer.concat(parts);
}

/**
 * The host's fragments: `state=` (dir, missing, notdir), then one line per regular file (links
 * followed): F, its name and its content in base64; U and the name for one that cannot be read.
 */
export function fragmentsScript(src: string): string {
  return [
    `s=${shQuote(src)}`,
    'if [ ! -e "$s" ]; then echo state=missing',
    'elif [ ! -d "$s" ]; then echo state=notdir',
    'else',
    '  echo state=dir',
    '  ( cd -- "$s" || exit 1',
    '    for f in * .[!.]* ..?*; do',
    '      [ -f "$f" ] || continue',
    `      n=$(printf %s "$f" | base64 -w0)`,
    `      if [ -r "$f" ]; then printf 'F %s ' "$n"; base64 -w0 -- "$f"; echo; else printf 'U %s\\n' "$n"; fi`,
    '    done )',
    'fi',
  ].join('\n');
}

export function parseFragments(text: string | undefined): { state: string; fragments: Fragment[]; unreadable: string[] } {
  const state = keyValues(text).state ?? 'missing';
  const fragments: Fragment[] = [];
  const unreadable: string[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^([FU]) (\S+)(?: (\S*))?$/.exec(line);
    if (!m) continue;
    const name = Buffer.from(m[2], 'base64').toString('utf8');
    if (m[1] === 'U') unreadable.push(name);
    else fragments.push({ name, content: Buffer.from(m[3] ?? '', 'base64') });
  }
  return { state, fragments, unreadable };
}

const failed = (msg: string): Plan => ({ changes: [], steps: [], failure: { msg } });

export const assembleModule: RemoteModule<AssembleArgs> = {
  kind: 'remote',
  name: 'assemble',
  ...specFields(assembleSpec),
  parse(raw, loc) {
    const { args: p, reader } = parseSpec('assemble', assembleSpec, raw, loc);
    let regexp: RegExp | undefined;
    if (p.regexp !== undefined) {
      try {
        regexp = pyCompile(p.regexp).re;
      } catch (err) {
        throw reader.error(`Invalid Regexp (${(err as Error).message}) in "${p.regexp}"`);
      }
    }
    return { ...readContentFileArgs(reader, undefined), src: p.src, remoteSrc: p.remote_src, delimiter: p.delimiter, regexp, ignoreHidden: p.ignore_hidden };
  },
  probe: (a, ctx) => ({ script: sectionsScript({ ...(a.remoteSrc ? { fragments: fragmentsScript(a.src) } : {}), ...contentFileSections(a, ctx) }) }),
  plan(a, probe, ctx) {
    let fragments: Fragment[];
    if (a.remoteSrc) {
      const parsed = parseSections(probe);
      if ('error' in parsed) return failed(parsed.error);
      const host = parseFragments(parsed.sections.fragments);
      // An earlier task may create the directory (forecast in check mode).
      if (host.state === 'missing') return { changes: [], steps: [], failure: { msg: `Source (${a.src}) does not exist`, needs: [{ kind: 'path', path: a.src }] } };
      if (host.state !== 'dir') return failed(`Source (${a.src}) is not a directory`);
      if (host.unreadable.length) return failed(`cannot read ${host.unreadable.map((n) => `${a.src.replace(/\/$/, '')}/${n}`).join(', ')} on the host (permission denied?)`);
      fragments = host.fragments;
    } else {
      if (!ctx.readDirectory) return failed('remote_src: no needs the controller files, which this run cannot read');
      const local = ctx.readDirectory(a.src);
      const vaulted = local.files.find((f) => isVaultText(f.content.subarray(0, 64).toString('utf8')));
      if (vaulted) return failed(`${local.dir}/${vaulted.name} is vault-encrypted: runbook's assemble does not decrypt fragments`);
      fragments = local.files;
    }
    const content = assembleFragments(fragments, a);
    const plan = planContentFile(a, content, probe, ctx);
    return { ...plan, data: { src: a.src, ...plan.data } };
  },
};
