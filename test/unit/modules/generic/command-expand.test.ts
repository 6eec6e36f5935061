// command expands $VAR, ${VAR} and a leading ~ as Ansible 2.14's run_command does
// (os.path.expanduser(os.path.expandvars(word)) on the host, after shlex.split), and creates/removes/chdir
// as its type=path does, for command and shell alike. The expected values below were taken from
// ansible-playbook 2.14.18 running the same words. The scripts run here under a made-up HOME and
// environment, standing in for the host's, to show the values come from where the script runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { commandModule } from '../../../../src/modules/generic/command.js';
import { shellModule } from '../../../../src/modules/generic/shell.js';
import type { RemoteModule } from '../../../../src/modules/types.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc, fakeCtx, tempDir } from '../lib/local.js';

function runIn(env: Record<string, string>, script: string, stdin?: string | Buffer): ExecResult {
  const r = spawnSync('sh', ['-c', script], { input: stdin ?? '', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), code: r.status };
}

/** probe, plan and steps, all under `env` (the host's environment). */
function applyIn<A>(mod: RemoteModule<A>, raw: Record<string, unknown>, env: Record<string, string>) {
  const ctx = fakeCtx();
  const args = mod.parse(raw, loc);
  const probe = mod.probe(args, ctx);
  const plan = mod.plan(args, probe.script === '' ? { stdout: '', stderr: '', code: 0 } : runIn(env, probe.script, probe.stdin), ctx);
  const results = plan.changes.length === 0 ? [] : plan.steps.map((s) => runIn(env, s.script, s.stdin));
  return { plan, results, after: plan.afterApply?.(results) };
}

describe('modules/generic/command: $VAR and ~ expansion (Ansible 2.14)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  const hostHome = '/nonexistent-host-home';
  const injection = 'a b; rm -rf /x "$(id)" `id`';
  const env = () => ({ HOME: hostHome, INJ: injection, EMPTY: '' });

  // [the word as written in `command:`, what the program gets]
  const table: [string, string][] = [
    ['~', hostHome],
    ['~/x', `${hostHome}/x`],
    ['$HOME', hostHome],
    ['${HOME}/y', `${hostHome}/y`],
    ["'$HOME'", hostHome], // 2.14 splits first, so quotes do not stop the expansion (2.16 added expand_argument_vars)
    ['"$INJ"', injection], // one argument, never read again by a shell
    ['$INJ', injection],
    ['x$EMPTY.y', 'x.y'],
    ['$NOPE_UNSET', '$NOPE_UNSET'], // not in the environment: as written
    ['$1', '$1'],
    ["'$(id)'", '$(id)'],
    ["'`id`'", '`id`'],
    ['$$', '$$'],
    ["'${HOME'", '${HOME'],
    ['$HOMEx', '$HOMEx'],
    ['a~b', 'a~b'],
    ['--d=~/y', '--d=~/y'], // only a leading tilde
    ['~nosuchuser-rb/x', '~nosuchuser-rb/x'],
    ["'*'", '*'], // command does not glob
  ];

  it('command: each word as Ansible 2.14 gives it, from the host environment', () => {
    const cmd = `printf '[%s]\\n' ${table.map(([w]) => w).join(' ')}`;
    const r = applyIn(commandModule, { cmd }, env());
    expect(r.after?.data?.stdout_lines).to.deep.equal(table.map(([, out]) => `[${out}]`));
    // The registered cmd is the words as written, as in Ansible.
    expect((r.after?.data?.cmd as string[])[2]).to.equal('~');
  });

  it('the script carries no value from the controller: HOME and variables are read where it runs', () => {
    const a = commandModule.parse({ cmd: 'echo ~ $HOME ${PATH}' }, loc);
    const script = commandModule.plan(a, { stdout: '', stderr: '', code: 0 }, fakeCtx()).steps[0].script;
    if (process.env.HOME) expect(script).not.to.include(process.env.HOME);
    expect(script).not.to.include(process.env.PATH ?? '/usr/bin');
  });

  it('argv form is expanded the same way; shell leaves its script to the shell', () => {
    const r = applyIn(commandModule, { argv: ['printf', '%s|', '~/a', '$INJ'] }, env());
    expect(r.after?.data?.stdout).to.equal(`${hostHome}/a|${injection}|`);
    const s = applyIn(shellModule, { cmd: "printf '%s|' '$HOME' '~'" }, env());
    expect(s.after?.data?.stdout).to.equal('$HOME|~|');
  });

  it('creates: ~/.profile matches the host home, so the second run is skipped (command and shell)', () => {
    const home = t.path('home');
    mkdirSync(home);
    for (const mod of [commandModule, shellModule]) {
      const raw = { cmd: 'touch .profile', chdir: '~', creates: '~/.profile' };
      const first = applyIn(mod, raw, { HOME: home });
      expect(first.plan.changes, mod.name).to.have.length(1);
      expect(first.after?.data?.rc).to.equal(0);
      const second = applyIn(mod, raw, { HOME: home });
      expect(second.plan.changes, mod.name).to.deep.equal([]);
      expect(second.plan.data).to.deep.include({ rc: 0 });
      runIn({}, `rm -f ${home}/.profile`);
    }
  });

  it('creates/removes with $VAR, ${VAR} and a glob after them; chdir with $VAR', () => {
    writeFileSync(t.path('a.flag'), '');
    const e = { HOME: hostHome, D: t.dir };
    expect(applyIn(commandModule, { cmd: 'true', creates: '${D}/*.flag' }, e).plan.changes).to.deep.equal([]);
    expect(applyIn(commandModule, { cmd: 'true', removes: '$D/a.flag' }, e).plan.changes).to.have.length(1);
    expect(applyIn(commandModule, { cmd: 'true', removes: '$D/none' }, e).plan.changes).to.deep.equal([]);
    expect(applyIn(commandModule, { cmd: 'pwd', chdir: '$D' }, e).after?.data?.stdout).to.equal(t.dir);
  });

  it('a variable holding glob or shell characters is one literal path', () => {
    writeFileSync(t.path('a.flag'), '');
    const e = { HOME: hostHome, P: `${t.dir}/*.flag; touch ${t.path('pwned')}` };
    const r = applyIn(commandModule, { cmd: 'true', creates: '$P' }, e);
    expect(r.plan.changes).to.have.length(1);
    expect(runIn({}, `test -e ${t.path('pwned')}`).code).to.equal(1);
  });
});
