import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeCommand } from '../../../src/cli/resume-command.js';

const SECRET = 'S3cr3t&pw';
const isSecret = (text: string): boolean => text.includes(SECRET);

/** The words /bin/sh reads from a command line: what the printed hint really runs. */
function shWords(command: string): string[] {
  const res = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' });
  expect(res.status, res.stderr).to.equal(0);
  return res.stdout.split('\0').slice(0, -1);
}

describe('cli/resume-command', () => {
  let bin: string;
  before(() => {
    // A PATH whose `node` is this node, so the hint may say `node`.
    bin = mkdtempSync(join(tmpdir(), 'resume-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('keeps the command line, replaces --limit and --start-at-task, drops a -e holding a secret, and quotes for sh', () => {
    const argv = [
      process.execPath, '/srv/ops/bin/runbook.js', 'apply', 'playbooks/site.yml', '-i', 'inventory/prod.yml', '-l', 'web*',
      '-e', `redis_password=${SECRET}`, '-e', '@vars/common.yml', '-vv', '--start-at-task=install php', '-Cl', 'web1',
      '-eregion=eu west', `--extra-vars={"motd": "it's fine"}`, '--diff',
    ];
    const r = resumeCommand({ argv, cwd: '/srv/ops', path: bin }, { hosts: ['web3', 'web4', 'web5'], startAtTask: 'php_web : deploy', isSecret });
    expect(r.cwd).to.equal('/srv/ops');
    expect(r.command).to.not.include(SECRET);
    expect(shWords(r.command)).to.deep.equal([
      'node', 'bin/runbook.js', 'apply', 'playbooks/site.yml', '-i', 'inventory/prod.yml',
      '-e', '@vars/common.yml', '-v', '-v', '-C', '-e', 'region=eu west', '--extra-vars', `{"motd": "it's fine"}`, '--diff',
      '--limit', 'web3,web4,web5', '--start-at-task', 'php_web : deploy',
    ]);
    expect(r.notes).to.have.length(1);
    expect(r.notes[0]).to.match(/left out -e with a value holding a secret/);
  });

  it('keeps the user\'s own --start-at-task when no common task was found, and drops only --limit', () => {
    const argv = [process.execPath, '/srv/ops/bin/runbook.js', 'apply', 'site.yml', '--limit=web*', '--start-at-task', 'deploy *'];
    const r = resumeCommand({ argv, cwd: '/srv/ops', path: bin }, { hosts: ['web2'], isSecret });
    expect(shWords(r.command)).to.deep.equal(['node', 'bin/runbook.js', 'apply', 'site.yml', '--start-at-task', 'deploy *', '--limit', 'web2']);
    expect(r.notes).to.deep.equal([]);
  });

  it('says npx runbook when started through node_modules/.bin, and the full paths when node is not the one on PATH', () => {
    const viaNpx = resumeCommand({ argv: ['/usr/bin/node', '/srv/ops/node_modules/.bin/runbook', 'apply', 'site.yml'], cwd: '/srv/ops', path: '' }, { hosts: ['a'], isSecret });
    expect(viaNpx.command).to.equal('npx runbook apply site.yml --limit a');
    const elsewhere = resumeCommand({ argv: ['/opt/node 20/bin/node', '/opt/runbook/bin/runbook.js', 'apply', 'site.yml'], cwd: '/srv/ops', path: '' }, { hosts: ['a'], isSecret });
    expect(shWords(elsewhere.command)).to.deep.equal(['/opt/node 20/bin/node', '/opt/runbook/bin/runbook.js', 'apply', 'site.yml', '--limit', 'a']);
  });

  it('keeps a lone host name with a colon whole (a trailing comma, so --limit does not read it as a:b)', () => {
    const r = resumeCommand({ argv: ['/x/node', '/x/runbook.js', 'apply', 'site.yml'], cwd: '/', path: '' }, { hosts: ['fe80::1'], isSecret });
    expect(shWords(r.command).slice(-2)).to.deep.equal(['--limit', 'fe80::1,']);
  });
});
