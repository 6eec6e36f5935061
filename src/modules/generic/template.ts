// template: renders a template (Jinja2 or Handlebars, by template/dialect.ts) from the role's templates/ and writes it like copy does.
import { posix } from 'node:path';
import { attrArgs, backupArg, fileDiffText, followWriteArg, validateArg } from '../lib/common-args.js';
import { contentFileProbe, planContentFile, readContentFileArgs, type ContentFileArgs } from '../lib/content-file.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export interface TemplateArgs extends ContentFileArgs {
  src: string;
}

export const templateSpec = defineSpec({
  description: "Renders a template from the role's templates/ (Jinja2 for .j2 files, Handlebars for .hbs; docs/jinja2.md) with the host's variables and writes it like copy does.",
  args: {
    src: { type: 'str', required: true, description: "The template, in the role's templates/ folder or beside the playbook." },
    dest: { type: 'str', required: true, description: 'Where to write the rendered file on the host.' },
    ...attrArgs,
    backup: backupArg,
    validate: validateArg,
    force: { type: 'bool', default: true, description: 'Replace the file when its content differs.' },
    follow: followWriteArg,
  },
  examples: `- name: Configure Redis
  template:
    src: redis.conf.hbs
    dest: /etc/redis/redis.conf
    owner: redis
    mode: '0640'
    validate: redis-server %s --test-memory 0
  notify: restart redis`,
  returns: { dest: 'The destination path.', checksum: 'sha1 of the rendered content.', size: 'Its length in bytes.', backup_file: 'The copy kept by backup: yes, when the file changed.' },
  diff: fileDiffText,
});

export const templateModule: RemoteModule<TemplateArgs> = {
  kind: 'remote',
  name: 'template',
  ...specFields(templateSpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('template', templateSpec, raw, loc);
    const src = p.src;
    return { ...readContentFileArgs(args, posix.basename(src)), src };
  },
  probe: (args, ctx) => contentFileProbe(args, ctx),
  plan(args, probe, ctx) {
    // Rendered per host at plan time, so an undefined variable stops this host before any write.
    return planContentFile(args, Buffer.from(ctx.renderTemplate(args.src), 'utf8'), probe, ctx);
  },
};
