// reboot and wait_for_connection: the host restarts (or comes up), and the run waits until it answers
// again over a new connection, as Ansible's reboot and wait_for_connection actions do. A reboot is
// proven by the kernel's boot_id changing, not by the connection dropping.
import { setTimeout as sleep } from 'node:timers/promises';
import { shQuote } from '../../core/shell.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';
import type { BecomeOptions, Transport } from '../../transport/types.js';

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';

export const rebootSpec = defineSpec({
  description: 'Reboots the host and waits until it is back: a new boot (its boot_id changed) that answers over SSH and passes test_command.',
  args: {
    reboot_timeout: { type: 'int', default: 600, min: 1, description: 'Seconds to wait for the host to come back and pass test_command.' },
    connect_timeout: { type: 'int', min: 1, description: "Seconds one connection attempt may take; unset: the connection's own timeout." },
    pre_reboot_delay: { type: 'int', default: 0, description: 'Seconds the host waits before rebooting (Ansible rounds this down to minutes for shutdown; runbook waits the seconds).' },
    post_reboot_delay: { type: 'int', default: 0, description: 'Seconds to wait after the host is back, before the next task (services still starting).' },
    test_command: { type: 'str', default: 'whoami', description: 'A command that must succeed on the host once it is back.' },
    msg: { type: 'str', default: 'Reboot initiated by Ansible', description: 'The message shutdown broadcasts to logged-in users.' },
    reboot_command: { type: 'str', description: "The command that reboots; unset: shutdown -r now with msg. It runs detached, so the task's connection closing with it is expected." },
    boot_time_command: { type: 'str', default: BOOT_ID, description: 'A command whose output changes with each boot.' },
    search_paths: { type: 'list', ignored: true, description: 'Accepted for Ansible playbooks and ignored: shutdown is found through PATH.' },
  },
  examples: `- name: Reboot for the new kernel
  reboot:
    reboot_timeout: 300
    msg: kernel update

- name: Back, and the application answers
  reboot:
    test_command: systemctl is-active app`,
  returns: { rebooted: 'Whether the host rebooted.', elapsed: 'Seconds from the reboot command until the host passed test_command.' },
  checkMode: 'Reports changed (rebooted) without rebooting, as Ansible does.',
});

export type RebootArgs = ArgsOf<typeof rebootSpec>;

export const waitForConnectionSpec = defineSpec({
  description: 'Waits until the host answers over its connection (a fresh one while it does not), up to timeout seconds: after a reboot, or for a machine still booting.',
  args: {
    timeout: { type: 'int', default: 600, description: 'Seconds to wait.' },
    delay: { type: 'int', default: 0, description: 'Seconds to wait before the first try.' },
    sleep: { type: 'int', default: 1, min: 1, description: 'Seconds between tries.' },
    connect_timeout: { type: 'int', default: 5, min: 1, description: 'Seconds one try may take.' },
  },
  examples: `- name: The new machine is up
  wait_for_connection:
    timeout: 300
    delay: 5`,
  returns: { elapsed: 'Seconds waited.' },
  checkMode: 'Runs: it only reads.',
});

export type WaitForConnectionArgs = ArgsOf<typeof waitForConnectionSpec>;

/** Runs `script` on the transport, true when it exits 0; false on an error or a dropped connection. */
async function answers(t: Transport, script: string, signal?: AbortSignal, become?: BecomeOptions): Promise<{ ok: boolean; stdout: string }> {
  try {
    const r = await t.exec(script, { signal, ...(become ? { become } : {}) });
    return { ok: r.code === 0, stdout: r.stdout };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, stdout: '' };
  }
}

/**
 * Tries, every `sleep` seconds until `deadline`, to reach the host on a fresh connection and have
 * `ready(transport)` hold. Returns the transport that did, or the last reason it did not.
 */
async function waitUntil(ctx: ActionContext, deadline: number, pause: number, connectTimeoutMs: number | undefined, ready: (t: Transport) => Promise<string | undefined>): Promise<{ ok: true } | { ok: false; why: string }> {
  let why = 'the host did not answer';
  for (;;) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    try {
      const t = await ctx.reconnect!(connectTimeoutMs ? { connectTimeoutMs } : {});
      const not = await ready(t);
      if (not === undefined) return { ok: true };
      why = not;
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      why = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() + pause * 1000 > deadline) return { ok: false, why };
    await sleep(pause * 1000, undefined, { signal: ctx.signal });
  }
}

