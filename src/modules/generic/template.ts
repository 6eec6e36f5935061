// template: renders a Handlebars template from the role's templates/ and writes it like copy does.
import { posix } from 'node:path';
import { ArgReader } from '../lib/args.js';
import { contentFileProbe, planContentFile, readContentFileArgs, type ContentFileArgs } from '../lib/content-file.js';
import type { RemoteModule } from '../types.js';

export interface TemplateArgs extends ContentFileArgs {
  src: string;
}

export const templateModule: RemoteModule<TemplateArgs> = {
  kind: 'remote',
  name: 'template',
  argNames: ['src', 'dest', 'mode', 'owner', 'group', 'backup', 'validate', 'force', 'follow'],
  parse(raw, loc) {
    const args = new ArgReader('template', raw, loc);
    const src = args.requiredStr('src');
    return { ...readContentFileArgs(args, posix.basename(src)), src };
  },
  probe: (args, ctx) => contentFileProbe(args, ctx),
  plan(args, probe, ctx) {
    // Rendered per host at plan time, so an undefined variable stops this host before any write.
    return planContentFile(args, Buffer.from(ctx.renderTemplate(args.src), 'utf8'), probe, ctx);
  },
};
