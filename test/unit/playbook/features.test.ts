import { expect } from 'chai';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Block, Task, TaskNode } from '../../../src/playbook/types.js';
import { expectInputError, fixture } from '../yaml/helpers.js';
import { fakeModules } from './fake-modules.js';

const features = (...p: string[]): string => fixture('playbook', 'features', ...p);
const load = (name: string) => loadPlaybook(features(name), fakeModules);

function names(nodes: TaskNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n.name ?? n.module] : names(n.block)));
}

describe('playbook roles and imports', () => {
  it('runs a role once per play unless its parameters differ, or it allows duplicates', () => {
    const play = load('dedup.yml').plays[0]!;
    expect(play.roles.map((r) => r.name)).to.deep.equal(['base', 'base', 'dup', 'myrole']);
    expect(play.roles.map((r) => r.params)).to.deep.equal([{}, { base_flag: 1 }, {}, {}]);
    expect(names(play.tasks)).to.deep.equal(['base main', 'base main', 'dup task', 'dup task', 'path role task']);
    expect(play.handlers.map((h) => h.name)).to.deep.equal(['base handler']);
  });

  it('accepts a role given as a path, and applies become to its tasks through a block', () => {
    const play = load('dedup.yml').plays[0]!;
    const wrapped = play.tasks[play.tasks.length - 1] as Block;
    expect(wrapped).to.deep.include({ kind: 'block', become: true, becomeUser: 'app' });
    expect(play.roles[3]!.dir).to.equal(features('other', 'myrole'));
  });

  it('accepts any argument for a module with argNames [*] (set_fact)', () => {
    const dup = load('dedup.yml').plays[0]!.tasks.find((n): n is Task => n.kind === 'task' && n.name === 'dup task')!;
    expect(dup.args).to.deep.equal({ anything: 'goes', counter: 1 });
  });

  it('wraps import_tasks with when/vars in a block and tags what it imports', () => {
    const play = load('imports.yml').plays[0]!;
    const block = play.tasks[0] as Block;
    expect(block).to.deep.include({ kind: 'block', when: ['do_a'], vars: { v: 1 } });
    expect((block.block[0] as Task).tags).to.deep.equal(['imported']);
    expect((block.block[0] as Task).loc.file).to.equal(features('tasks', 'a.yml'));
  });

  it('reads include_tasks as a dynamic include (read when reached), also in its file: form', () => {
    const play = load('imports.yml').plays[0]!;
    const include = play.tasks[1] as Task;
    expect(include.module).to.equal('include_tasks');
    expect(include.include).to.include({ kind: 'tasks', file: 'tasks/a.yml' });
  });

  it('reads import_role with tasks_from and vars as parameters, and include_role as a dynamic include', () => {
    const play = load('imports.yml').plays[0]!;
    const extra = play.tasks[2] as Task;
    expect(extra.name).to.equal('base extra');
    expect(extra.role?.params).to.deep.equal({ base_flag: 2 });
    const include = play.tasks[3] as Task;
    expect(include.module).to.equal('include_role');
    expect(include.include).to.include({ kind: 'role', file: 'base' });
  });

  it('imports handler files, keeping listen, after role handlers', () => {
    const play = load('imports.yml').plays[0]!;
    expect(play.handlers.map((h) => h.name)).to.deep.equal(['base handler', 'imported handler']);
    expect(play.handlers[1]!.listen).to.deep.equal(['topic']);
  });

  it('reads the remaining play and task keyword forms', () => {
    const play = load('minimal.yml').plays[0]!;
    expect(play).to.deep.include({ hosts: 'web,db', name: 'web,db', anyErrorsFatal: true, serial: [2], becomeUser: 'admin', maxFailPercentage: 10 });
    const t = play.tasks[0] as Task;
    expect(t).to.deep.include({ tags: ['a', 'b'], notify: ['one', 'two'], when: ['true'], become: true, until: '(a) and (b)' });
  });

  it('refuses blocks in handlers', () => {
    expectInputError(() => load('handler-block.yml'), features('handler-block.yml'), 3, 7, 'blocks are not supported in handlers');
  });

  it('keeps a templated vars_files entry to be read per host, with where it is written', () => {
    const play = load('templated-vars-file.yml').plays[0]!;
    expect(play.varsFiles).to.deep.equal([{ kind: 'per-host', names: ['vars/{{ env }}.yml'], dir: features(), loc: { file: features('templated-vars-file.yml'), line: 3, col: 7 } }]);
  });

  it('suggests a role with a close name', () => {
    const e = expectInputError(() => load('close-role.yml'), features('close-role.yml'), 3, 7, "role 'bsae' not found");
    expect(e.hint).to.match(/^did you mean 'base'\?/);
  });
});
