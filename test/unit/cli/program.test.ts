// Ansible's short flags and run-control options reach `apply` under the names apply.ts reads.
import { expect } from 'chai';
import { buildProgram } from '../../../src/cli/program.js';

async function applyOptions(args: string[]): Promise<{ playbook: string; opts: Record<string, unknown> }> {
  const program = buildProgram();
  const apply = program.commands.find((c) => c.name() === 'apply')!;
  let seen: { playbook: string; opts: Record<string, unknown> } | undefined;
  apply.action((playbook: string, opts: Record<string, unknown>) => {
    seen = { playbook, opts };
  });
  await program.parseAsync(['apply', ...args], { from: 'user' });
  if (!seen) throw new Error('apply did not run');
  return seen;
}

describe('cli/program: the flags Ansible users type', () => {
  it('reads -i -l -C -D -t -f -e -v -u -b -K -k as ansible-playbook does', async () => {
    const { playbook, opts } = await applyOptions([
      'site.yml', '-i', 'hosts.ini', '-l', 'web_blue', '-C', '-D', '-t', 'config', '-t', 'deploy,db', '-f', '5',
      '-e', 'a=1', '-e', '@vars.yml', '-vvv', '-u', 'deploy', '-b', '-K', '-k',
    ]);
    expect(playbook).to.equal('site.yml');
    expect(opts).to.deep.include({
      inventory: ['hosts.ini'], limit: 'web_blue', check: true, diff: true, tags: ['config', 'deploy,db'], forks: 5,
      extraVars: ['a=1', '@vars.yml'], verbose: 3, user: 'deploy', become: true, askBecomePass: true, askPass: true,
    });
  });

  it('reads the long forms and the run-control options', async () => {
    const { opts } = await applyOptions([
      'site.yml', '--inventory', 'inv', '--limit', 'web', '--check', '--diff', '--tags', 'x', '--skip-tags', 'y', '--forks', '2',
      '--extra-vars', 'k=v', '--user', 'u', '--private-key', 'id_ed25519', '--become', '--become-user', 'postgres',
      '--ask-pass', '--ask-become-pass', '--known-hosts', 'kh', '--list-tags', '--step', '--start-at-task', 'web : install *', '--force-handlers',
    ]);
    expect(opts).to.deep.include({
      inventory: ['inv'], limit: 'web', check: true, diff: true, tags: ['x'], skipTags: ['y'], forks: 2, extraVars: ['k=v'], user: 'u',
      privateKey: 'id_ed25519', become: true, becomeUser: 'postgres', askPass: true, askBecomePass: true, knownHosts: 'kh',
      listTags: true, step: true, startAtTask: 'web : install *', forceHandlers: true,
    });
  });

  it('--help shows no "(default: [])" for the repeatable -t, --skip-tags and -e', () => {
    const apply = buildProgram().commands.find((c) => c.name() === 'apply')!;
    const help = apply.helpInformation();
    expect(help).to.include('--tags <tags>').and.include('--skip-tags <tags>').and.include('--extra-vars <vars>');
    expect(help).not.to.include('[]');
  });

  it('leaves -t, --skip-tags and -e unset when not given (apply reads that as none)', async () => {
    const { opts } = await applyOptions(['site.yml']);
    expect(opts.tags ?? []).to.deep.equal([]);
    expect(opts.skipTags ?? []).to.deep.equal([]);
    expect(opts.extraVars ?? []).to.deep.equal([]);
  });

  it('refuses a forks count that is not a whole number of at least 1', async () => {
    let err: unknown;
    try {
      await applyOptions(['site.yml', '-f', '0']);
    } catch (e) {
      err = e;
    }
    expect(String((err as Error | undefined)?.message)).to.include('whole number');
  });
});
