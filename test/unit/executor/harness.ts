// A fake transport over an in-memory key/value "host" and a tiny module that manages keys,
// so executor semantics (check mode, handlers, failures, batches) are tested without SSH.
import { Duplex } from 'node:stream';
import { UnreachableError } from '../../../src/core/errors.js';
import type { Vars } from '../../../src/core/types.js';
import type { RunContext } from '../../../src/executor/context.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { defaultRunOptions, type RunOptions } from '../../../src/executor/options.js';
import type { Inventory } from '../../../src/inventory/types.js';
import type { ActionModule, Module, RemoteModule } from '../../../src/modules/types.js';
import type { Play, Playbook, Task } from '../../../src/playbook/types.js';
import type { ConnectionSpec, ExecOptions, ExecResult, Transport } from '../../../src/transport/types.js';

const BATCH_SECTION = /\(:\n([\s\S]*?)\n\) <\/dev\/null\nrb_probe_rc=\$\?\nprintf '([\w-]+):(\d+):%s\\n' "\$rb_probe_rc"\n/g;

export class FakeHost implements Transport {
  readonly kv = new Map<string, string>();
  readonly scripts: string[] = [];
  /** The probes that reached this host inside batches (probe-batch.ts's format), in order. */
  readonly batched: string[] = [];
  constructor(readonly host: string) {}
  async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.scripts.push(script);
    const batch = [...script.matchAll(BATCH_SECTION)];
    if (batch.length > 0) {
      // As /bin/sh runs a batch: each section, then its marker and status on both streams.
      let stdout = '';
      let stderr = '';
      for (const [, section, marker, index] of batch) {
        this.batched.push(section!);
        const r = this.run(section!, {});
        stdout += `${r.stdout}${marker}:${index}:${r.code}\n`;
        stderr += `${r.stderr}${marker}:${index}:${r.code}\n`;
      }
      return { stdout, stderr, code: 0 };
    }
    return this.run(script, options);
  }
  private run(script: string, options: ExecOptions): ExecResult {
    const [verb, key] = script.split(' ');
    if (verb === 'get') return { stdout: this.kv.has(key!) ? this.kv.get(key!)! : '\0absent', stderr: '', code: 0 };
    if (verb === 'set') {
      if (this.kv.get('broken') === 'yes') return { stdout: '', stderr: 'disk on fire', code: 3 };
      this.kv.set(key!, String(options.stdin ?? ''));
      return { stdout: '', stderr: '', code: 0 };
    }
    // kvb's batch: the whole store, and many keys set in order, stopping at a value of 'boom'.
    if (verb === 'dump') return { stdout: JSON.stringify(Object.fromEntries(this.kv)), stderr: '', code: 0 };
    if (verb === 'mset') {
      const pairs = JSON.parse(String(options.stdin)) as Array<[string, string]>;
      let n = 0;
      for (const [k, v] of pairs) {
        if (v === 'boom') return { stdout: String(n), stderr: `cannot set ${k}`, code: 1 };
        this.kv.set(k, v);
        n++;
      }
      return { stdout: String(n), stderr: '', code: 0 };
    }
    return { stdout: '', stderr: `unknown fake command ${script}`, code: 127 };
  }
  async forward(): Promise<Duplex> {
    throw new Error('no forwarding in the fake');
  }
  async close(): Promise<void> {}
}

/** kv: key must hold value (a key is a path: creating it provides it). With `needs_ready`, key `ready` must exist first. */
export const kvModule: RemoteModule<{ key: string; value: string; needs_ready?: boolean }> = {
  kind: 'remote',
  name: 'kv',
  argNames: ['key', 'value', 'needs_ready'],
  parse: (raw) => ({ key: String(raw.key), value: String(raw.value), needs_ready: Boolean(raw.needs_ready) }),
  probe: (args) => ({ script: `get ${args.key}` }),
  plan(args, probe) {
    const before = probe.stdout === '\0absent' ? '' : probe.stdout;
    if (args.needs_ready && before === '' && args.key !== 'ready') {
      return { changes: [], steps: [], failure: { msg: `${args.key}: host not ready`, needs: [{ kind: 'path', path: 'ready' }] } };
    }
    if (before === args.value) return { changes: [], steps: [], data: { value: before } };
    return {
      changes: [`set ${args.key}`],
      provides: [{ kind: 'path', path: args.key }],
      steps: [{ script: `set ${args.key}`, stdin: args.value }],
      diffs: [{ path: args.key, before, after: args.value }],
      data: { value: args.value },
    };
  },
};

/** kv whose loops go in one call (RemoteModule.loopBatch): one `dump` probe, one `mset` for every item that changes. */
export const kvbModule: RemoteModule<{ key: string; value: string }> = {
  kind: 'remote',
  name: 'kvb',
  argNames: ['key', 'value'],
  parse: (raw) => ({ key: String(raw.key), value: String(raw.value) }),
  probe: () => ({ script: 'dump' }),
  plan: (args, probe) => planKvb(args, JSON.parse(probe.stdout) as Record<string, string>),
  loopBatch(items, probe) {
    const store = JSON.parse(probe.stdout) as Record<string, string>;
    const plans = items.map(({ args }) => {
      const p = planKvb(args, store);
      if (p.changes.length) store[args.key] = args.value;
      return p;
    });
    return {
      plans,
      step: (indices) => ({ script: 'mset', stdin: JSON.stringify(indices.map((i) => [items[i]!.args.key, items[i]!.args.value])) }),
      applied: (r) => ({ count: Number(r.stdout), ...(r.code === 0 ? {} : { failed: r.stderr }) }),
    };
  },
};

