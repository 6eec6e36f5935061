// Checks what can be checked before any connection: hosts matched, handlers notified exist,
// and every role's argument spec for every host. A failure here exits 1 and touches nothing.
// A missing copy/template src is not among them: it fails its task when it runs, as in Ansible,
// so `when:` and ignore_errors apply to it (--syntax-check warns: playbook/controller-file.ts).
import { InputError, RunbookError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import type { ArgumentSpec, Play, Role } from '../playbook/types.js';
import type { RunContext } from './context.js';
import { knownDelegate, unknownDelegate } from './delegate.js';
import { PlayRun } from './play-run.js';
import { PASSWORD_VARS } from './vars.js';
import { rootScope } from './scope.js';
import { tasksIn } from '../playbook/walk.js';

export function playHosts(ctx: RunContext, play: Play): string[] {
  const hosts = ctx.inventory.match(play.hosts);
  if (!ctx.options.limit) return hosts;
  const limited = new Set(ctx.inventory.match(ctx.options.limit));
  return hosts.filter((h) => limited.has(h));
}

/** A literal delegate_to must name a host of the inventory (or localhost): a typo is bad input, not an unreachable host. */
function checkDelegates(ctx: RunContext, play: Play): void {
  for (const task of [...tasksIn(play.tasks), ...play.handlers, ...tasksIn(play.checks ?? [])]) {
    const name = task.delegateTo;
    if (name === undefined || name.includes('{{') || knownDelegate(ctx.inventory, name)) continue;
    const why = unknownDelegate(ctx.inventory, name);
    throw new InputError(why.message, task.loc, why.hint);
  }
}

function checkHandlers(play: Play): void {
  const known = new Set(play.handlers.flatMap((h) => [h.name ?? '', ...h.listen]));
  for (const task of [...tasksIn(play.tasks), ...play.handlers]) {
    for (const n of task.notify) {
      if (!known.has(n) && !n.includes('{{')) {
        throw new InputError(`task notifies handler '${n}', but play '${play.name}' has no handler of that name or listen topic`, task.loc, `handlers: ${[...known].filter(Boolean).join(', ') || '(none)'}`);
      }
    }
  }
}

function typeOk(spec: ArgumentSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'str': case 'path': return typeof v === 'string' || typeof v === 'number';
    case 'int': return Number.isInteger(typeof v === 'string' ? Number(v) : v) && v !== '';
    case 'float': return !Number.isNaN(Number(v));
    case 'bool': return typeof v === 'boolean';
    case 'list': return Array.isArray(v);
    case 'dict': return v !== null && typeof v === 'object' && !Array.isArray(v);
    default: return true;
  }
}

function checkRole(role: Role, host: string, vars: Vars, ctx: RunContext): void {
  for (const [name, spec] of Object.entries(role.argumentSpecs)) {
    let value: unknown;
    try {
      value = vars[name];
    } catch (err) {
      // Depends on facts not gathered yet: checked again when the task renders it.
      if (err instanceof RunbookError && /undefined/i.test(err.message)) continue;
      throw err;
    }
    if (value === undefined || value === null) {
      if (spec.required) {
        throw new InputError(`role '${role.name}' requires '${name}' for host ${host}, and it is not set`, spec.loc, `set ${name} in group_vars, host_vars, the play's vars or with -e @file.yml${spec.description ? ` (${spec.description})` : ''}`);
      }
      continue;
    }
    if (spec.noLog) ctx.secrets.add(value);
    const shown = spec.noLog ? '(secret)' : JSON.stringify(value);
    if (!typeOk(spec, value)) throw new InputError(`role '${role.name}': '${name}' must be of type ${spec.type}, got ${shown} for host ${host}`, spec.loc);
    if (spec.choices && !spec.choices.includes(value)) throw new InputError(`role '${role.name}': '${name}' is ${shown} for host ${host}; choose one of ${spec.choices.join(', ')}`, spec.loc);
    if (spec.minLength !== undefined && (typeof value === 'string' || Array.isArray(value)) && value.length < spec.minLength) {
      throw new InputError(`role '${role.name}': '${name}' must be at least ${spec.minLength} characters long for host ${host} (it has ${value.length})`, spec.loc);
    }
  }
}


/** Throws InputError before anything runs; returns each play's hosts. */
export function preflight(ctx: RunContext): string[][] {
  const { options, inventory } = ctx;
  if (options.limit && inventory.match(options.limit).length === 0) {
    throw new InputError(`--limit '${options.limit}' matches no host in ${inventory.source}`, undefined, `hosts: ${inventory.hosts.slice(0, 10).join(', ')}${inventory.hosts.length > 10 ? ', ...' : ''}`);
  }
  // Login and become passwords are secrets wherever they are set: -e, the inventory, a play's vars or vars_files.
  // (A templated one is registered again, rendered, when a task's become resolves it.)
  const passwordsOf = (v: Vars) => {
    for (const key of PASSWORD_VARS) if (typeof v[key] === 'string' || typeof v[key] === 'number') ctx.secrets.add(v[key]);
  };
  passwordsOf(options.extraVars);
  for (const host of inventory.hosts) passwordsOf(inventory.hostVars(host));
  for (const play of ctx.playbook.plays) [play.vars, ...play.varsFiles.flatMap((e) => (e.kind === 'loaded' ? [e.vars] : []))].forEach(passwordsOf);
  // (Files a vars_files entry names per host are read while running: play-run.ts registers theirs.)
  return ctx.playbook.plays.map((play) => {
    checkHandlers(play);
    checkDelegates(ctx, play);
    const hosts = playHosts(ctx, play);
    const run = new PlayRun(ctx, play, hosts);
    for (const role of play.roles) {
      if (Object.keys(role.argumentSpecs).length === 0) continue;
      for (const host of hosts) checkRole(role, host, run.varsFor(host, { vars: {}, role }, rootScope), ctx);
    }
    return hosts;
  });
}
