// Working out become must not render the host's other variables: one that needs facts not gathered
// yet (a role default like redis_bind: "{{primary_private_ipv4}}") would fail the first task.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { buildContext } from '../../../src/cli/wiring.js';
import { defaultRunOptions } from '../../../src/executor/options.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { FakeHost, inventory, kvModule, play, task } from '../executor/harness.js';

describe('cli/wiring: become', () => {
  it('reads only the become variables, leaving a variable that needs facts unrendered', async () => {
    const p = play([task('kv', { key: 'a', value: '1' })], { become: true, vars: { needs_facts: '{{ not_gathered_yet }}' } });
    const ctx = buildContext({ options: defaultRunOptions(), inventory: inventory(['web1'], {}, { web1: { ansible_become_user: 'app' } }), playbook: { file: 'play.yml', dir: '.', plays: [p] }, json: true, out: new PassThrough() });
    const users: string[] = [];
    ctx.connections = {
      async get(host) {
        const fake = new FakeHost(host);
        const exec = fake.exec.bind(fake);
        fake.exec = async (script, options) => {
          if (script.startsWith('set ')) users.push(options?.become?.user ?? '-');
          return exec(script, options);
        };
        return fake;
      },
      async closeAll() {},
    };
    ctx.modules = (name) => (name === 'kv' ? kvModule : undefined);
    expect(await runPlaybook(ctx)).to.equal(0);
    expect(users).to.deep.equal(['app']);
  });
});
