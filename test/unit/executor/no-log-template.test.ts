// A templated no_log (issue 14) is decided per host from that host's variables: where it holds, the
// output and registered text are hidden and masked as with no_log: true; where it does not, shown.
// A value that does not render hides (a typo must not print a secret).
import { expect } from 'chai';
import { localHosts } from './local-hosts.js';
import { yamlRun } from './yaml-play.js';

const PLAY = `
- hosts: all
  gather_facts: false
  tasks:
    - name: read the token
      shell: echo "token-{{ inventory_hostname }}-x9"
      no_log: "{{ hide_output }}"
      register: r
    - name: show it
      debug: { msg: "{{ r.stdout }}" }
`;

type Result = { type: string; task?: string; host?: string; msg?: string; stdout?: string };

/** The first task's result on `host`. */
function result(events: unknown[], host: string): Result {
  return (events as Result[]).find((e) => e.type === 'host_result' && e.task === 'read the token' && e.host === host)!;
}

describe('templated no_log', () => {
  it('hides on the hosts where it renders true, shows where false', async () => {
    const r = yamlRun({ 'site.yml': PLAY }, ['web1', 'web2'], { hostVars: { web1: { hide_output: true }, web2: { hide_output: 'no' } } });
    localHosts(r);
    expect(await r.run()).to.equal(0);
    expect(result(r.events, 'web1')).to.deep.include({ msg: 'the output has been hidden due to no_log: true', stdout: undefined });
    expect(result(r.events, 'web2').stdout).to.equal('token-web2-x9\n');
  });

  it('an expression that fails to render hides the output', async () => {
    const r = yamlRun({ 'site.yml': PLAY.replace('{{ hide_output }}', '{{ hide_outptu }}') }, ['web1'], { hostVars: { web1: { hide_output: false } } });
    localHosts(r);
    await r.run();
    expect(result(r.events, 'web1')).to.deep.include({ msg: 'the output has been hidden due to no_log: true', stdout: undefined });
  });

  it('a literal no_log that is not a boolean is still refused at load', () => {
    expect(() => yamlRun({ 'site.yml': PLAY.replace('"{{ hide_output }}"', 'maybe') }, ['web1'])).to.throw(/no_log must be true or false/);
  });
});
