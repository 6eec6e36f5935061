// Shell completion: the candidates for the word under the cursor, and the bash script run in a real
// bash the way bash calls it (COMP_WORDS, COMP_CWORD), through the compiled CLI.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete } from '../../../src/cli/completion/complete.js';
import { completionScript } from '../../../src/cli/completion/scripts.js';
import { InputError } from '../../../src/core/errors.js';
import { ROOT } from '../schema/support.js';

describe('runbook completion', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-complete-'));
    mkdirSync(join(dir, 'playbooks'));
    mkdirSync(join(dir, 'inventory'));
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  tasks: []\n');
    writeFileSync(join(dir, 'notes.txt'), '');
    writeFileSync(join(dir, 'playbooks/web.yml'), '');
    writeFileSync(join(dir, 'inventory/hosts.yml'), 'all:\n  children:\n    web:\n      hosts: {web1: {}, web2: {}}\n    redis:\n      hosts: {redis1: {}}\n');
    writeFileSync(join(dir, 'runbook.cfg'), '[defaults]\ninventory = inventory/hosts.yml\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const c = (...words: string[]): string[] => complete(words, dir);

  it('commands, then the flags of the command', () => {
    expect(c('')).to.include.members(['apply', 'doc', 'test', 'init', 'completion', 'lab', 'vault', 'compat']);
    expect(c('co')).to.deep.equal(['compat', 'completion']);
    expect(c('apply', '--ch')).to.deep.equal(['--check']);
    expect(c('test', '--')).to.include.members(['--keep', '--only', '--junit', '--json']);
  });

  it('playbook files (and folders) for apply and test; other files are not offered', () => {
    expect(c('apply', '')).to.deep.equal(['inventory/', 'playbooks/', 'site.yml']);
    expect(c('apply', 'playbooks/')).to.deep.equal(['playbooks/web.yml']);
    expect(c('apply', '-C', 's')).to.deep.equal(['site.yml']);
  });

  it('hosts and groups after -l, from -i or runbook.cfg, completing the last part of a pattern', () => {
    expect(c('apply', 'site.yml', '-l', '')).to.deep.equal(['all', 'redis', 'redis1', 'ungrouped', 'web', 'web1', 'web2']);
    expect(c('apply', 'site.yml', '-i', 'inventory/hosts.yml', '--limit', 'web:&re')).to.deep.equal(['web:&redis', 'web:&redis1']);
    expect(c('apply', '-l', 'web', '-D', '')).to.deep.equal(['inventory/', 'playbooks/', 'site.yml']);
    expect(c('apply', 'site.yml', '-D', ''), 'one playbook only').to.deep.equal([]);
  });

  it('module names after doc; fixed words for init, lab, vault, completion and --only', () => {
    expect(c('doc', 'co')).to.deep.equal(['command', 'copy']);
    expect(c('doc', 'sys')).to.deep.equal(['sysctl', 'systemd', 'systemd_service']);
    expect(c('init', '')).to.deep.equal(['role', 'project']);
    expect(c('completion', '')).to.deep.equal(['bash', 'zsh', 'fish']);
    expect(c('roles', '')).to.deep.equal(['install']);
    expect(c('roles', 'install', '--ro')).to.deep.equal(['--role-file', '--roles-path']);
    expect(c('test', '--only', 'c')).to.deep.equal(['check', 'converge']);
  });

  it('prints a script for bash, zsh and fish, and refuses another shell', () => {
    expect(completionScript('bash')).to.contain('complete -F _runbook runbook');
    expect(completionScript('zsh')).to.contain('#compdef runbook');
    expect(completionScript('fish')).to.contain('complete -c runbook');
    expect(() => completionScript('tcsh')).to.throw(InputError, /no script for 'tcsh'/);
  });

  it('bash: the script completes `runbook doc co` to copy and command', function () {
    this.timeout(60_000);
    // `runbook` on PATH is the compiled CLI of this checkout, as an installed one would be.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'runbook'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/runbook.js')}" "$@"\n`);
    chmodSync(join(bin, 'runbook'), 0o755);
    const script = `${completionScript('bash')}
COMP_WORDS=(runbook doc co); COMP_CWORD=2; COMP_LINE='runbook doc co'; COMP_POINT=\${#COMP_LINE}
_runbook
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n').sort()).to.deep.equal(['command', 'copy']);
  });
});
