// What a module is: a typed argument parser plus either probe/plan (remote) or run (action).
// Remote modules never touch the host themselves: the executor runs the probe, hands the
// output to the pure planner, and alone decides whether to apply (that is check mode).
import type { SourceLoc, Vars } from '../core/types.js';
import type { BecomeOptions, ConnectionSpec, ExecResult, Transport } from '../transport/types.js';
import type { ModuleSpec } from './spec.js';

/** A file's content before and after, for --diff. Secret masking happens in the output layer. */
export interface FileDiff {
  path: string;
  before: string;
  after: string;
  /** Only the owner may read the file, before or after (0600, 0400): its text is not shown. */
  private?: boolean;
  /** Why the text is not shown (before and after are then empty): the diff only says that the file changed. */
  hidden?: string;
}

/**
 * A file a step replaced, and the copy of its previous content (owner and mode kept) that the same
 * step left on the host, so a handler that fails afterwards can put the old file back.
 */
export interface ReplacedFile {
  path: string;
  /** Where the previous content was kept on the host; null: there was no file before. */
  previous: string | null;
}

/** One command sent to the host. Secrets and file contents go in stdin, never in script. */
export interface RemoteCommand {
  script: string;
  stdin?: string | Buffer;
}

export interface Step extends RemoteCommand {
  /** Exit codes that count as success; default [0]. */
  okCodes?: number[];
}

/**
 * Something on a host that one task may create and a later one may need: the vocabulary of
 * check-mode forecasts. Modules only name these; the executor decides what they excuse.
 */
export type HostThing =
  | { kind: 'path'; path: string }
  | { kind: 'package'; name: string }
  | { kind: 'user'; name: string }
  | { kind: 'group'; name: string }
  | { kind: 'unit'; name: string }
  /** The apt package lists (an apt source added, the lists refreshed). */
  | { kind: 'package-lists' };

export interface Plan {
  /** What would change, in words ("install redis-server", "write /etc/redis/redis.conf"). Empty: already as desired, status ok. */
  changes: string[];
  /** Commands that make the change, run in order only when not in check mode. */
  steps: Step[];
  /**
   * Commands run before `steps` outside check mode even when nothing changes, and never counted as
   * a change: systemd's daemon_reload, which Ansible runs whenever asked and reports as ok.
   */
  sideSteps?: Step[];
  diffs?: FileDiff[];
  /** Values for `register`, known from the probe alone. */
  data?: Vars;
  /** Facts this task adds to the host (setup, set_fact-like modules). */
  facts?: Vars;
  /**
   * What applying this plan creates on the host (a path, packages, a user). In check mode the
   * executor remembers it as a forecast. A failed plan may set it too: what the task would
   * create once the things it needs exist.
   */
  provides?: HostThing[];
  /**
   * The desired state cannot be reached. `needs`: the missing things it is about (a parent
   * directory, a unit, a user). In check mode the executor reports "would change" instead of
   * failed only when earlier forecast changes on this host provide every one of them.
   */
  failure?: { msg: string; needs?: HostThing[] };
  /**
   * Turns the steps' results into registered data, or a failure (command: rc, stdout, stderr).
   * `unchanged`: the steps found the host already as desired (get_url downloaded the same bytes
   * that were there): the task is ok, not changed, as Ansible reports it when only the step can tell.
   */
  afterApply?(results: ExecResult[]): { data?: Vars; failed?: string; replaced?: ReplacedFile[]; unchanged?: boolean };
  /** A module that always changes when it runs (command, shell) sets this so the executor skips it in check mode. */
  runsArbitraryCommand?: boolean;
  /**
   * With runsArbitraryCommand: the probe already decided that the command would run (its
   * creates/removes were checked), so check mode reports changed instead of skipped, as Ansible does.
   */
  runDecided?: boolean;
}

