import { expect } from 'chai';
import type { HostCounters, RunEvent } from '../../../src/executor/events.js';
import { createHumanPrinter } from '../../../src/output/human.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';

const PW = 'p&ss=w+rd!@%';
const loc = { file: 'playbooks/site.yml', line: 7, col: 7 };
const zero: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

function run(events: RunEvent[], opts: Partial<{ color: boolean; verbose: number; diff: boolean; check: boolean; secrets: SecretSet }> = {}): string {
  const out = new Capture();
  const secrets = opts.secrets ?? new SecretSet();
  const print = createHumanPrinter({ out, color: opts.color ?? false, verbose: opts.verbose ?? 0, diff: opts.diff ?? false, check: opts.check ?? false, secrets });
  for (const e of events) print(e);
  return out.text;
}

function result(host: string, status: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable', extra: Record<string, unknown> = {}): RunEvent {
  return { type: 'host_result', task: 't', handler: false, host, status, durationMs: 1, ...extra } as RunEvent;
}

const canned: RunEvent[] = [
  { type: 'play_start', play: 'redis', hosts: ['redis1', 'web1'], check: false },
  { type: 'task_start', play: 'redis', task: 'Gathering Facts', loc, handler: false },
  result('redis1', 'ok'),
  result('web1', 'ok'),
  { type: 'task_start', play: 'redis', task: 'redis_server : write redis.conf', loc, handler: false },
  result('redis1', 'changed', { changes: ['write /etc/redis/redis.conf'] }),
  result('web1', 'skipped', { msg: 'conditional result was False: inventory_hostname in groups.redis' }),
  { type: 'task_start', play: 'redis', task: 'redis_server : restart redis', loc, handler: true },
  result('redis1', 'changed'),
  { type: 'recap', hosts: { web1: { ...zero, ok: 1, skipped: 1 }, redis1: { ...zero, ok: 3, changed: 2 } }, exitCode: 0, durationMs: 10 },
];

