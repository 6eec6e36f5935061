// Custom modules on a lab host (issue 14): a role in the style of a Galaxy role ships its own
// modules in library/ (a new-style Python module on runbook's module_utils stand-in, a WANT_JSON
// shell module and, when gcc is here, a binary compiled from C) and runs unchanged: --check changes
// nothing, a run converges, a second run changes nothing, a no_log argument never reaches output,
// and no upload is left on the host.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, REPO, runbook, type CliRun } from './support/runbook.js';

const HOST = 'custmod1';
const TOKEN = 'acme-Tk-93kq-zz71';
const hasGcc = spawnSync('gcc', ['--version']).status === 0;

describe('custom modules from a role library/ on a lab host', function () {
  this.timeout(600_000);
  let h: OneHost;
  const runs: CliRun[] = [];

  async function apply(...extra: string[]): Promise<CliRun> {
    // The token goes in a file, never on a command line (runbook's resume hint repeats the command line).
    const r = await runbook(['apply', join(h.work, 'site.yml'), '-i', h.inventory, '-e', `@${join(h.work, 'secret.json')}`, ...extra], { cwd: h.work });
    runs.push(r);
    return r;
  }

  before(async function () {
    this.timeout(1_800_000);
    h = await oneHostLab({ host: HOST, prefix: 'custom-modules' });
    cpSync(join(REPO, 'test/fixtures/custom-modules'), h.work, { recursive: true });
    writeFileSync(join(h.work, 'secret.json'), JSON.stringify({ acme_token: TOKEN, acme_with_binary: hasGcc }), { mode: 0o600 });
    if (hasGcc) {
      // Static, so the controller's C library need not match the host's.
      const cc = spawnSync('gcc', ['-static', '-O2', '-o', join(h.work, 'roles/acme.sitefacts/library/acme_bin'), join(h.work, 'acme_bin.c')], { encoding: 'utf8' });
      expect(cc.status, cc.stderr).to.equal(0);
    }
  });

  after(() => h?.cleanup());

  it('without python3 on the host a new-style module fails saying so', async () => {
    await h.sh('! command -v python3');
    const r = await apply();
    expect(r.code).to.equal(2);
    expect(r.stdout).to.contain('acme_setting.py needs python3 on the host, which is not there: install python3');
    // The lab's hosts carry python3 in their local apt repo, as a site's hosts carry it for Ansible.
    await h.sh('apt-get install -y -q python3 >/dev/null 2>&1');
    await h.sh('rm -rf /etc/acme');
  });

  it('--check: each module is told check mode and changes nothing; the play uses the role\'s module too', async () => {
    const r = await apply('--check', '--json');
    expect(r.code, describeRun(r)).to.equal(0);
    // The directory (a built-in's forecast), the settings loop, the token, the stamp, the play's setting
    // (and the binary): the custom modules run under --check and say themselves that they would change.
    expect(r.recap[HOST]!.changed).to.equal(hasGcc ? 6 : 5);
    expect(r.recap[HOST]!.failed).to.equal(0);
    expect(await h.sh('ls /etc/acme 2>/dev/null | wc -l')).to.equal('0\n');
  });

  it('converges: the files are as the modules write them, the token in a 0600 file', async () => {
    const r = await apply('--json');
    expect(r.code, describeRun(r)).to.equal(0);
    expect(r.recap[HOST]!.changed).to.equal(hasGcc ? 6 : 5);
    expect(await h.sh('cat /etc/acme/site.conf')).to.equal('auth = on\nlisten = 0.0.0.0:8080\nplay = yes\nworkers = 4\n');
    expect(await h.sh('stat -c %a /etc/acme/site.conf.token; cat /etc/acme/site.conf.token')).to.equal(`600\n${TOKEN}`);
    expect(await h.sh('cat /etc/acme/stamp')).to.equal('stamped by acme\n');
    if (hasGcc) expect(await h.sh('cat /etc/acme/bin-stamp')).to.equal('made by acme_bin\n');
    const play = r.events.find((e) => e.type === 'host_result' && e.task === 'debug');
    expect(JSON.stringify(play)).to.contain('play setting changed=true key=play');
  });

  it('a second run changes nothing (text output, -v and --diff too)', async () => {
    const r = await apply('-v', '--diff');
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.match(new RegExp(`${HOST}\\s+: ok=\\d+\\s+changed=0 `));
    if (!hasGcc) console.log('      (gcc not found: the binary module case was skipped)');
  });

  it('a no_log argument is never in any output, and no upload is left on the host', async () => {
    for (const r of runs) expect(r.stdout + r.stderr).to.not.contain(TOKEN);
    expect(await h.sh('ls -a /tmp | grep -c runbook-module || true')).to.equal('0\n');
  });

  it('a change under --diff shows the module\'s diff; a module that prints no JSON fails naming its file', async () => {
    await h.sh("sed -i 's/workers = 4/workers = 2/' /etc/acme/site.conf");
    const r = await apply('--diff');
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.contain('-workers = 2').and.contain('+workers = 4');
    expect(r.stdout + r.stderr).to.not.contain(TOKEN);
    writeFileSync(join(h.work, 'library-broken.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - acme_noise: {}\n');
    mkdirSync(join(h.work, 'library'), { recursive: true });
    writeFileSync(join(h.work, 'library/acme_noise'), '#!/bin/sh\necho "not json"\necho broken >&2\n', { flag: 'w' });
    const bad = await runbook(['apply', join(h.work, 'library-broken.yml'), '-i', h.inventory], { cwd: h.work });
    expect(bad.code).to.equal(2);
    expect(bad.stdout).to.contain(`MODULE FAILURE: ${join(h.work, 'library/acme_noise')} printed no JSON result (exit code 0)`).and.contain('broken');
  });
});
