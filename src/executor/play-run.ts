// One play (or one serial batch of it) in progress: computes each host's variables for a task.
import { noHostData, type HostData } from '../core/host-data.js';
import type { Vars } from '../core/types.js';
import type { Play, Role, Task } from '../playbook/types.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import type { BecomeHow, RunContext } from './context.js';
import { activeHostsGeneration, type HostState } from './host-state.js';
import { lazyVars, markStable } from './lazy-vars.js';
import type { Scope } from './scope.js';
import { resolveVarsFiles } from './vars-files.js';
import { buildHostvars, magicVars, mergeLayers, PASSWORD_VARS, roleDefaultsFor } from './vars.js';

/** Per run: vars files read per host (by path, read once), and each host's resolution for its current facts. */
interface VarsFilesMemo {
  files: Map<string, Vars>;
  hosts: Map<string, { play: Play; facts: HostData; vars: Vars[] }>;
}
const varsFilesMemo = new WeakMap<object, VarsFilesMemo>();

export class PlayRun {
  private hostvars: Vars;
  /** play_hosts as last built, and the host states' generation it was built at. */
  private activeHosts?: { generation: number; hosts: string[] };
  /** vars_files read with the playbook: every host's, when no entry needs a host's variables. */
  private readonly loadedVarsFiles?: Vars[];

  constructor(
    readonly ctx: RunContext,
    readonly play: Play,
    /** Hosts of the current batch, in inventory order. */
    readonly batch: string[],
    /** The play's hosts when `batch` is a part of them (strategy: free runs each host on its own). */
    private readonly playHosts?: string[],
  ) {
    this.hostvars = markStable(buildHostvars(ctx.inventory, ctx.states, ctx.options.extraVars));
    if (play.varsFiles.every((e) => e.kind === 'loaded')) this.loadedVarsFiles = play.varsFiles.map((e) => (e.kind === 'loaded' ? e.vars : {}));
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

  /** The variables `task` sees on `host`, with templated values rendered lazily. VarsFileError: a vars_files entry this host cannot read. */
  varsFor(host: string, task: Pick<Task, 'vars' | 'role'> | undefined, scope: Scope, extra: Vars = {}): Vars {
    const st = this.ctx.states.get(host)!;
    const role = task?.role;
    const merged = mergeLayers({
      roleDefaults: roleDefaultsFor(this.play, role),
      inventory: this.ctx.inventory.hostVars(host),
      facts: st.facts,
      playVars: this.play.vars,
      varsFiles: this.loadedVarsFiles ?? this.hostVarsFiles(st),
      roleVars: role?.vars ?? {},
      scopeVars: [...scope.vars, task?.vars ?? {}, extra],
      includedVars: st.includedVars,
      hostFacts: st.hostFacts,
      roleParams: role?.params ?? {},
      extraVars: this.ctx.options.extraVars,
      magic: this.magicFor(host, role),
    });
    const loc = (task as Task | undefined)?.loc;
    return lazyVars(merged, (value, vars) => this.ctx.templating.render(value, vars, loc));
  }

  /** The play's hosts still in the run; one shared array (marked stable) until a host fails, drops or ends. */
  private activePlayHosts(): string[] {
    const generation = activeHostsGeneration();
    if (this.activeHosts?.generation !== generation) {
      this.activeHosts = { generation, hosts: markStable((this.playHosts ?? this.batch).filter((h) => this.ctx.states.get(h)?.active)) };
    }
    return this.activeHosts.hosts;
  }

  private magicFor(host: string, role: Role | undefined): Vars {
    return magicVars({
      host,
      inventory: this.ctx.inventory,
      playHosts: this.activePlayHosts(),
      check: this.ctx.options.check,
      verbosity: this.ctx.options.verbose,
      role,
      hostvars: this.hostvars,
    });
  }

  /**
   * The play's vars_files on this host, with the entries whose names need variables rendered
   * (vars-files.ts). Resolved again when the host's facts change: before facts, an entry naming
   * one is left out, as in Ansible.
   */
  private hostVarsFiles(st: HostState): Vars[] {
    const { ctx, play } = this;
    let memo = varsFilesMemo.get(ctx.states);
    if (!memo) varsFilesMemo.set(ctx.states, (memo = { files: new Map(), hosts: new Map() }));
    const known = memo.hosts.get(st.name);
    if (known && known.play === play && known.facts === st.facts) return known.vars;
    const files = memo.files;
    const vars = resolveVarsFiles(play.varsFiles, {
      // Ansible renders the names with what lies below vars_files (role defaults, inventory, facts,
      // play vars, the entries before), plus extra and magic variables.
      varsWith: (prior) => lazyVars(mergeLayers({
        roleDefaults: roleDefaultsFor(play, undefined), inventory: ctx.inventory.hostVars(st.name), facts: st.facts, playVars: play.vars,
        varsFiles: [...prior], roleVars: {}, scopeVars: [], includedVars: {}, hostFacts: noHostData, roleParams: {},
        extraVars: ctx.options.extraVars, magic: this.magicFor(st.name, undefined),
      }), (value, v) => ctx.templating.render(value, v, play.loc)),
      render: (text, v, loc) => ctx.templating.render(text, v, loc),
      factsKnown: Object.keys(st.facts).length > 0,
      load: (path, loc) => {
        let data = files.get(path);
        if (!data) {
          data = loadVarsFile(path, loc, ctx.vault);
          // Login and become passwords are secrets wherever they are set (preflight.ts does the others).
          for (const key of PASSWORD_VARS) if (typeof data[key] === 'string' || typeof data[key] === 'number') ctx.secrets.add(data[key]);
          files.set(path, data);
        }
        return data;
      },
    });
    memo.hosts.set(st.name, { play, facts: st.facts, vars });
    return vars;
  }
}
