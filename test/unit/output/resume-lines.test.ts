import { expect } from 'chai';
import type { HostCounters, RunEvent } from '../../../src/executor/events.js';
import { createHumanPrinter } from '../../../src/output/human.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';

const zero: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
const loc = { file: 'site.yml', line: 3, col: 7 };

function print(events: RunEvent[], secrets = new SecretSet()): string {
  const out = new Capture();
  const sink = createHumanPrinter({ out, color: false, verbose: 0, diff: false, check: false, secrets });
  for (const e of events) sink(e);
  return out.text;
}

describe('output: delegated results and the resume hint', () => {
  it('shows a delegated result as Ansible does, [host -> delegate]', () => {
    const text = print([
      { type: 'task_start', play: 'web', task: 'take out of the pool', loc, handler: false },
      { type: 'host_result', task: 'take out of the pool', handler: false, host: 'web3', delegate: 'localhost', status: 'changed', durationMs: 3 },
      { type: 'host_result', task: 'take out of the pool', handler: false, host: 'web4', delegate: 'redis1', status: 'failed', msg: 'no', durationMs: 3 },
    ]);
    expect(text).to.include('changed: [web3 -> localhost]\n');
    expect(text).to.include('fatal: [web4 -> redis1]: FAILED! => no\n');
  });

  it('names the never-run hosts under the recap and prints the whole resume command, however many hosts', () => {
    const hosts = Array.from({ length: 14 }, (_, i) => `web${i + 3}`);
    const resume = { hosts, command: `node bin/runbook.js apply site.yml --limit ${hosts.join(',')}`, cwd: '/srv/ops', notes: ['left out -e with a value holding a secret: give it again'] };
    const text = print([
      { type: 'aborted', reason: 'max_fail_percentage 0% exceeded', notRun: hosts.slice(2), resume },
      { type: 'recap', hosts: { web1: zero, web3: { ...zero, failed: 1 } }, exitCode: 8, durationMs: 10, resume },
    ]);
    const after = text.slice(text.indexOf('PLAY RECAP'));
    expect(after).to.include(`NOT RUN (aborted): ${hosts.slice(2).join(', ')}\n`);
    expect(after).to.include('To resume on the 14 hosts that did not finish, run (in /srv/ops):\n');
    expect(after).to.include(`  ${resume.command}\n`);
    expect(after).to.include('  note: left out -e with a value holding a secret');
  });

  it('masks a secret even there, should one reach a hint', () => {
    const secrets = new SecretSet();
    secrets.add('hunter2-secret');
    const resume = { hosts: ['web2'], command: 'runbook apply x.yml -e pw=hunter2-secret --limit web2', cwd: '/srv' };
    const text = print([{ type: 'recap', hosts: { web2: { ...zero, failed: 1 } }, exitCode: 2, durationMs: 1, resume }], secrets);
    expect(text).to.include('-e pw=******** --limit web2');
    expect(text).to.not.include('hunter2');
  });

  it('says nothing more after a clean recap', () => {
    const text = print([{ type: 'recap', hosts: { web1: zero }, exitCode: 0, durationMs: 1 }]);
    expect(text).to.not.match(/resume|NOT RUN/i);
  });
});
