// Writes a scaffold: every file or none. An existing file is never overwritten, so `runbook init`
// run twice, or over work in progress, changes nothing and says which files are in the way.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { InputError } from '../core/errors.js';

/** Paths relative to the scaffold's root, and their content. */
export type Scaffold = Record<string, string>;

export function writeScaffold(root: string, files: Scaffold, what: string): string[] {
  const inTheWay = Object.keys(files).filter((f) => existsSync(join(root, f)));
  if (inTheWay.length > 0) {
    throw new InputError(
      `${what}: ${inTheWay.length === 1 ? 'a file is' : 'files are'} already there: ${inTheWay.map((f) => relative(process.cwd(), join(root, f)) || f).join(', ')}`,
      undefined,
      'runbook init never overwrites; choose another name or directory, or move those files away',
    );
  }
  const written: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': a file created between the check and now is still not overwritten.
    writeFileSync(path, text, { flag: 'wx' });
    written.push(file);
  }
  return written;
}
