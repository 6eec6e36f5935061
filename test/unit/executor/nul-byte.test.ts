// A NUL byte in a task's argument is that task's bad input, not a lost host: no command is sent,
// the task fails with a message saying so, and ignore_errors lets the play go on.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { yamlRun } from './yaml-play.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;

describe('executor: a NUL byte in an argument', () => {
  it('fails the task (not the host), sends nothing with the NUL, and ignore_errors catches it', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "/tmp/a\\0b", state: absent }
      ignore_errors: true
    - command: "echo \\0"
      ignore_errors: true
    - kv: { key: after, value: "reached" }
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const results = r.events.filter((e): e is HostResultEvent => e.type === 'host_result');
    const nul = results.filter((e) => e.status === 'failed');
    expect(nul).to.have.length(2);
    for (const e of nul) expect(JSON.stringify(e)).to.match(/NUL byte/);
    expect(results.some((e) => e.status === 'unreachable')).to.equal(false);
    expect(r.hosts.get('web1')!.scripts.some((s) => s.includes('\0'))).to.equal(false);
    expect(r.hosts.get('web1')!.kv.get('after')).to.equal('reached');
  });
});
