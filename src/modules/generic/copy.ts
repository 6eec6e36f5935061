// copy: puts a controller file (src, from the role's files/) or inline content on the host, atomically.
import { posix } from 'node:path';
import { ArgReader } from '../lib/args.js';
import { contentFileProbe, planContentFile, readContentFileArgs, type ContentFileArgs } from '../lib/content-file.js';
import type { RemoteModule } from '../types.js';

export interface CopyArgs extends ContentFileArgs {
  src?: string;
  content?: string;
}

export const copyModule: RemoteModule<CopyArgs> = {
  kind: 'remote',
  name: 'copy',
  argNames: ['src', 'content', 'dest', 'mode', 'owner', 'group', 'backup', 'validate', 'force', 'follow'],
  parse(raw, loc) {
    const args = new ArgReader('copy', raw, loc);
    args.exclusive('src', 'content');
    const src = args.str('src');
    const rawContent = args.value('content');
    if (src === undefined && rawContent === undefined) throw args.error(`one of 'src' or 'content' is required`);
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
