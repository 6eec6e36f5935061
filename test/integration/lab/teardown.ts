// Removes test labs from outside the test process: `node teardown.js DIR...`, or `--all` for every test lab (CI's trap).
import { join } from 'node:path';
import { TEST_LABS_DIR, removeTestLab, removeTestLabsDirIfEmpty, sweepTestLabs } from './fixture.js';

const args = process.argv.slice(2);
try {
  if (args.includes('--all')) await sweepTestLabs();
  for (const dir of args.filter((a) => a !== '--all')) await removeTestLab(dir.startsWith('/') ? dir : join(TEST_LABS_DIR, dir));
  removeTestLabsDirIfEmpty();
} catch (err) {
  console.error(`lab teardown failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
