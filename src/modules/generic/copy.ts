// copy: puts a controller file (src, from the role's files/) or inline content on the host, atomically.
import { posix } from 'node:path';
import { attrArgs, backupArg, fileDiffText, followWriteArg, validateArg } from '../lib/common-args.js';
import { contentFileProbe, planContentFile, readContentFileArgs, type ContentFileArgs } from '../lib/content-file.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export interface CopyArgs extends ContentFileArgs {
  src?: string;
  content?: string;
}

export const copySpec = defineSpec({
  description: "Puts a file from the controller (src, looked up in the role's files/) or inline content on the host, atomically.",
  args: {
    src: { type: 'str', description: "The file to copy, in the role's files/ folder or beside the playbook." },
    content: { type: 'raw', description: 'The file content, instead of src (a mapping or list is written as JSON).' },
    dest: { type: 'str', required: true, description: 'Where to write the file on the host.' },
    ...attrArgs,
    backup: backupArg,
    validate: validateArg,
    force: { type: 'bool', default: true, description: 'Replace the file when its content differs; false only creates it when missing.' },
    follow: followWriteArg,
  },
  mutuallyExclusive: [['src', 'content']],
  requiredOneOf: [['src', 'content']],
  examples: `- name: Install the MOTD
  copy:
    src: motd
    dest: /etc/motd
    mode: '0644'

- name: Write a small config inline
  copy:
    content: "listen = 127.0.0.1:9000\\n"
    dest: /etc/app/listen.conf
    owner: root
    group: root
    mode: '0640'
  notify: restart app`,
  returns: { dest: 'The destination path.', checksum: 'sha1 of the new content.', size: 'Its length in bytes.', backup_file: 'The copy kept by backup: yes, when the file changed.' },
  diff: fileDiffText,
});

export const copyModule: RemoteModule<CopyArgs> = {
  kind: 'remote',
  name: 'copy',
  ...specFields(copySpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('copy', copySpec, raw, loc);
    const src = p.src;
    const rawContent = p.content;
    if (src !== undefined && src.endsWith('/')) throw args.error(`copying a directory (src: ${src}) is not supported`, 'copy each file, or use a loop');
    // Ansible writes a mapping or list given as content as JSON.
    const content = rawContent === undefined ? undefined : typeof rawContent === 'string' ? rawContent : JSON.stringify(rawContent);
    return { ...readContentFileArgs(args, src === undefined ? undefined : posix.basename(src)), src, content };
  },
  probe: (args, ctx) => contentFileProbe(args, ctx),
  plan(args, probe, ctx) {
    const bytes = args.src !== undefined ? ctx.readFile(args.src) : Buffer.from(args.content ?? '', 'utf8');
    return planContentFile(args, bytes, probe, ctx);
  },
};