function planKvb(args: { key: string; value: string }, store: Record<string, string>) {
  const before = store[args.key] ?? '';
  if (before === args.value) return { changes: [], steps: [], data: { value: before } };
  return {
    changes: [`set ${args.key}`],
    steps: [{ script: 'mset', stdin: JSON.stringify([[args.key, args.value]]) }],
    diffs: [{ path: args.key, before, after: args.value }],
    data: { value: args.value },
  };
}

export const noteModule: ActionModule<{ text: string }> = {
  kind: 'action',
  name: 'note',
  freeForm: 'text',
  argNames: ['text'],
  checkMode: 'run',
  parse: (raw) => ({ text: String(raw.text) }),
  run: async (args) => ({ changed: false, msg: args.text, data: { text: args.text } }),
};

export function task(module: string, args: Record<string, unknown> | string, extra: Partial<Task> = {}): Task {
  return {
    kind: 'task', module, args, loc: { file: 'play.yml', line: 1, col: 1 }, when: [], loopVar: 'item', notify: [], listen: [],
    ignoreErrors: false, tags: [], noLog: false, runOnce: false, vars: {}, ...extra,
  };
}

export function play(tasks: Task[], extra: Partial<Play> = {}): Play {
  return {
    name: 'test play', hosts: 'all', vars: {}, varsFiles: [], roles: [], tasks, handlers: [], become: false, gatherFacts: false,
    serial: [], anyErrorsFatal: false, loc: { file: 'play.yml', line: 1, col: 1 }, ...extra,
  };
}

export function inventory(hosts: string[], groups: Record<string, string[]> = {}, vars: Record<string, Vars> = {}): Inventory {
  const all: Record<string, string[]> = { all: hosts, ungrouped: hosts.filter((h) => !Object.values(groups).some((g) => g.includes(h))), ...groups };
  return {
    source: 'inventory.yml',
    hosts,
    groups: all,
    groupNames: (h) => Object.entries(groups).filter(([, m]) => m.includes(h)).map(([g]) => g),
    hostVars: (h) => ({ ...(vars[h] ?? {}) }),
    hostLoc: () => undefined,
    match: (p) => (p === 'all' ? hosts : all[p] ?? hosts.filter((h) => h === p)),
  };
}

/** Minimal stand-ins: `{{name}}` substitution and `name` / `not name` / `a == b`-free conditions. */
function render(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (whole) return lookup(vars, whole[1]!);
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, n: string) => String(lookup(vars, n)));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, vars)]));
  return value;
}

function lookup(vars: Vars, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Vars | undefined)?.[k], vars);
}

function condition(expr: string, vars: Vars): boolean {
  const negated = expr.startsWith('not ');
  const name = negated ? expr.slice(4) : expr;
  const isChanged = /^(\S+) is changed$/.exec(name);
  const v = isChanged ? Boolean((lookup(vars, isChanged[1]!) as Vars | undefined)?.changed) : Boolean(lookup(vars, name));
  return negated ? !v : v;
}

export interface Harness {
  ctx: RunContext;
  hosts: Map<string, FakeHost>;
  events: RunEvent[];
  connects: string[];
  secrets: Set<string>;
}

export function harness(pb: Play[], hostNames: string[], opts: Partial<RunOptions> = {}, unreachable: string[] = [], modules: Module[] = [kvModule, noteModule]): Harness {
  const hosts = new Map(hostNames.map((h) => [h, new FakeHost(h)]));
  const events: RunEvent[] = [];
  const connects: string[] = [];
  const secrets = new Set<string>();
  const playbook: Playbook = { file: 'play.yml', dir: '.', plays: pb };
  const ctx: RunContext = {
    options: { ...defaultRunOptions(), ...opts },
    inventory: inventory(hostNames),
    playbook,
    templating: { render: (v, vars) => render(v, vars), renderText: (t, vars) => String(render(t, vars)) },
    conditions: { value: (e, vars) => lookup(vars, e), test: (e, vars) => condition(e, vars) },
    secrets: { add: (v) => secrets.add(String(v)), mask: (t) => t, contains: (t) => [...secrets].some((s) => s !== '' && t.includes(s)) },
    connections: {
      async get(host: string, _spec: ConnectionSpec) {
        connects.push(host);
        if (unreachable.includes(host)) throw new UnreachableError(host, `${host}: connection refused`);
        return hosts.get(host)!;
      },
      async closeAll() {},
    },
    resolver: {
      spec: (host) => ({ name: host, connection: 'ssh', address: host, port: 22, user: 'root', hostKeyChecking: true, connectTimeoutMs: 1000 }),
      become: () => undefined,
    },
    modules: (name) => modules.find((m) => m.name === name) ?? (name === 'meta' ? { kind: 'action', name: 'meta', argNames: [], checkMode: 'run', parse: (r) => r, run: async () => ({ changed: false }) } : undefined),
    emit: (e) => events.push(e),
    states: new Map(),
  };
  return { ctx, hosts, events, connects, secrets };
}

export function recapOf(h: Harness): Extract<RunEvent, { type: 'recap' }> {
  const r = h.events.find((e) => e.type === 'recap');
  if (!r || r.type !== 'recap') throw new Error('no recap event');
  return r;
}
