#!/usr/bin/env node
// npm links the bins of dependencies into node_modules/.bin but never the project's own, so
// `npm ci` runs this (from "prepare") to make node_modules/.bin/runbook the repo's bin/runbook.js.
// Idempotent: a correct link is left alone, a stale file or link is replaced.
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bins = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });

for (const [name, file] of Object.entries(bins)) {
  const target = resolve(root, file);
  const link = join(binDir, name);
  const wanted = relative(binDir, target);
  chmodSync(target, 0o755);
  let current;
  try {
    const st = lstatSync(link);
    current = st.isSymbolicLink() ? readlinkSync(link) : null;
  } catch {
    current = undefined;
  }
  if (current === wanted) continue;
  if (current !== undefined) rmSync(link, { force: true });
  symlinkSync(wanted, link);
}
