// Writes the JSON Schemas under schema/ from the loader's keywords and the module registry
// (`npm run schema`); `--check` only reports files that are out of date, for CI.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemas, renderSchema } from '../src/schema/index.js';

const dir = join(import.meta.dirname, '..', 'schema');
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(buildSchemas())) {
  const file = join(dir, name);
  const text = renderSchema(schema);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
  stale.push(`schema/${name}`);
  if (!check) writeFileSync(file, text);
}
if (check && stale.length) {
  console.error(`out of date: ${stale.join(', ')}; run npm run schema`);
  process.exit(1);
}
console.log(stale.length ? `wrote ${stale.join(', ')}` : 'schema/ is up to date');
