// Writes docs/modules/ (one page per module and an index) from each module's spec (src/modules/spec.ts)
// (`npm run docs:modules`); `--check` only reports pages that are out of date.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleDocFiles } from '../src/output/doc/files.js';

const dir = join(import.meta.dirname, '..', 'docs', 'modules');
const check = process.argv.includes('--check');
const files = moduleDocFiles();
const stale: string[] = [];
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  const file = join(dir, name);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
  stale.push(`docs/modules/${name}`);
  if (!check) writeFileSync(file, text);
}
// A page whose module is gone goes too.
for (const name of readdirSync(dir)) {
  if (name.endsWith('.md') && !(name in files)) {
    stale.push(`docs/modules/${name} (no such module)`);
    if (!check) rmSync(join(dir, name));
  }
}
if (check && stale.length) {
  console.error(`out of date: ${stale.join(', ')}; run npm run docs:modules`);
  process.exit(1);
}
console.log(stale.length ? `updated ${stale.join(', ')}` : 'docs/modules/ is up to date');
