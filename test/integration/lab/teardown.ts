// Removes test labs from outside the test process: `node teardown.js DIR...`, or `--all` for every test lab (CI's trap).
import { join } from 'node:path';
import { labDown } from '../../../src/lab/lab.js';
import { TEST_LABS_DIR, sweepTestLabs } from './fixture.js';

const args = process.argv.slice(2);
try {
  if (args.includes('--all')) await sweepTestLabs();
  for (const dir of args.filter((a) => a !== '--all')) await labDown({ dir: dir.startsWith('/') ? dir : join(TEST_LABS_DIR, dir) });
} catch (err) {
  console.error(`lab teardown failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
