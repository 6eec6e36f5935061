import { expect } from 'chai';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Block, Play, Task, TaskNode } from '../../../src/playbook/types.js';
import { fixture } from '../yaml/helpers.js';
import { fakeModules } from './fake-modules.js';

const project = (...p: string[]): string => fixture('playbook', 'project', ...p);
const site = project('playbooks', 'site.yml');

function taskNamed(nodes: TaskNode[], name: string): Task {
  for (const n of nodes) {
    if (n.kind === 'task' && n.name === name) return n;
    if (n.kind === 'block') {
      const found = [n.block, n.rescue, n.always].map((l) => { try { return taskNamed(l, name); } catch { return undefined; } }).find(Boolean);
      if (found) return found;
    }
  }
  throw new Error(`no task named ${name}`);
}

function flatNames(nodes: TaskNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n.name ?? n.module] : [...flatNames(n.block), ...flatNames(n.rescue), ...flatNames(n.always)]));
}

describe('playbook/load', () => {
  const book = loadPlaybook(site, { rolesPath: [project('extra-roles')], ...fakeModules });
  const play = book.plays[0] as Play;

  it('reads the plays, following import_playbook', () => {
    expect(book.file).to.equal(site);
    expect(book.dir).to.equal(project('playbooks'));
    expect(book.plays.map((p) => p.name)).to.deep.equal(['Web servers', 'db']);
    expect(book.plays[1]!.gatherFacts).to.equal(false);
    expect(book.plays[1]!.loc).to.deep.equal({ file: project('playbooks', 'second.yml'), line: 1, col: 3 });
  });

  it('reads play keywords', () => {
    expect(play.hosts).to.equal('web:&prod');
    expect(play.become).to.equal(true);
    expect(play.gatherFacts).to.equal(true);
    expect(play.serial).to.deep.equal([1, '30%']);
    expect(play.maxFailPercentage).to.equal(25);
    expect(play.anyErrorsFatal).to.equal(false);
    // remote_user is a connection default below the inventory's ansible_user, not a play variable.
    expect(play.vars).to.deep.equal({ app_port: 8080 });
    expect(play.remoteUser).to.equal('deploy');
    expect(play.loc).to.deep.equal({ file: site, line: 2, col: 3 });
  });

  it('loads vars_files in order, taking the first existing file of a nested list', () => {
    expect(play.varsFiles).to.deep.equal([{ kind: 'loaded', vars: { from_vars_file: true } }, { kind: 'loaded', vars: { fallback: true } }]);
  });

  it('orders tasks: pre_tasks, roles with dependencies first, tasks, post_tasks', () => {
    expect(flatNames(play.tasks)).to.deep.equal([
      'say hello',
      'common from playbook roles',
      'shared task',
      'install web',
      'configure web',
      'role from roles path',
      'ancestor role task',
      'run a command',
      'copy with k=v',
      'extra task',
      'nested task',
      'debug',
      'command',
      'loop things',
      'command',
      'copy',
      'shell with args',
      'meta',
    ]);
  });

  it('runs a dependency once per play and lists roles in the order they run', () => {
    expect(play.roles.map((r) => r.name)).to.deep.equal(['common', 'shared', 'web', 'from_path', 'ancestor_only']);
    const shared = play.roles.find((r) => r.name === 'shared')!;
    expect(shared.params).to.deep.equal({ shared_param: 1 });
    const web = play.roles.find((r) => r.name === 'web')!;
    expect(web.params).to.deep.equal({ web_port: 80 });
    expect(web.defaults).to.deep.equal({ web_port: 80, web_server: 'nginx' });
    expect(web.vars).to.deep.equal({ web_user: 'www-data' });
    expect(web.dir).to.equal(project('playbooks', 'roles', 'web'));
  });

  it('looks roles up beside the playbook, then the nearest ancestor roles/, then the roles path', () => {
    expect(play.roles.find((r) => r.name === 'common')!.dir).to.equal(project('playbooks', 'roles', 'common'));
    expect(play.roles.find((r) => r.name === 'ancestor_only')!.dir).to.equal(project('roles', 'ancestor_only'));
    expect(play.roles.find((r) => r.name === 'from_path')!.dir).to.equal(project('extra-roles', 'from_path'));
  });

  it('wraps a role reference with when: in a block, and sets Task.role and inherited tags', () => {
    const wrapped = play.tasks[1] as Block;
    expect(wrapped.kind).to.equal('block');
    expect(wrapped.when).to.deep.equal(['install_web']);
    const install = taskNamed(play.tasks, 'install web');
    expect(install.role?.name).to.equal('web');
    expect(install.tags).to.deep.equal(['site', 'web']);
    expect(install.args).to.deep.equal({ name: 'nginx', state: 'present' });
    const common = taskNamed(play.tasks, 'common from playbook roles');
    expect(common.role?.name).to.equal('common');
    expect(common.tags).to.deep.equal(['site', 'web']);
    expect(taskNamed(play.tasks, 'role from roles path').tags).to.deep.equal(['site']);
  });

  it('imports tasks relative to the role tasks folder and the including file', () => {
    const configure = taskNamed(play.tasks, 'configure web');
    expect(configure.loc.file).to.equal(project('playbooks', 'roles', 'web', 'tasks', 'install.yml'));
    expect(configure.role?.name).to.equal('web');
    const nested = taskNamed(play.tasks, 'nested task');
    expect(nested.loc).to.deep.equal({ file: project('playbooks', 'tasks', 'nested.yml'), line: 1, col: 3 });
    expect(nested.tags).to.deep.equal(['site', 'blocktag', 'extra']);
  });

  it('reads free-form, k=v and mapping arguments, with args: merged', () => {
    const cmd = taskNamed(play.tasks, 'run a command');
    expect(cmd.module).to.equal('command');
    expect(cmd.args).to.equal('ls -l /tmp');
    const copy = taskNamed(play.tasks, 'copy with k=v');
    expect(copy.args).to.deep.equal({ src: 'a.conf', dest: '/etc/a.conf', mode: '0644', backup: true });
    expect(copy.notify).to.deep.equal(['restart web']);
    expect(taskNamed(play.tasks, 'shell with args').args).to.deep.equal({ chdir: '/tmp', cmd: 'echo $HOME' });
    const block = play.tasks.find((n): n is Block => n.kind === 'block' && n.name === 'guarded block')!;
    expect((block.always[0] as Task).args).to.deep.equal({ cmd: 'touch /tmp/done', creates: '/tmp/done' });
    expect((block.rescue[0] as Task).args).to.deep.equal({ msg: 'rescued' });
  });

  it('reads conditions, storing booleans as strings', () => {
    const cmd = taskNamed(play.tasks, 'run a command');
    expect(cmd.when).to.deep.equal(['listing_enabled', 'true']);
    expect(cmd.changedWhen).to.deep.equal(['false']);
    expect(cmd.register).to.equal('listing');
  });

  it('reads every task keyword', () => {
    const t = taskNamed(play.tasks, 'loop things');
    expect(t).to.deep.include({
      module: 'file',
      loop: ['/a', '/b'],
      loopVar: 'dir',
      loopLabel: '{{ item }}',
      retries: 3,
      delay: 2,
      until: 'result is succeeded',
      ignoreErrors: true,
      noLog: true,
      runOnce: true,
      throttle: 2,
      checkMode: false,
      becomeUser: 'root',
      delegateTo: 'localhost',
      vars: { x: 1 },
    });
    expect(t.args).to.deep.equal({ path: '{{ item }}', state: 'directory' });
    expect(t.loc).to.deep.equal({ file: site, line: 46, col: 7 });
  });

  it('applies defaults for keywords not given', () => {
    const t = taskNamed(play.tasks, 'say hello');
    expect(t).to.deep.include({ loopVar: 'item', ignoreErrors: false, noLog: false, runOnce: false, when: [], notify: [], listen: [], tags: ['site'] });
    expect(t.loop).to.equal(undefined);
    expect(t.become).to.equal(undefined);
  });

  it('reads action and local_action', () => {
    const local = flatTasks(play.tasks).find((t) => t.delegateTo === 'localhost' && t.module === 'command')!;
    expect(local.args).to.equal('echo hi');
    const action = flatTasks(play.tasks).find((t) => t.module === 'copy' && t.name === undefined)!;
    expect(action.args).to.deep.equal({ content: 'x', dest: '/tmp/x' });
  });

  it('reads blocks with rescue, always, when and tags', () => {
    const block = play.tasks.find((n): n is Block => n.kind === 'block' && n.name === 'guarded block')!;
    expect(block.when).to.deep.equal(['ansible_os_family == "Debian"']);
    expect(block.tags).to.deep.equal(['site', 'blocktag']);
    expect(block.block.length).to.equal(3);
    expect(taskNamed(block.block, 'copy with k=v').tags).to.deep.equal(['site', 'blocktag']);
  });

  it('puts role handlers before play handlers, with listen', () => {
    expect(play.handlers.map((h) => h.name)).to.deep.equal(['common handler', 'reload web', 'restart web']);
    expect(play.handlers[1]!.role?.name).to.equal('web');
    expect(play.handlers[2]!.listen).to.deep.equal(['web changed']);
    expect(play.handlers[2]!.args).to.deep.equal({ name: 'nginx', state: 'restarted' });
  });

  it('reads meta as a free-form module and checks as tasks', () => {
    const meta = play.tasks[play.tasks.length - 1] as Task;
    expect(meta).to.deep.include({ module: 'meta', args: 'flush_handlers' });
    expect(play.checks?.map((c) => (c as Task).name)).to.deep.equal(['health']);
  });

  it('reads typed role arguments from meta/argument_specs.yml', () => {
    const specs = play.roles.find((r) => r.name === 'web')!.argumentSpecs;
    const file = project('playbooks', 'roles', 'web', 'meta', 'argument_specs.yml');
    expect(specs.web_port).to.deep.equal({ type: 'int', default: 80, description: 'Port nginx listens on.', loc: { file, line: 5, col: 7 } });
    expect(specs.web_password).to.deep.equal({
      type: 'str', required: true, noLog: true, minLength: 16, description: 'The admin password. Kept secret.', loc: { file, line: 9, col: 7 },
    });
    expect(specs.web_server).to.deep.include({ type: 'str', choices: ['nginx', 'apache'], default: 'nginx' });
    expect(specs.web_sites).to.deep.include({ type: 'list', elements: 'str' });
  });
});

function flatTasks(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : [...flatTasks(n.block), ...flatTasks(n.rescue), ...flatTasks(n.always)]));
}
