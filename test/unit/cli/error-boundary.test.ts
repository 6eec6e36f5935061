// The CLI's one error boundary ends what it prints with the error's troubleshooting link.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled: dist/test/unit/cli; run from source: test/unit/cli.
const ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../../' : '../../../', import.meta.url));

function runbook(args: string[], cwd: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'runbook.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stderr: r.stderr };
}

describe('cli/main: the error boundary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-boundary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints bad input with its file and a link to the bad-input entry, exit 1', () => {
    const r = runbook(['apply', 'missing.yml', '-i', 'missing-inventory.yml'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^ERROR! /);
    expect(r.stderr.trimEnd().split('\n').at(-1)).to.equal('  see: docs/troubleshooting.md#bad-input');
  });
});
