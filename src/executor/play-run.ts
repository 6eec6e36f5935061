// One play (or one serial batch of it) in progress: computes each host's variables for a task.
import type { Vars } from '../core/types.js';
import type { Play, Task } from '../playbook/types.js';
import type { BecomeHow, RunContext } from './context.js';
import { lazyVars, markStable } from './lazy-vars.js';
import type { Scope } from './scope.js';
import { buildHostvars, magicVars, mergeLayers, roleDefaultsFor } from './vars.js';

export class PlayRun {
  private hostvars: Vars;

  constructor(
    readonly ctx: RunContext,
    readonly play: Play,
    /** Hosts of the current batch, in inventory order. */
    readonly batch: string[],
    /** The play's hosts when `batch` is a part of them (strategy: free runs each host on its own). */
    private readonly playHosts?: string[],
  ) {
    this.hostvars = markStable(buildHostvars(ctx.inventory, ctx.states, ctx.options.extraVars));
  }

  /** Facts changed: hostvars must see them. */
  refreshHostvars(): void {
    this.hostvars = markStable(buildHostvars(this.ctx.inventory, this.ctx.states, this.ctx.options.extraVars));
  }

  /** The become_user keyword in effect (task > block > play), rendered: `become_user: "{{ app_user }}"` is common. */
  becomeUserFor(task: Pick<Task, 'becomeUser' | 'loc'>, scope: Scope, vars: Vars): string | undefined {
    const raw = task.becomeUser ?? scope.becomeUser ?? this.play.becomeUser;
    if (raw === undefined || !raw.includes('{{')) return raw;
    const user = this.ctx.templating.render(raw, vars, task.loc);
    return user === undefined || user === null || user === '' ? undefined : String(user);
  }

  /** become_method / become_flags in effect (task > block > play). */
  becomeHowFor(task: Pick<Task, 'becomeMethod' | 'becomeFlags'>, scope: Scope): BecomeHow {
    const method = task.becomeMethod ?? scope.becomeMethod ?? this.play.becomeMethod;
    const flags = task.becomeFlags ?? scope.becomeFlags ?? this.play.becomeFlags;
    return { ...(method ? { method } : {}), ...(flags !== undefined ? { flags } : {}) };
  }

  /** The variables `task` sees on `host`, with templated values rendered lazily. */
  varsFor(host: string, task: Pick<Task, 'vars' | 'role'> | undefined, scope: Scope, extra: Vars = {}): Vars {
    const st = this.ctx.states.get(host)!;
    const role = task?.role;
    const merged = mergeLayers({
      roleDefaults: roleDefaultsFor(this.play, role),
      inventory: this.ctx.inventory.hostVars(host),
      facts: st.facts,
      playVars: this.play.vars,
      varsFiles: this.play.varsFiles,
      roleVars: role?.vars ?? {},
      scopeVars: [...scope.vars, task?.vars ?? {}, extra],
      includedVars: st.includedVars,
      hostFacts: st.hostFacts,
      roleParams: role?.params ?? {},
      extraVars: this.ctx.options.extraVars,
      magic: magicVars({
        host,
        inventory: this.ctx.inventory,
        playHosts: (this.playHosts ?? this.batch).filter((h) => this.ctx.states.get(h)?.active),
        check: this.ctx.options.check,
        verbosity: this.ctx.options.verbose,
        role,
        hostvars: this.hostvars,
      }),
    });
    const loc = (task as Task | undefined)?.loc;
    return lazyVars(merged, (value, vars) => this.ctx.templating.render(value, vars, loc));
  }
}
