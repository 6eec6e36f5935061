import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../../../src/playbook/types.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { expectInputError, fixture, inputError } from '../yaml/helpers.js';
import { fakeModules } from './fake-modules.js';
import { scratchDir } from '../../support/temp-dir.js';

const bad = (...p: string[]): string => fixture('playbook', 'bad', ...p);
const load = (name: string): unknown => loadPlaybook(bad(name), fakeModules);

describe('playbook errors (exit 1 before any connection, with file:line:col)', () => {
  it('unknown task keyword: did-you-mean at the key', () => {
    const e = expectInputError(() => load('unknown-task-keyword.yml'), bad('unknown-task-keyword.yml'), 5, 7, "unknown keyword 'regsiter' in a task");
    expect(e.hint).to.equal("did you mean 'register'?");
  });

  it('unknown module: did-you-mean over module names', () => {
    const e = expectInputError(() => load('unknown-module.yml'), bad('unknown-module.yml'), 4, 7, "unknown module 'copyy'");
    expect(e.hint).to.match(/^did you mean 'copy'\? \(no custom module 'copyy' in \S+\/library either\)$/);
  });

  it('unknown module argument in a mapping: did-you-mean at the argument', () => {
    const e = expectInputError(() => load('unknown-arg.yml'), bad('unknown-arg.yml'), 5, 9, "module 'copy' has no argument 'dset'");
    expect(e.hint).to.equal("did you mean 'dest'?");
  });

  it('unknown module argument in k=v text: at the text', () => {
    const e = expectInputError(() => load('unknown-arg-kv.yml'), bad('unknown-arg-kv.yml'), 3, 13, "has no argument 'dset'");
    expect(e.hint).to.equal("did you mean 'dest'?");
  });

  it('unknown play keyword: did-you-mean', () => {
    const e = expectInputError(() => load('unknown-play-keyword.yml'), bad('unknown-play-keyword.yml'), 2, 3, "unknown keyword 'hots' in a play");
    expect(e.hint).to.equal("did you mean 'hosts'?");
  });

  it('unknown block keyword: did-you-mean', () => {
    const e = expectInputError(() => load('unknown-block-keyword.yml'), bad('unknown-block-keyword.yml'), 5, 7, "unknown keyword 'rescu' on a block");
    expect(e.hint).to.equal("did you mean 'rescue'?");
  });

  it('an Ansible keyword runbook does not support says so', () => {
    const e = expectInputError(() => load('unsupported-keyword.yml'), bad('unsupported-keyword.yml'), 4, 7, "'collections' is an Ansible keyword that runbook does not support");
    expect(e.hint).to.contain('community.general.ufw');
  });

  it('missing role: names where it looked', () => {
    const e = expectInputError(() => load('missing-role.yml'), bad('missing-role.yml'), 3, 7, "role 'common' not found");
    expect(e.hint).to.contain(bad('roles'));
  });

  it('missing vars file: names the path', () => {
    const e = expectInputError(() => load('missing-vars-file.yml'), bad('missing-vars-file.yml'), 3, 7, 'vars file not found: vars/absent.yml');
    expect(e.hint).to.contain(bad('vars', 'absent.yml'));
  });

  it('role dependency cycle: names the cycle at the dependency that closes it', () => {
    const meta = bad('cycle', 'roles', 'b', 'meta', 'main.yml');
    const e = expectInputError(() => load('cycle/play.yml'), meta, 2, 5, 'role dependency cycle: a -> b -> a');
    expect(e.hint).to.contain('meta/main.yml');
  });

  it('mode: 0644 unquoted is YAML 1.1 octal, as Ansible reads it: the task gets the text 0644 (in args: too)', () => {
    const dir = scratchDir('runbook-octal-');
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  tasks:\n    - file: {path: /a, mode: 02750}\n    - file: path=/b\n      args: { mode: 0600 }\n');
    const tasks = loadPlaybook(join(dir, 'site.yml')).plays[0]!.tasks as Task[];
    expect(tasks[0]!.args).to.deep.include({ mode: '02750' });
    expect(tasks[1]!.args).to.deep.include({ mode: '0600' });
  });

  it('a mode written as a number without a leading zero (750): refused at its line, asking for quotes', () => {
    const e = expectInputError(() => load('octal.yml'), bad('octal.yml'), 5, 15, "'mode: 750' is a number, so its octal meaning is ambiguous");
    expect(e.hint).to.equal("quote it: mode: '0750' or use u=rw,g=r,o=r");
  });

  it('duplicate key in a play', () => {
    expectInputError(() => load('duplicate-key.yml'), bad('duplicate-key.yml'), 4, 3, "duplicate key 'tasks'");
  });

  it('import_tasks of a missing file: names where it looked', () => {
    const e = expectInputError(() => load('import-missing.yml'), bad('import-missing.yml'), 3, 21, 'import_tasks: file not found: tasks/nope.yml');
    expect(e.hint).to.contain(bad('tasks', 'nope.yml'));
  });

  it('import loop: names the files', () => {
    const e = expectInputError(() => load('import-loop.yml'), bad('loop-b.yml'), 2, 17, 'import loop');
    expect(e.message).to.contain(`${bad('loop-a.yml')} -> ${bad('loop-b.yml')} -> ${bad('loop-a.yml')}`);
  });

  it('a loop over import_tasks is refused (imports are static), pointing to include_tasks', () => {
    const e = expectInputError(() => load('import-with-loop.yml'), bad('import-with-loop.yml'), 4, 7, 'loop on import_tasks is not supported');
    expect(e.hint).to.contain('include_tasks');
  });

  it('two modules in one task', () => {
    expectInputError(() => load('two-modules.yml'), bad('two-modules.yml'), 4, 7, "found 'copy' and 'file'");
  });

  it('a task without a module', () => {
    expectInputError(() => load('no-module.yml'), bad('no-module.yml'), 3, 7, 'task has no module');
  });

  it('listen outside handlers', () => {
    expectInputError(() => load('listen-in-task.yml'), bad('listen-in-task.yml'), 4, 7, 'listen is only for handlers');
  });

  it('loop and with_items together', () => {
    expectInputError(() => load('loop-and-items.yml'), bad('loop-and-items.yml'), 5, 7, 'a task has one loop, found loop and with_items');
  });

  it('a playbook that is a mapping gets told to make it a list', () => {
    const e = expectInputError(() => load('not-a-list.yml'), bad('not-a-list.yml'), 1, 1, 'must be a list of plays');
    expect(e.hint).to.contain('"- "');
  });

  it('free text for a module that takes key=value', () => {
    expectInputError(() => load('free-text.yml'), bad('free-text.yml'), 3, 13, "module 'copy' takes key=value arguments or a mapping, found 'hello'");
  });

  it('a bad serial value', () => {
    expectInputError(() => load('bad-serial.yml'), bad('bad-serial.yml'), 2, 11, 'serial must be');
  });

  it('a task written where a play belongs', () => {
    const e = expectInputError(() => load('task-as-play.yml'), bad('task-as-play.yml'), 2, 3, "'command' is a module, but this is a play");
    expect(e.hint).to.contain('tasks:');
  });

  it('a templated boolean keyword is refused at load time', () => {
    const e = expectInputError(() => load('bad-bool.yml'), bad('bad-bool.yml'), 4, 22, 'ignore_errors must be true or false');
    expect(e.hint).to.contain('literal');
  });

  it('a play without hosts', () => {
    expectInputError(() => load('missing-hosts.yml'), bad('missing-hosts.yml'), 1, 3, 'a play needs hosts:');
  });

  it('argument spec: unsupported type, with did-you-mean', () => {
    const f = bad('badspec', 'roles', 'r', 'meta', 'argument_specs.yml');
    const e = expectInputError(() => load('badspec/play.yml'), f, 5, 15, "unsupported type 'integer'");
    expect(e.hint).to.equal("did you mean 'int'?");
  });

  it('environment: a name the shell cannot set, a list value, plain text', () => {
    let e = expectInputError(() => load('env-bad-name.yml'), bad('env-bad-name.yml'), 7, 9, "environment: 'my-var' is not a valid environment variable name");
    expect(e.hint).to.contain('letters, digits and _');
    e = expectInputError(() => load('env-list-value.yml'), bad('env-list-value.yml'), 6, 16, 'environment: PATHS must be a string, number or boolean, found a list');
    expect(e.hint).to.contain('join');
    e = expectInputError(() => load('env-text.yml'), bad('env-text.yml'), 2, 16, 'environment must be a mapping of variable names to values');
    expect(e.hint).to.contain('{{ proxy_env }}');
  });

  it('connection: only local or ssh; gather_subset: a typo gets a did-you-mean', () => {
    let e = expectInputError(() => load('bad-connection.yml'), bad('bad-connection.yml'), 2, 15, 'connection must be local or ssh, found a string ("docker")');
    expect(e.hint).to.contain('local');
    e = expectInputError(() => load('bad-gather-subset.yml'), bad('bad-gather-subset.yml'), 2, 18, "gather_subset: unknown subset '!hardwre'");
    expect(e.hint).to.equal("did you mean 'hardware'?");
  });

  it('a missing playbook file', () => {
    expect(inputError(() => load('nope.yml')).message).to.contain('file not found');
  });
});
