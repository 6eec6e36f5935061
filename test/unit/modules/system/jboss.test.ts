// jboss plans from canned markers and checksums (copy only when not deployed or the content differs,
// undeploy only when deployed), and its probe and steps run for real in a scratch folder with /bin/sh.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { jbossProbe, parseJbossArgs, planJboss } from '../../../../src/modules/system/jboss.js';
import { scratchDir } from '../../../support/temp-dir.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const host = (facts: Record<string, string>) => sections({ jboss: Object.entries(facts).map(([k, v]) => `${k}=${v}\n`).join('') });
const present = { src: '/tmp/hello.war', deployment: 'hello.war', deploy_path: '/srv/deployments/' };

/** Runs a step while a stand-in deployment scanner (SCANNER, a sh script) runs beside it; the scanner is stopped if the step returns first. */
async function withScanner(scanner: string, step: string) {
  const proc = spawn('/bin/sh', ['-c', scanner], { stdio: 'ignore' });
  const ended = new Promise((done) => proc.once('exit', done));
  const r = sh(step);
  if (proc.exitCode === null) proc.kill();
  await ended;
  return r;
}

function sh(script: string) {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('modules/system/jboss', () => {
  it('deploys an archive that is not deployed yet, into the folder without its trailing slash', () => {
    const plan = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes', source: 'aaa' }));
    expect(plan.failure).to.equal(undefined);
    expect(plan.changes).to.deep.equal(['deploy /tmp/hello.war as /srv/deployments/hello.war']);
    expect(plan.steps).to.have.length(1);
    expect(plan.steps[0]!.script).to.contain('rm -f /srv/deployments/hello.war.failed /srv/deployments/hello.war.undeployed');
    expect(plan.provides).to.deep.equal([{ kind: 'path', path: '/srv/deployments/hello.war' }]);
  });

  it('leaves a deployed archive with the same content alone (idempotent)', () => {
    const plan = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes', deployed: 'yes', current: 'aaa', source: 'aaa' }));
    expect(plan.changes).to.deep.equal([]);
    expect(plan.steps).to.deep.equal([]);
  });

  it('copies a new version over a deployed one, keeping its markers', () => {
    const plan = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes', deployed: 'yes', current: 'aaa', source: 'bbb' }));
    expect(plan.changes[0]).to.match(/^update hello.war/);
    expect(plan.steps[0]!.script).not.to.contain('.undeployed');
  });

  it('a failed earlier deployment is deployed again', () => {
    const plan = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes', failed: 'yes', current: 'aaa', source: 'aaa' }));
    expect(plan.changes).to.have.length(1);
  });

  it('undeploys by removing the .deployed marker, and only when deployed', () => {
    const absent = { deployment: 'hello.war', deploy_path: '/srv/deployments', state: 'absent' };
    const plan = planJboss(parseJbossArgs(absent, loc), host({ dir: 'yes', deployed: 'yes' }));
    expect(plan.changes).to.deep.equal(['undeploy hello.war (remove /srv/deployments/hello.war.deployed)']);
    expect(plan.steps[0]!.script).to.match(/^rm -f \/srv\/deployments\/hello.war.deployed\n/);
    expect(planJboss(parseJbossArgs(absent, loc), host({ dir: 'yes', undeployed: 'yes' })).changes).to.deep.equal([]);
  });

  it('fails (or forecasts in check mode) when src or deploy_path is missing', () => {
    const noSrc = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes' }));
    expect(noSrc.failure?.msg).to.equal('src /tmp/hello.war does not exist on the host');
    expect(noSrc.failure?.needs).to.deep.equal([{ kind: 'path', path: '/tmp/hello.war' }]);
    const noDir = planJboss(parseJbossArgs(present, loc), host({}));
    expect(noDir.failure?.msg).to.equal('deploy_path /srv/deployments does not exist');
  });

  it('says why a deploy failed or timed out', () => {
    const plan = planJboss(parseJbossArgs(present, loc), host({ dir: 'yes', source: 'aaa' }));
    expect(plan.afterApply!([{ code: 3, stdout: '', stderr: '' }]).failed).to.match(/scanner wrote \/srv\/deployments\/hello.war.failed/);
    expect(plan.afterApply!([{ code: 4, stdout: '', stderr: '' }]).failed).to.match(/no answer from the deployment scanner within 300 s/);
    expect(plan.afterApply!([{ code: 0, stdout: '', stderr: '' }]).failed).to.equal(undefined);
  });

  it('refuses bad arguments at the task, with its file:line:col', () => {
    expect(() => parseJbossArgs({ deployment: 'hello.war' }, loc)).to.throw(InputError, /src/);
    expect(() => parseJbossArgs({ ...present, deployment: '../x.war' }, loc)).to.throw(InputError, /is not a file name/);
    expect(() => parseJbossArgs({ ...present, state: 'deployed' }, loc)).to.throw(InputError, /state/);
    try {
      parseJbossArgs({ ...present, deployment: 'a/b.war' }, loc);
      expect.fail('no error');
    } catch (err) {
      expect((err as InputError).describe()).to.match(/^roles\/test\/tasks\/main.yml:3:3: jboss: deployment 'a\/b.war' is not a file name/);
    }
    // state=absent needs no src.
    expect(parseJbossArgs({ deployment: 'hello.war', state: 'absent' }, loc).deploy_path).to.equal('/var/lib/jbossas/standalone/deployments');
  });

  describe('its scripts, run with /bin/sh in a scratch folder', () => {
    const dir = scratchDir('jboss');
    const deploy = join(dir, 'deployments');
    const src = join(dir, 'app.war');
    mkdirSync(deploy);
    writeFileSync(src, 'war v1\n');
    const args = parseJbossArgs({ src, deployment: 'app.war', deploy_path: deploy }, loc);

    it('the probe reads the folder, the markers and both checksums', () => {
      const before = planJboss(args, sh(jbossProbe(args)));
      expect(before.changes).to.have.length(1);
      writeFileSync(join(deploy, 'app.war'), 'war v1\n');
      writeFileSync(join(deploy, 'app.war.deployed'), '');
      expect(planJboss(args, sh(jbossProbe(args))).changes).to.deep.equal([]);
      writeFileSync(src, 'war v2\n');
      expect(planJboss(args, sh(jbossProbe(args))).changes[0]).to.match(/^update/);
    });

    it('the deploy step renames the copy into place and returns once the scanner has answered', async () => {
      // Not deployed, with a .failed marker left by an earlier attempt.
      rmSync(join(deploy, 'app.war.deployed'));
      writeFileSync(join(deploy, 'app.war.failed'), '');
      const plan = planJboss(args, sh(jbossProbe(args)));
      // The scanner marks the archive deployed once the stale .failed is gone.
      const r = await withScanner(`while [ -e '${deploy}/app.war.failed' ]; do sleep 0.05; done; touch '${deploy}/app.war.deployed'`, plan.steps[0]!.script);
      expect(r.code, r.stderr).to.equal(0);
      expect(readFileSync(join(deploy, 'app.war'), 'utf8')).to.equal('war v2\n');
      expect(statSync(join(deploy, 'app.war')).mode & 0o777).to.equal(0o644);
      expect(spawnSync('/bin/sh', ['-c', `ls -A '${deploy}'`], { encoding: 'utf8' }).stdout).not.to.contain('.runbook-jboss');
    });

    it('the deploy step fails with the scanner\'s .failed marker', async () => {
      writeFileSync(src, 'war v3\n');
      for (const m of ['deployed', 'failed']) rmSync(join(deploy, `app.war.${m}`), { force: true });
      const plan = planJboss(args, sh(jbossProbe(args)));
      // A stand-in scanner that refuses the archive once it has arrived.
      const r = await withScanner(`while ! grep -q v3 '${deploy}/app.war'; do sleep 0.05; done; touch '${deploy}/app.war.failed'`, plan.steps[0]!.script);
      expect(r.code).to.equal(3);
      expect(plan.afterApply!([r]).failed).to.match(/scanner wrote .*app.war.failed/);
    });

    it('the undeploy step removes .deployed and waits for .undeployed', () => {
      const absent = parseJbossArgs({ deployment: 'app.war', deploy_path: deploy, state: 'absent' }, loc);
      writeFileSync(join(deploy, 'app.war.deployed'), '');
      writeFileSync(join(deploy, 'app.war.undeployed'), '');
      const plan = planJboss(absent, sh(jbossProbe(absent)));
      const r = sh(plan.steps[0]!.script);
      expect(r.code).to.equal(0);
      expect(existsSync(join(deploy, 'app.war.deployed'))).to.equal(false);
    });
  });
});
