// A small run's events, as the CLI stamps them: two hosts, a loop, a handler, a skip, an ignored failure.
import type { HostCounters, RunEvent } from '../../../../src/executor/events.js';

const loc = (line: number) => ({ file: 'site.yml', line, col: 7 });

export const counters = (c: Partial<HostCounters>): HostCounters => ({ ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...c });

export function sampleRun(): RunEvent[] {
  return [
    { type: 'play_start', play: 'web', hosts: ['web1', 'web2'], check: false, atMs: 0 },
    { type: 'task_start', play: 'web', task: 'write config', loc: loc(4), handler: false, atMs: 1 },
    { type: 'host_result', task: 'write config', handler: false, host: 'web2', status: 'ok', durationMs: 30, atMs: 31 },
    {
      type: 'host_result', task: 'write config', handler: false, host: 'web1', status: 'changed', durationMs: 40, atMs: 41,
      diffs: [{ path: '/etc/app.conf', before: 'port = 1\n', after: 'port = 2\n' }],
    },
    { type: 'task_start', play: 'web', task: 'packages', loc: loc(9), handler: false, atMs: 42 },
    { type: 'host_result', task: 'packages', handler: false, host: 'web1', status: 'ok', item: 'a', durationMs: 100, atMs: 140 },
    { type: 'host_result', task: 'packages', handler: false, host: 'web1', status: 'changed', item: 'b', durationMs: 100, atMs: 142 },
    { type: 'host_result', task: 'packages', handler: false, host: 'web2', status: 'skipped', item: 'a', durationMs: 2, atMs: 44 },
    { type: 'host_result', task: 'packages', handler: false, host: 'web2', status: 'skipped', item: 'b', durationMs: 2, atMs: 45 },
    { type: 'task_start', play: 'web', task: 'may fail', loc: loc(14), handler: false, atMs: 143 },
    { type: 'host_result', task: 'may fail', handler: false, host: 'web1', status: 'failed', ignored: true, msg: 'exit 3', rc: 3, durationMs: 10, atMs: 153 },
    { type: 'host_result', task: 'may fail', handler: false, host: 'web2', status: 'ok', durationMs: 9, atMs: 152 },
    { type: 'task_start', play: 'web', task: 'write config', loc: loc(20), handler: true, atMs: 154 },
    { type: 'host_result', task: 'write config', handler: true, host: 'web1', status: 'changed', durationMs: 5, atMs: 159, diffs: [{ path: '/x', before: '', after: 'y' }] },
    {
      type: 'recap', exitCode: 0, durationMs: 160, atMs: 161,
      hosts: { web1: counters({ ok: 4, changed: 3, ignored: 1 }), web2: counters({ ok: 2, skipped: 1 }) },
    },
  ];
}
