// Scratch folders for tests, removed when the run ends: a unit run made ~2,000 folders in /tmp
// and left them there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh folder under the system's temp dir, deleted after the last test of the run. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

// Imported from spec files (no --require), so the hook lands on the root suite and runs once at the end.
declare const after: ((fn: () => void) => void) | undefined;
if (typeof after === 'function') {
  after(function removeScratchDirs() {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}