/** Everything a module may know while planning, all pure reads. */
export interface ModuleContext {
  /** Inventory name of the host. */
  host: string;
  /** Fully merged variables for this host and task (facts included). */
  vars: Vars;
  check: boolean;
  diff: boolean;
  /** Location of the task, for errors. */
  loc: SourceLoc;
  /** Reads a file for `copy: src=`: the role's files/, then beside the playbook. Throws InputError if missing. */
  readFile(path: string): Buffer;
  /**
   * The regular files (links followed) of a controller directory, found as readFile finds a file
   * (the role's files/, then beside the playbook), sorted by name: assemble with remote_src: no.
   * Throws InputError if missing or not a directory.
   */
  readDirectory?(path: string): { dir: string; files: Array<{ name: string; content: Buffer }> };
  /** Renders a template (either dialect) for `template: src=`: the role's templates/, then beside the playbook. */
  renderTemplate(path: string): string;
  /** Evaluates a bare condition expression (the `when` language) against vars; for assert and debug var=. */
  evaluate(expression: string): unknown;
  /** Marks a value secret so every printer masks it (no_log arguments, passwords a module reads). */
  addSecret(value: string): void;
  /** The task's no_log: a custom module is told (_ansible_no_log), as Ansible tells it. */
  noLog?: boolean;
  /** The task notifies a handler: a file it replaces keeps its previous content on the host (see ReplacedFile). */
  keepPrevious?: boolean;
}

export interface ActionOutcome {
  changed: boolean;
  /** Set when the action failed; the message says what did not hold. */
  failed?: string;
  /** Set when the action decided not to run (e.g. check mode), with why. */
  skipped?: string;
  msg?: string;
  data?: Vars;
  /** Host variables (set_fact): kept as data, so a `{{` left in a value is never rendered again. */
  facts?: Vars;
  /** Variables from the controller's own files (include_vars): playbook content, templated when used like vars_files. */
  vars?: Vars;
  diffs?: FileDiff[];
}

/** The run's in-memory inventory, as add_host and group_by change it (for later tasks and plays of the run). */
export interface InventoryEditor {
  /** Adds the host (or updates a known one) into groups with variables; true when anything changed. */
  addHost(host: string, groups: readonly string[], vars: Vars): boolean;
  /** Puts the host into the group, which becomes a child of the parents; true when anything changed. */
  addToGroup(host: string, group: string, parents: readonly string[]): boolean;
}

/** What a controller-side action may use: the host's connection (for tunnels) and other hosts of the play. */
export interface ActionContext extends ModuleContext {
  transport: Transport;
  /** Hosts of the current play batch, in inventory order. */
  playHosts: string[];
  /** Variables of any inventory host (hostvars). */
  hostVars(host: string): Vars;
  /**
   * Drops this host's connection and connects again (connectTimeoutMs: how long one attempt may
   * take); later tasks use the new one. Rejects while the host cannot be reached. For reboot and
   * wait_for_connection.
   */
  reconnect?(opts?: { connectTimeoutMs?: number }): Promise<Transport>;
  /** The kept connection of another host of the run (for tunnels through a web host). */
  connect(host: string): Promise<Transport>;
  /** include_vars: where a vars file or folder is (the role's vars/, the role, vars/ beside the playbook, the playbook's folder). */
  findVars?(path: string): string;
  /** include_vars: loads a vars file as vars_files are loaded (vault files decrypted, values masked). */
  loadVars?(file: string): Vars;
  signal?: AbortSignal;
  /** The task's privilege escalation (become), for actions that run commands on the host themselves (fetch reads with it). */
  become?: BecomeOptions;
  /** How the task reaches its host (address, port, user, key, known_hosts): for tools that open their own connection (synchronize's rsync over ssh). */
  connection?: ConnectionSpec;
  /** The playbook's folder: where a relative controller path (fetch's dest) is taken from, as Ansible's path_dwim. */
  playbookDir?: string;
  /** A controller file or folder named by the task (synchronize's src): the role's files/, then beside the playbook; InputError if nowhere. */
  findFile?(path: string): string;
  /** Prints a warning for this host, as Ansible prints a module's `warnings` ([WARNING]: ...). */
  warn?(msg: string): void;
  /** The run's inventory, for add_host and group_by; absent where the run cannot change it. */
  inventory?: InventoryEditor;
}

