// wait_for: waits on the host until a port opens or closes, or a path appears or goes, with a deadline.
import { ArgReader } from '../lib/args.js';
import { keyValues } from '../lib/sections.js';
import { waitFailure, waitScript, type WaitSpec } from '../lib/wait-script.js';
import type { ActionModule } from '../types.js';

export interface WaitForArgs extends WaitSpec {
  state: string;
  msg?: string;
}

export const waitForModule: ActionModule<WaitForArgs> = {
  kind: 'action',
  name: 'wait_for',
  checkMode: 'skip',
  argNames: ['host', 'port', 'path', 'state', 'timeout', 'delay', 'sleep', 'connect_timeout', 'search_regex', 'msg'],
  parse(raw, loc) {
    const args = new ArgReader('wait_for', raw, loc);
    args.exclusive('port', 'path');
    if (args.str('state') === 'drained') throw args.error('state=drained is not supported', 'use state=stopped to wait until the port closes');
    const state = args.choice('state', ['started', 'stopped', 'present', 'absent'] as const, 'started');
    const port = args.has('port') ? args.int('port', 0, 1) : undefined;
    if (port !== undefined && port > 65535) throw args.error(`port ${port} is out of range`);
    const searchRegex = args.str('search_regex');
    if (searchRegex !== undefined && args.has('port')) throw args.error('search_regex on a port is not supported', 'use it with path');
    const host = args.str('host') ?? '127.0.0.1';
    if (!/^[\w.:-]+$/.test(host)) throw args.error(`'${host}' is not a host name or address`);
    return {
      host,
      port,
      path: args.str('path'),
      searchRegex,
      state,
      want: state === 'started' || state === 'present' ? 'up' : 'down',
      timeout: args.int('timeout', 300),
      delay: args.int('delay', 0),
      sleep: args.int('sleep', 1, 1),
      connectTimeout: args.int('connect_timeout', 5, 1),
      msg: args.str('msg'),
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
