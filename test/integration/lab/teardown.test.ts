// .ci/run's exit trap (teardown.js --all) leaves nothing in /tmp: no lab, no lab dir, no private key.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp, leftovers } from '../../../src/lab/lab.js';
import { readState } from '../../../src/lab/state.js';
import { takeTestLabIndex } from './fixture.js';

const teardownScript = fileURLToPath(new URL('./teardown.js', import.meta.url));

/** Runs the CI teardown as .ci/run does, with its own TMPDIR so it sees only this test's labs. */
function ciTeardown(tmp: string): void {
  const res = spawnSync(process.execPath, [teardownScript, '--all'], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
  expect(res.status, res.stderr).to.equal(0);
}

describe('lab teardown (.ci/run exit trap)', function () {
  this.timeout(600_000);
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'teardown-test-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('stops a test lab left running and deletes its dir, lab key included, and the test labs dir', async () => {
    const index = takeTestLabIndex();
    const labsDir = join(tmp, 'runbook-test-labs');
    const dir = join(labsDir, `t${index}`);
    const lab = await labUp({ name: `t${index}`, dir, subnet: `10.78.${index}.0/24`, hosts: 1 });
    try {
      const state = (await readState(join(dir, 'state.json')))!;
      expect(existsSync(lab.keyFile)).to.equal(true);
      ciTeardown(tmp);
      expect(await leftovers(state)).to.deep.equal([]);
      expect(existsSync(lab.keyFile), 'lab private key').to.equal(false);
      expect(existsSync(labsDir), labsDir).to.equal(false);
    } finally {
      if (existsSync(dir)) await labDown({ dir });
    }
  });

  it('deletes what a lab that died before it started left (keys, no state)', () => {
    const dir = join(tmp, 'runbook-test-labs', 't0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'id_ed25519'), 'PRIVATE KEY\n', { mode: 0o600 });
    writeFileSync(`${dir}.owner`, '999999999');
    ciTeardown(tmp);
    expect(existsSync(join(tmp, 'runbook-test-labs'))).to.equal(false);
  });
});