export const rebootModule: ActionModule<RebootArgs> = {
  kind: 'action',
  name: 'reboot',
  checkMode: 'run',
  ...specFields(rebootSpec),
  parse(raw, loc) {
    const { args, reader } = parseSpec('reboot', rebootSpec, raw, loc);
    if (args.test_command.trim() === '') throw reader.error('test_command is empty');
    return args;
  },
  async run(a, ctx): Promise<ActionOutcome> {
    if (ctx.check) return { changed: true, msg: 'check mode: the host would reboot', data: { rebooted: true, elapsed: 0 } };
    if (!ctx.reconnect) return { changed: false, failed: 'reboot needs a connection it can open again (not available here)' };
    const before = await answers(ctx.transport, a.boot_time_command, ctx.signal);
    if (!before.ok || before.stdout.trim() === '') return { changed: false, failed: `cannot read the boot id before rebooting (${a.boot_time_command})` };
    const reboot = a.reboot_command ?? `shutdown -r now ${shQuote(a.msg)}`;
    // Detached and delayed a moment, so this command returns before sshd goes away with the system.
    const started = Date.now();
    const launch = await answers(ctx.transport, `setsid sh -c ${shQuote(`sleep ${a.pre_reboot_delay + 1}; ${reboot}`)} </dev/null >/dev/null 2>&1 &`, ctx.signal, ctx.become);
    if (!launch.ok) return { changed: false, failed: 'could not start the reboot command' };
    await sleep(Math.min(2000, a.reboot_timeout * 1000), undefined, { signal: ctx.signal });
    const deadline = started + a.reboot_timeout * 1000;
    const back = await waitUntil(ctx, deadline, 1, a.connect_timeout ? a.connect_timeout * 1000 : undefined, async (t) => {
      const now = await answers(t, a.boot_time_command, ctx.signal);
      if (!now.ok) return 'the host answers but cannot read its boot id';
      if (now.stdout.trim() === before.stdout.trim()) return 'the host has not rebooted yet';
      const test = await answers(t, a.test_command, ctx.signal, ctx.become);
      return test.ok ? undefined : `test_command '${a.test_command}' failed after the reboot`;
    });
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (!back.ok) return { changed: true, failed: `the host did not come back within reboot_timeout (${a.reboot_timeout} s): ${back.why}`, data: { rebooted: false, elapsed } };
    if (a.post_reboot_delay > 0) await sleep(a.post_reboot_delay * 1000, undefined, { signal: ctx.signal });
    return { changed: true, data: { rebooted: true, elapsed } };
  },
};

export const waitForConnectionModule: ActionModule<WaitForConnectionArgs> = {
  kind: 'action',
  name: 'wait_for_connection',
  checkMode: 'run',
  waitsForConnection: true,
  ...specFields(waitForConnectionSpec),
  parse(raw, loc) {
    return parseSpec('wait_for_connection', waitForConnectionSpec, raw, loc).args;
  },
  async run(a, ctx): Promise<ActionOutcome> {
    const started = Date.now();
    if (a.delay > 0) await sleep(a.delay * 1000, undefined, { signal: ctx.signal });
    const elapsed = (): number => Math.round((Date.now() - started) / 1000);
    // The connection the task started with, when it works, is the cheapest answer.
    if ((await answers(ctx.transport, 'true', ctx.signal)).ok) return { changed: false, data: { elapsed: elapsed() } };
    if (!ctx.reconnect) return { changed: false, failed: 'the host does not answer, and its connection cannot be opened again here' };
    const back = await waitUntil(ctx, started + a.timeout * 1000, a.sleep, a.connect_timeout * 1000, async (t) => ((await answers(t, 'true', ctx.signal)).ok ? undefined : 'the host does not run commands'));
    if (!back.ok) return { changed: false, failed: `timed out waiting for connection after ${a.timeout} s: ${back.why}`, data: { elapsed: elapsed() } };
    return { changed: false, data: { elapsed: elapsed() } };
  },
};
