// Shared by the vault tests: where the fixtures are, and throwaway folders.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from '../../support/temp-dir.js';

/** The repository root: the nearest folder with package.json (works from test/ and dist/test/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const VECTORS = join(repoRoot(), 'test', 'fixtures', 'vault');
/** The password the Ansible vectors were encrypted with (also in ansible-password.txt). */
export const ANSIBLE_PASSWORD = 'ansible-test-pw';

export function tempDir(): string {
  return scratchDir('runbook-vault-test-');
}
