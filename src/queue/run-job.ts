// One job on a worker: the bundle as a folder, the playbook and inventory loaded from it, the
// hosts' state from Redis, then the same PlayRunner a local run uses, its events masked exactly as
// --json masks them and appended to the run's stream. The executor does not know it is in a queue.
import { Writable } from 'node:stream';
import { setMaxListeners } from 'node:events';
import { dirname, join } from 'node:path';
import { InterruptedError } from '../core/errors.js';
import type { RunEvent } from '../executor/events.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import { PlayRunner } from '../executor/run-play.js';
import { loadInventory } from '../inventory/load.js';
import { loadPlaybook } from '../playbook/load.js';
import { SecretSet } from '../secrets/mask.js';
import { Vault } from '../vault/vault.js';
import type { PasswordSource } from '../vault/password.js';
import { buildContext } from '../cli/wiring.js';
import { parseExtraVars } from '../cli/extra-vars.js';
import { materializeBundle } from './bundle.js';
import { restoreHost, snapshotOf } from './host-snapshot.js';
import type { HostOutcome, JobData, JobDone, JobStart, JobResult } from './job.js';
import type { QueueStore } from './store.js';

export interface WorkerSetup {
  name: string;
  cacheDir: string;
  /** The worker's own vault password (its environment or file), if it has one. */
  vaultPassword?: PasswordSource;
  /** The worker's own SSH defaults: keys never travel with a run. */
  privateKeyFile?: string;
  knownHostsFile?: string;
}

/** Events the submitter spells itself (it knows every batch); a worker sees only its chunk. */
const SUBMITTER_EVENTS = new Set<RunEvent['type']>(['play_start', 'batch_start']);

export async function runJob(store: QueueStore, setup: WorkerSetup, data: JobData, signal: AbortSignal): Promise<JobResult> {
  const root = await materializeBundle(store, data.bundleId, setup.cacheDir);
  const inBundle = (p: string): string => join(root, p);
  const secrets = new SecretSet();
  // What other workers of this run learnt is secret (no_log results of earlier plays) is masked here too.
  for (const s of await store.secrets(data.runId)) secrets.add(s);
  const vault = new Vault({ ...(setup.vaultPassword !== undefined ? { password: setup.vaultPassword } : {}), secrets });
  const playbookFile = inBundle(data.playbook);
  const playbook = loadPlaybook(playbookFile, { rolesPath: data.rolesPath.map(inBundle), vault });
  const inventory = loadInventory(inBundle(data.inventory), { playbookDir: dirname(playbookFile), vault });
  const o = data.options;
  const options: RunOptions = {
    ...defaultRunOptions(),
    check: o.check, diff: o.diff, collectDiffs: o.collectDiffs, forks: o.forks, tags: o.tags, skipTags: o.skipTags, verbose: o.verbose,
    extraVars: parseExtraVars(data.extraVars.map((e) => (e.trim().startsWith('@') ? `@${inBundle(e.trim().slice(1))}` : e)), root, vault),
    // A job re-run after a lost worker waits for that worker's lock to drop rather than failing the host.
    hostLock: 'wait',
    signal,
    connection: {
      user: o.user, become: o.become, becomeUser: o.becomeUser,
      ...(o.becomeMethod ? { becomeMethod: o.becomeMethod } : {}), ...(o.becomeFlags !== undefined ? { becomeFlags: o.becomeFlags } : {}),
      hostKeyChecking: o.hostKeyChecking, timeoutMs: o.timeoutMs,
      privateKeyFile: setup.privateKeyFile, knownHostsFile: setup.knownHostsFile,
    },
    ...(o.forceHandlers ? { forceHandlers: true } : {}),
    ...(o.startAtTask ? { startAtTask: o.startAtTask } : {}),
  };

  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      // Paths inside the bundle are shown as the submitter wrote them (file:line:col of its files).
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line.split(JSON.stringify(root).slice(1, -1)).join(''));
      done();
    },
  });
  const ctx = buildContext({ options, inventory, playbook, json: true, out, secrets, vault });
  const emit = ctx.emit;
  ctx.emit = (event) => {
    if (SUBMITTER_EVENTS.has(event.type)) return;
    emit(event.type === 'host_result' ? { ...event, worker: setup.name } : event);
  };
  const flush = async (): Promise<void> => {
    const batch = lines.splice(0);
    await store.appendEvents(data.runId, batch);
  };
  // Before any of its events: the follower drops what an earlier attempt of this job printed.
  const start: JobStart = { playIndex: data.playIndex, worker: setup.name, hosts: data.hosts };
  await store.appendEvents(data.runId, [JSON.stringify(start)], 'j');
  const ticker = setInterval(() => void flush().catch(() => {}), 200);

  const saved = await store.loadStates(data.runId);
  const play = playbook.plays[data.playIndex]!;
  for (const h of new Set([...inventory.hosts, ...inventory.match(play.hosts), ...data.hosts])) ctx.states.set(h, restoreHost(h, saved[h]));
  // The submitter splits batches and judges max_fail_percentage over the whole batch; any_errors_fatal still stops this chunk at once.
  const chunkPlay = { ...play, serial: [], maxFailPercentage: undefined };
  let aborted: string | undefined;
  let interrupted = false;
  try {
    const r = await new PlayRunner(ctx, chunkPlay).run(data.hosts);
    aborted = r.aborted?.reason;
  } catch (err) {
    if (!(err instanceof InterruptedError) && !signal.aborted) {
      emit({ type: 'run_error', msg: err instanceof Error ? err.message : String(err) });
      await flush().catch(() => {});
      throw err;
    }
    interrupted = true;
  } finally {
    clearInterval(ticker);
    await ctx.connections.closeAll();
  }
  const hosts: Record<string, HostOutcome> = {};
  const states: Record<string, string> = {};
  for (const h of data.hosts) {
    const st = ctx.states.get(h)!;
    hosts[h] = { counters: st.counters, failed: st.failed, unreachable: st.unreachable, ...(st.stoppedAt ? { stoppedAt: st.stoppedAt } : {}) };
    states[h] = snapshotOf(st);
  }
  await store.saveStates(data.runId, states);
  await store.addSecrets(data.runId, secrets.list());
  await flush();
  // After the job's last event: these hosts are through this play (a cut-short job says nothing, so its hosts are resumed).
  if (!interrupted) {
    const done: JobDone = { playIndex: data.playIndex, worker: setup.name, hosts };
    await store.appendEvents(data.runId, [secrets.mask(JSON.stringify(secrets.maskDeep(done)))], 'd');
  }
  return { worker: setup.name, hosts, ...(aborted ? { aborted } : {}), ...(interrupted ? { interrupted } : {}) };
}

/** An AbortSignal many commands listen to at once: not a leak. */
export function runSignal(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}
