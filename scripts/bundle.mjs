#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into dist/bundle/cli/ after `tsc` (issue 18: start-up).
// Why: most of an apply's fixed cost was Node's module loader resolving, reading and linking ~400
// runbook files and the small packages one by one. One bundle, split at the CLI's dynamic imports so a
// command still loads only what it needs, cuts that by about half (docs/performance.md).
// Left outside the bundle, loaded from node_modules as before:
//   ssh2 / node-ssh: ssh2 loads its native crypto binding and its wasm by paths relative to its own files;
//   bullmq / ioredis: BullMQ reads its Lua scripts from its own folder; neither loads without --queue.
// bin/runbook.js uses the bundle only when it is at least as new as the tsc output, so a plain `tsc`
// (without this step) never runs stale code.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// dist/bundle/cli sits as deep as dist/src/cli, so program.ts finds package.json at the same relative path.
const outdir = join(root, 'dist', 'bundle', 'cli');
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'node-ssh', 'bullmq', 'ioredis', 'cpu-features', '*.node'],
  // Bundled CommonJS packages (commander, handlebars) call require(): give the ESM chunks a real one.
  banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
  logLevel: 'warning',
});