interface ModuleBase<A> {
  /** Canonical name; the registry also accepts ansible.builtin.NAME. */
  name: string;
  /** The module's contract (spec.ts): arguments, rules, docs, examples, return values. Spread specFields(spec) to set it. */
  spec?: ModuleSpec;
  /** For free-form modules (command: ls -l): the argument the string becomes (from the spec). */
  freeForm?: string;
  /** Argument names accepted (from the spec); checked at load time so a typo fails before any connection, with did-you-mean. */
  argNames: readonly string[];
  /**
   * Arguments that are expressions (assert's `that`, debug's `var`): passed to parse unrendered, as
   * `when:` is, so text a host printed reaches them as a value and is never evaluated as code.
   */
  expressionArgs?: readonly string[];
  /** Arguments an older Ansible took (from the spec): refused with what to write instead. */
  formerArgs?: Readonly<Record<string, string>>;
  /** Arguments whose values are secrets (passwords, from the spec's noLog): masked in every output, as no_log would. */
  noLogArgs?: readonly string[];
  /** Validates rendered arguments and returns them typed. Throws InputError naming loc. */
  parse(raw: Record<string, unknown>, loc: SourceLoc): A;
}

export interface RemoteModule<A = any> extends ModuleBase<A> {
  kind: 'remote';
  /** The one command that reads the host's current state. */
  /** An empty script: nothing to read on the host; the executor sends nothing and plans from an empty result. */
  probe(args: A, ctx: ModuleContext): RemoteCommand;
  /**
   * false: the probe must run at its task's turn, never read ahead in a batch with earlier tasks'
   * (src/executor/probe-ahead.ts): it reads something that moves on its own (a job's status), reaches
   * beyond the host (a download, a remote repository), or is what later tasks' variables come from (facts).
   */
  probeAhead?: false;
  /** Pure: compares the probe's output with the desired state. */
  plan(args: A, probe: ExecResult, ctx: ModuleContext): Plan;
  /**
   * A loop over this module may be applied in one remote call (ufw's rules): the executor probes
   * once with the first item's probe (so the probe must not depend on the item's arguments), plans
   * every item here, and sends one step for the items that change. See src/executor/loop-batch.ts.
   */
  loopBatch?(items: ReadonlyArray<{ args: A; ctx: ModuleContext }>, probe: ExecResult): BatchPlan;
}

/** A loop's items planned from one probe, and the one command that applies those that change. */
export interface BatchPlan {
  /**
   * One plan per item, in order, each as that item alone would plan after the earlier items were
   * applied (their steps are not run; sideSteps, afterApply and runsArbitraryCommand are not supported).
   */
  plans: Plan[];
  /** The one command applying the listed items (indices into plans, ascending), stopping at the first that fails. */
  step(indices: readonly number[]): Step;
  /** How many of the listed items the step applied, in order; when fewer than all, why the next one failed. */
  applied(result: ExecResult, indices: readonly number[]): { count: number; failed?: string };
}

export interface ActionModule<A = any> extends ModuleBase<A> {
  kind: 'action';
  /** 'run': read-only or controller-only, also runs in check mode. 'skip': skipped in check mode with a reason. */
  checkMode: 'run' | 'skip';
  /** With checkMode 'skip': why, in the user's words, shown as the skip reason. */
  checkModeReason?: string;
  /**
   * The module itself waits for the host to answer (wait_for_connection): a host that cannot be
   * reached when the task starts is not unreachable yet; the module gets a transport that fails and
   * reconnects with ActionContext.reconnect.
   */
  waitsForConnection?: boolean;
  /** Runs once for the whole batch and its result stands for every host, as Ansible's BYPASS_HOST_LOOP (pause, add_host). */
  bypassHostLoop?: boolean;
  /**
   * The action neither reaches a host nor waits for the world (debug, set_fact): probes read ahead
   * for later tasks stay valid across it. Any other action may change a host, so they are read again.
   */
  touchesNoHost?: true;
  run(args: A, ctx: ActionContext): Promise<ActionOutcome>;
}

export type Module = RemoteModule | ActionModule;
