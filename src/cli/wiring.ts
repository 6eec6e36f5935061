// Assembles a RunContext from the concrete pieces: templates, conditions, secrets, SSH, printers.
import type { RunContext } from '../executor/context.js';
import type { EventSink } from '../executor/events.js';
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook } from '../playbook/types.js';
import { createTemplater } from '../template/index.js';
import { compileExpr, evaluate, truthy } from '../expr/index.js';
import { SecretSet } from '../secrets/mask.js';
import { ConnectionPool } from '../transport/pool.js';
import { becomeFor, connectionSpecFor } from '../transport/spec.js';
import { createHumanPrinter } from '../output/human.js';
import { createJsonPrinter } from '../output/json.js';
import { getModule } from '../modules/registry.js';

export interface WiringInput {
  options: RunOptions;
  inventory: Inventory;
  playbook: Playbook;
  json: boolean;
  out?: NodeJS.WritableStream;
  /** The run's secrets so far (values decrypted from vaults while loading); a new set if absent. */
  secrets?: SecretSet;
}

export function buildContext(input: WiringInput): RunContext {
  const { options } = input;
  const out = input.out ?? process.stdout;
  const secrets = input.secrets ?? new SecretSet();
  const templater = createTemplater();
  const color = !input.json && Boolean((out as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR;
  const printer = input.json
    ? createJsonPrinter({ out, secrets })
    : createHumanPrinter({ out, color, verbose: options.verbose, diff: options.diff, secrets, check: options.check });
  const sinks: EventSink[] = [printer];
  // One clock for every listener, so the JSON lines, the live view and the report agree on times.
  const started = Date.now();
  const emit: EventSink = (event) => {
    const stamped = { ...event, atMs: Date.now() - started };
    for (const sink of sinks) sink(stamped);
  };
  const c = options.connection;
  // Passwords typed at -k / -K are secrets like no_log values: masked wherever runbook writes.
  for (const p of [c.password, c.becomePassword]) if (p) secrets.add(p);
  return {
    options,
    inventory: input.inventory,
    playbook: input.playbook,
    templating: {
      render: (value, vars, loc) => templater.render(value, vars, loc),
      renderText: (text, vars, file) => templater.renderText(text, vars, file),
    },
    conditions: {
      value: (expr, vars, loc) => evaluate(compileExpr(expr, loc), vars),
      test: (expr, vars, loc) => truthy(evaluate(compileExpr(expr, loc), vars)),
    },
    secrets,
    connections: new ConnectionPool(),
    resolver: {
      spec: (host, vars) =>
        connectionSpecFor(host, vars, {
          user: c.user,
          privateKeyFile: c.privateKeyFile,
          knownHostsFile: c.knownHostsFile,
          hostKeyChecking: c.hostKeyChecking,
          timeoutMs: c.timeoutMs,
          password: c.password,
        }),
      become: (vars, become, becomeUser) =>
        becomeFor({ ...vars, ...(becomeUser ? { ansible_become_user: becomeUser } : {}) }, become, c.becomePassword),
    },
    modules: getModule,
    emit,
    states: new Map(),
  };
}
