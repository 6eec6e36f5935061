// Assembles a RunContext from the concrete pieces: templates, conditions, secrets, SSH, printers.
import type { Vars } from '../core/types.js';
import type { RunContext } from '../executor/context.js';
import type { EventSink } from '../executor/events.js';
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook } from '../playbook/types.js';
import { createTemplater } from '../template/index.js';
import { createJinjaEngine, expressionEnv } from '../template/jinja/engine.js';
import { renderLimitsFromEnv } from '../template/limits.js';
import { compileExpr, evaluate, truthy } from '../expr/index.js';
import { SecretSet } from '../secrets/mask.js';
import { ConnectionPool } from '../transport/pool.js';
import { becomeFor, connectionSpecFor } from '../transport/spec.js';
import { createHumanPrinter } from '../output/human.js';
import { createJsonPrinter } from '../output/json.js';
import { canColor, canRedraw, type TermStream } from '../output/tty.js';
import { createHtmlReport, reportTitle } from '../output/report/index.js';
import { getModule } from '../modules/registry.js';
import type { Vault } from '../vault/vault.js';

export interface WiringInput {
  options: RunOptions;
  inventory: Inventory;
  playbook: Playbook;
  json: boolean;
  out?: NodeJS.WritableStream;
  /** The run's secrets so far (values decrypted from vaults while loading); a new set if absent. */
  secrets?: SecretSet;
  /** --report: the HTML page written when the recap arrives. */
  reportFile?: string;
  /** For vault files read while running (include_vars). */
  vault?: Vault;
}

export function buildContext(input: WiringInput): RunContext {
  const { options } = input;
  const out = input.out ?? process.stdout;
  const secrets = input.secrets ?? new SecretSet();
  const templater = createTemplater(renderLimitsFromEnv(process.env), secrets);
  const jinja = createJinjaEngine({ secrets });
  const term = out as Partial<TermStream>;
  const color = !input.json && canColor(term);
  const printer = input.json
    ? createJsonPrinter({ out, secrets })
    : createHumanPrinter({
        out, color, verbose: options.verbose, diff: options.diff, secrets, check: options.check, timings: true,
        live: canRedraw(term) ? { term, signal: options.signal } : undefined,
      });
  const sinks: EventSink[] = [printer];
  if (input.reportFile) sinks.push(createHtmlReport({ file: input.reportFile, secrets, title: reportTitle(input.playbook.file) }));
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
      renderText: (text, vars, file, searchPath) => templater.renderText(text, vars, file, searchPath),
    },
    // Conditions reach the same globals (omit), lookups and masking as Jinja2 templates: one evaluator.
    conditions: {
      value: (expr, vars, loc) => evaluate(compileExpr(expr, loc), vars, expressionEnv(jinja, loc?.file, vars, secrets)),
      test: (expr, vars, loc) => truthy(evaluate(compileExpr(expr, loc), vars, expressionEnv(jinja, loc?.file, vars, secrets))),
    },
    secrets,
    connections: new ConnectionPool(),
    resolver: {
      spec: (host, vars, keywords) =>
        connectionSpecFor(host, withConnectionKeyword(vars, keywords?.connection), {
          // A play's remote_user beats -u and runbook.cfg; the inventory's ansible_user beats both (Ansible's order).
          user: keywords?.remoteUser ?? c.user,
          privateKeyFile: c.privateKeyFile,
          knownHostsFile: c.knownHostsFile,
          knownHostsOverride: c.knownHostsOverride,
          hostKeyChecking: c.hostKeyChecking,
          timeoutMs: c.timeoutMs,
          password: c.password,
        }),
      // Lowest first: -b / --become-user, then variables (ansible_become, ansible_become_user), then keywords.
      // Layered over vars, never spread: a spread renders every lazy variable, and one that needs facts
      // not gathered yet (redis_bind: "{{primary_private_ipv4}}") would fail the play's Gathering Facts.
      become: (vars, become, becomeUser, how) => {
        const user = becomeUser ?? vars.ansible_become_user ?? c.becomeUser;
        const layered = Object.create(vars, user === undefined ? {} : { ansible_become_user: { value: user, enumerable: true } }) as Vars;
        // become_method / become_flags: the inventory's ansible_become_* beat the keywords (Ansible's order), which beat ansible.cfg and --become-method.
        const method = how?.method ?? c.becomeMethod;
        const flags = how?.flags ?? c.becomeFlags;
        const options = becomeFor(layered, become ?? c.become ?? false, c.becomePassword, { ...(method ? { method } : {}), ...(flags !== undefined ? { flags } : {}) });
        // However it was set (a task's vars, a template, set_fact), the password in use is a secret.
        if (options?.password) secrets.add(options.password);
        return options;
      },
    },
    modules: getModule,
    emit,
    states: new Map(),
    ...(input.vault ? { vault: input.vault } : {}),
  };
}

/** The connection keyword as a default below the inventory's ansible_connection (variables beat keywords in Ansible). */
function withConnectionKeyword(vars: Vars, connection: 'ssh' | 'local' | undefined): Vars {
  if (connection === undefined || vars.ansible_connection !== undefined) return vars;
  // Layered, not spread: a spread would render every lazy variable.
  return Object.create(vars, { ansible_connection: { value: connection, enumerable: true } }) as Vars;
}
