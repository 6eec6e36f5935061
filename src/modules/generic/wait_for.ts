// wait_for: waits on the host until a port opens or closes, or a path appears or goes, with a deadline.
import { keyValues } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { waitFailure, waitScript, type WaitSpec } from '../lib/wait-script.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export interface WaitForArgs extends WaitSpec {
  state: string;
  msg?: string;
}

export const waitForSpec = defineSpec({
  description: 'Waits on the host until a port opens or closes, or a path appears or goes away, up to timeout seconds.',
  args: {
    host: { type: 'str', default: '127.0.0.1', description: 'Address to check the port on, as seen from the host.' },
    port: { type: 'int', min: 1, description: 'TCP port to wait for.' },
    path: { type: 'str', description: 'File to wait for, instead of a port.' },
    state: {
      type: 'str',
      choices: ['started', 'stopped', 'present', 'absent'],
      default: 'started',
      unsupported: { drained: 'use state=stopped to wait until the port closes' },
      description: 'started/present: wait until it is there; stopped/absent: until it is gone.',
    },
    timeout: { type: 'int', default: 300, description: 'Seconds to wait before failing.' },
    delay: { type: 'int', default: 0, description: 'Seconds to wait before the first check.' },
    sleep: { type: 'int', default: 1, min: 1, description: 'Seconds between checks.' },
    connect_timeout: { type: 'int', default: 5, min: 1, description: 'Seconds one connection attempt may take.' },
    search_regex: { type: 'str', description: 'With path: wait until the file contains a match of this regular expression.' },
    msg: { type: 'str', description: 'The failure message on timeout.' },
  },
  mutuallyExclusive: [['port', 'path']],
  examples: `- name: Wait for Redis to listen
  wait_for:
    port: 6379
    timeout: 30`,
  returns: { elapsed: 'Seconds waited.', state: 'The state waited for.', port: 'The port, when one was given.', path: 'The path, when one was given.' },
});

export const waitForModule: ActionModule<WaitForArgs> = {
  kind: 'action',
  name: 'wait_for',
  checkMode: 'skip',
  ...specFields(waitForSpec),
  parse(raw, loc) {
    const { args: a, reader } = parseSpec('wait_for', waitForSpec, raw, loc);
    const { port, state, host } = a;
    if (port !== undefined && port > 65535) throw reader.error(`port ${port} is out of range`);
    if (a.search_regex !== undefined && port !== undefined) throw reader.error('search_regex on a port is not supported', 'use it with path');
    if (!/^[\w.:-]+$/.test(host)) throw reader.error(`'${host}' is not a host name or address`);
    return {
      host,
      port,
      path: a.path,
      searchRegex: a.search_regex,
      state,
      want: state === 'started' || state === 'present' ? 'up' : 'down',
      timeout: a.timeout,
      delay: a.delay,
      sleep: a.sleep,
      connectTimeout: a.connect_timeout,
      msg: a.msg,
    };
  },
  async run(a, ctx) {
    const r = await ctx.transport.exec(waitScript(a), { signal: ctx.signal });
    const elapsed = Number(keyValues(r.stdout).elapsed ?? 0);
    const data = { elapsed, state: a.state, ...(a.port !== undefined ? { port: a.port } : {}), ...(a.path !== undefined ? { path: a.path } : {}) };
    if (r.code === 0) return { changed: false, data };
    if (r.code === 1) return { changed: false, failed: a.msg ?? waitFailure(a), data };
    return { changed: false, failed: `wait_for could not run on the host (exit ${r.code}): ${r.stderr.trim()}`, data };
  },
};
