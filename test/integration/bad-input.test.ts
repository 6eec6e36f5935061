// Issue 7's bad input, through the real CLI: each is refused with exit 1 and file:line:col before
// any connection (the inventory's only host is an address nobody answers on, so a connection would show).
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runbook } from './support/runbook.js';

describe('bad input is refused before any connection', function () {
  this.timeout(60_000);
  let dir: string;
  let inventory: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-bad-input-'));
    inventory = join(dir, 'inventory.yml');
    // 127.0.0.9:1: a connection attempt would fail as "unreachable" (exit 4), not exit 1.
    writeFileSync(inventory, 'all:\n  hosts:\n    h1: {ansible_host: 127.0.0.9, ansible_port: 1}\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  async function refused(playbook: string, where: RegExp, what: RegExp, args: string[] = []): Promise<void> {
    const run = await runbook(['apply', playbook, '-i', inventory, ...args]);
    expect(run.code, run.stderr + run.stdout).to.equal(1);
    expect(run.stderr).to.match(where);
    expect(run.stderr).to.match(what);
    // Nothing ran: no play banner, no task, no unreachable host.
    expect(run.stdout).to.not.match(/PLAY|TASK|unreachable/);
  }

  it('malformed YAML', async () => {
    const p = file('malformed.yml', '- hosts: all\n  tasks:\n    - name: x\n      debug: {msg: [1, 2}\n');
    await refused(p, /malformed\.yml:4:\d+: /, /YAML syntax error/);
  });

  it('a duplicate key', async () => {
    const p = file('dup.yml', '- hosts: all\n  tasks:\n    - name: x\n      name: y\n      debug: {msg: 1}\n');
    await refused(p, /dup\.yml:4:7: /, /duplicate key 'name' \(first at line 3\)/);
  });

  it('an unknown module, with did-you-mean', async () => {
    const p = file('unkmod.yml', '- hosts: all\n  tasks:\n    - name: x\n      debugg: {msg: 1}\n');
    await refused(p, /unkmod\.yml:4:7: /, /unknown module 'debugg'[\s\S]*did you mean 'debug'/);
  });

  it('an unknown keyword', async () => {
    const p = file('unkkw.yml', '- hosts: all\n  tasks:\n    - name: x\n      debug: {msg: 1}\n      whenn: true\n');
    await refused(p, /unkkw\.yml:5:7: /, /unknown keyword 'whenn'[\s\S]*did you mean 'when'/);
  });

  it('a missing role', async () => {
    const p = file('norole.yml', '- hosts: all\n  roles: [nosuchrole]\n');
    await refused(p, /norole\.yml:2:11: /, /role 'nosuchrole' not found/);
  });

  // Not refused: as in Ansible, a missing src fails its task when it runs (so when: and ignore_errors
  // apply to it); --syntax-check warns about it.
  it('a missing template or copy source: --syntax-check warns at file:line:col, and a skipped task does not stop the run', async () => {
    const p = file('nosrc.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: x\n      template: {src: nosuch.j2, dest: /tmp/x}\n      when: false\n    - name: y\n      copy: {src: nosuch.txt, dest: /tmp/x}\n      when: false\n');
    const syntax = await runbook(['apply', p, '-i', inventory, '--syntax-check']);
    expect(syntax.code, syntax.stderr).to.equal(0);
    expect(syntax.stderr).to.match(/\[WARNING\]: .*nosrc\.yml:4:7: template 'nosuch\.j2' not found\n {2}hint: looked in: /);
    expect(syntax.stderr).to.match(/\[WARNING\]: .*nosrc\.yml:7:7: file 'nosuch\.txt' not found/);
    const run = await runbook(['apply', p, '-i', inventory]);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.match(/skipping: \[h1\]/);
  });

  it('a missing vars file', async () => {
    const p = file('novars.yml', '- hosts: all\n  vars_files: [nosuch.yml]\n  tasks: []\n');
    await refused(p, /novars\.yml:2:16: /, /vars file not found: nosuch\.yml/);
  });

  it('a cycle in role dependencies, naming it', async () => {
    file('roles/a/meta/main.yml', 'dependencies: [b]\n');
    file('roles/b/meta/main.yml', 'dependencies: [a]\n');
    const p = file('cycle.yml', '- hosts: all\n  roles: [a]\n');
    await refused(p, /roles\/b\/meta\/main\.yml:1:\d+: /, /role dependency cycle: a -> b -> a/);
  });

  it('a mode written as a number without a leading zero', async () => {
    const p = file('octal.yml', '- hosts: all\n  tasks:\n    - name: x\n      file: {path: /tmp/x, state: directory, mode: 755}\n');
    await refused(p, /octal\.yml:4:\d+: /, /'mode: 755' is a number, so its octal meaning is ambiguous[\s\S]*quote it/);
  });

  it('a --limit that matches nothing', async () => {
    const p = file('ok.yml', '- hosts: all\n  tasks: []\n');
    await refused(p, /--limit 'nomatch' matches no host in .*inventory\.yml/, /hosts: h1/, ['--limit', 'nomatch']);
  });

  it('duplicate host names', async () => {
    const p = file('ok.yml', '- hosts: all\n  tasks: []\n');
    const inv = file('dup.ini', '[g]\nh1 ansible_host=127.0.0.9 ansible_port=1\nh1 ansible_host=127.0.0.9 ansible_port=1\n');
    const run = await runbook(['apply', p, '-i', inv]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/dup\.ini:3:1: host 'h1' is listed twice in group 'g' \(first at .*dup\.ini:2:1\)/);
    const yml = file('dup-inv.yml', 'all:\n  hosts:\n    h1: {}\n    h1: {}\n');
    const run2 = await runbook(['apply', p, '-i', yml]);
    expect(run2.code).to.equal(1);
    expect(run2.stderr).to.match(/dup-inv\.yml:4:5: duplicate key 'h1'/);
  });

  // Beyond the list: more of the same kind, found before any connection.

  it('an unknown module argument, with did-you-mean', async () => {
    const p = file('badarg.yml', '- hosts: all\n  tasks:\n    - name: x\n      copy: {dets: /tmp/x, content: a}\n');
    await refused(p, /badarg\.yml:4:\d+: /, /module 'copy' has no argument 'dets'[\s\S]*did you mean 'dest'/);
  });

  it('a notify naming no handler', async () => {
    const p = file('notify.yml', '- hosts: all\n  tasks:\n    - name: x\n      debug: {msg: 1}\n      notify: restart nothing\n');
    await refused(p, /notify\.yml:3:7: /, /task notifies handler 'restart nothing', but play 'all' has no handler of that name/);
  });

  it('a missing role dependency, naming the meta file', async () => {
    file('roles/c/meta/main.yml', 'dependencies:\n  - nosuchdep\n');
    const p = file('dep.yml', '- hosts: all\n  roles: [c]\n');
    await refused(p, /roles\/c\/meta\/main\.yml:2:5: /, /role 'nosuchdep' not found/);
  });

  it('a missing import_tasks file (an include_tasks file is read when reached: --syntax-check warns)', async () => {
    const imp = file('imp.yml', '- hosts: all\n  tasks:\n    - import_tasks: nosuch-tasks.yml\n');
    await refused(imp, /imp\.yml:3:\d+: /, /import_tasks: file not found: nosuch-tasks\.yml/);
    // As in Ansible, a dynamic include may sit in a branch no host reaches (an OS guard), so the
    // run does not refuse it up front; --syntax-check still names it, as a warning.
    const inc = file('inc.yml', '- hosts: all\n  tasks:\n    - include_tasks: nosuch-tasks.yml\n');
    const check = await runbook(['apply', inc, '-i', inventory, '--syntax-check']);
    expect(check.code, check.stderr + check.stdout).to.equal(0);
    expect(check.stderr).to.match(/WARNING.*inc\.yml:3:\d+: include_tasks: file not found: nosuch-tasks\.yml/);
  });

  it('a missing -e @file, inventory or playbook', async () => {
    const p = file('ok.yml', '- hosts: all\n  tasks: []\n');
    await refused(p, /nosuch-extra\.yml/, /file not found/, ['-e', '@nosuch-extra.yml']);
    const inv = await runbook(['apply', p, '-i', join(dir, 'nosuch-inv.yml')]);
    expect(inv.code).to.equal(1);
    expect(inv.stderr).to.match(/inventory not found: .*nosuch-inv\.yml/);
    const pb = await runbook(['apply', join(dir, 'nosuch-play.yml'), '-i', inventory]);
    expect(pb.code).to.equal(1);
    expect(pb.stderr).to.match(/nosuch-play\.yml: file not found/);
  });
});