describe('output/human', () => {
  it('prints a run the way Ansible does', () => {
    const stars = (title: string): string => `${title} ${'*'.repeat(79 - title.length)}`;
    expect(run(canned)).to.equal(
      [
        '',
        stars('PLAY [redis]'),
        '',
        stars('TASK [Gathering Facts]'),
        'ok: [redis1]',
        'ok: [web1]',
        '',
        stars('TASK [redis_server : write redis.conf]'),
        'changed: [redis1]',
        'skipping: [web1] => conditional result was False: inventory_hostname in groups.redis',
        '',
        stars('RUNNING HANDLER [redis_server : restart redis]'),
        'changed: [redis1]',
        '',
        stars('PLAY RECAP'),
        'redis1                     : ok=3    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
        'web1                       : ok=1    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   ',
        '',
        '',
      ].join('\n'),
    );
  });

  it('says under the recap that a run was interrupted, and why (a queued run that lost Redis)', () => {
    const text = run([{ type: 'recap', hosts: { web1: { ...zero, ok: 1 } }, exitCode: 8, durationMs: 1, interrupted: 'lost the queue at 127.0.0.1:6379 before the run ended: 1 of 2 hosts had finished; not finished: web2', resume: { hosts: ['web2'] } }]);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('RUN INTERRUPTED: '));
    expect(lines[at]).to.equal('RUN INTERRUPTED: lost the queue at 127.0.0.1:6379 before the run ended: 1 of 2 hosts had finished; not finished: web2');
    expect(lines[at - 1]).to.match(/^web1 +: ok=1/);
    expect(text).to.include('To resume, run again with --limit web2');
    expect(run(canned)).to.not.include('INTERRUPTED');
  });

  it('pads banners with stars to column 80, and at least three', () => {
    const lines = run(canned).split('\n').filter((l) => l.endsWith('***'));
    for (const l of lines) expect(l.length, l).to.equal(80);
    const long = run([{ type: 'task_start', play: 'p', task: 'x'.repeat(100), loc, handler: false }]);
    expect(long).to.contain(`[${'x'.repeat(100)}] ***\n`);
  });

  it('writes no escape codes without colour, and colours with it', () => {
    expect(run(canned)).to.not.match(/\x1b\[/);
    const coloured = run(canned, { color: true });
    expect(coloured).to.contain('\x1b[33mchanged: [redis1]\x1b[39m');
    expect(coloured).to.contain('\x1b[32mok: [web1]\x1b[39m');
    expect(coloured).to.contain('\x1b[36mskipping: [web1] => conditional result was False: inventory_hostname in groups.redis\x1b[39m');
  });

  it('lists changes at -v, and what would change in check mode without -v', () => {
    const v = run(canned, { verbose: 1 });
    expect(v).to.contain('changed: [redis1]\n    changes:\n      - write /etc/redis/redis.conf\n');
    const checked = run([{ type: 'play_start', play: 'redis', hosts: [], check: true }, ...canned.slice(1)], { check: true });
    expect(checked).to.contain('PLAY [redis] [CHECK MODE] ***');
    expect(checked).to.contain('changed: [redis1]\n    would change:\n      - write /etc/redis/redis.conf\n');
    expect(run(canned)).to.not.contain('changes:');
  });

  it('shows a result message (debug) always, and a command\'s output on success only at -v', () => {
    const events = [result('web1', 'ok', { msg: 'hello\nworld' }), result('web1', 'changed', { rc: 0, stdout: 'did it\n' })];
    expect(run(events)).to.equal('ok: [web1] => hello\n    world\nchanged: [web1]\n');
    expect(run(events, { verbose: 1 })).to.equal('ok: [web1] => hello\n    world\nchanged: [web1]\n    rc: 0\n    stdout:\n      did it\n');
  });

  it('prints failures with the message, rc, stdout and stderr, and ...ignoring', () => {
    const text = run([
      result('web1', 'failed', { msg: 'non-zero return code', rc: 2, stdout: 'out line\n', stderr: 'err 1\nerr 2\n' }),
      result('web2', 'failed', { msg: 'first\nsecond', ignored: true }),
    ]);
    expect(text).to.equal(
      [
        'fatal: [web1]: FAILED! => non-zero return code',
        '    rc: 2',
        '    stdout:',
        '      out line',
        '    stderr:',
        '      err 1',
        '      err 2',
        'fatal: [web2]: FAILED! => first',
        '    second',
        '...ignoring',
        '',
      ].join('\n'),
    );
  });

  it('keeps only the tail of a long command output unless -vv', () => {
    const stdout = Array.from({ length: 250 }, (_, i) => `line ${i}`).join('\n');
    const short = run([result('web1', 'failed', { msg: 'x', stdout })]);
    expect(short).to.contain('stdout: (last 200 of 250 lines; -vv shows all)');
    expect(short).to.not.contain('line 49\n');
    expect(short).to.contain('line 50\n');
    expect(run([result('web1', 'failed', { msg: 'x', stdout })], { verbose: 2 })).to.contain('line 0\n');
  });

  it('prints unreachable hosts, loop items, warnings and aborts', () => {
    const text = run([
      result('web3', 'unreachable', { msg: 'connect ECONNREFUSED 10.77.0.13:22' }),
      result('web1', 'changed', { item: 'redis-server' }),
      result('web1', 'ok', { item: 'redis-tools' }),
      result('web1', 'failed', { item: 'php-redis', msg: 'no candidate' }),
      result('web1', 'skipped', { item: 'x' }),
      { type: 'warning', msg: 'no hosts matched', host: 'web1' },
      { type: 'aborted', reason: 'max_fail_percentage 0 exceeded in batch 2', notRun: ['web5', 'web6'] },
    ]);
    expect(text).to.contain('fatal: [web3]: UNREACHABLE! => connect ECONNREFUSED 10.77.0.13:22\n');
    expect(text).to.contain('changed: [web1] => (item=redis-server)\n');
    expect(text).to.contain('ok: [web1] => (item=redis-tools)\n');
    expect(text).to.contain('failed: [web1] (item=php-redis) => no candidate\n');
    expect(text).to.contain('skipping: [web1] => (item=x)\n');
    expect(text).to.contain('[WARNING]: [web1] no hosts matched\n');
    expect(text).to.contain('RUN ABORTED ***');
    expect(text).to.contain('max_fail_percentage 0 exceeded in batch 2\n  see: docs/troubleshooting.md#rollout-aborted\nnot run: web5, web6\n');
  });

  it('shows a unified diff per file with --diff only', () => {
    const diffs = [{ path: '/etc/redis/redis.conf', before: 'port 6379\nmaxmemory 32mb\n', after: 'port 6379\nmaxmemory 64mb\n' }];
    const events = [result('redis1', 'changed', { diffs })];
    expect(run(events)).to.equal('changed: [redis1]\n');
    expect(run(events, { diff: true })).to.equal(
      ['changed: [redis1]', '--- before: /etc/redis/redis.conf', '+++ after: /etc/redis/redis.conf', '@@ -1,2 +1,2 @@', ' port 6379', '-maxmemory 32mb', '+maxmemory 64mb', ''].join('\n'),
    );
    const coloured = run(events, { diff: true, color: true });
    expect(coloured).to.contain('\x1b[32m+maxmemory 64mb\x1b[39m');
    expect(coloured).to.contain('\x1b[31m-maxmemory 32mb\x1b[39m');
  });

  it('never prints a secret: not in messages, output, item labels, diffs, even multi-line ones', () => {
    const key = '-----BEGIN KEY-----\nAAAA\nBBBB\n-----END KEY-----';
    const secrets = new SecretSet();
    secrets.add(PW);
    secrets.add(key);
    const text = run(
      [
        { type: 'task_start', play: 'p', task: `set ${PW}`, loc, handler: false },
        result('web1', 'failed', { msg: `auth ${encodeURIComponent(PW)} refused`, stdout: `echo '${PW}'`, stderr: JSON.stringify({ pw: PW }), rc: 1 }),
        result('web1', 'changed', { item: PW, changes: [`write ${PW}`], diffs: [{ path: '/etc/k', before: 'old\n', after: `${key}\nrequirepass ${PW}\n` }] }),
        { type: 'warning', msg: `pw=${PW}` },
      ],
      { secrets, diff: true, verbose: 2, color: true },
    );
    for (const leak of [PW, encodeURIComponent(PW), JSON.stringify(PW).slice(1, -1), 'AAAA', 'BBBB']) expect(text, leak).to.not.contain(leak);
    expect(text).to.contain('+requirepass ********');
    expect(text).to.contain('(item=********)');
  });
});
