// pause: waits a number of seconds or minutes, or asks the person at the terminal; once for the
// whole batch, as Ansible's pause (which bypasses the host loop).
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const pauseSpec = defineSpec({
  description:
    'Waits a number of seconds or minutes, or asks a question at the terminal and registers the answer. Runs once for all the hosts of the batch. Where Ansible, with no terminal, carries on without waiting, runbook fails the task, naming -e and seconds: as what to use instead.',
  args: {
    seconds: { type: 'int', min: 0, description: 'Wait this many seconds.' },
    minutes: { type: 'int', min: 0, description: 'Wait this many minutes.' },
    prompt: { type: 'str', description: 'The question (or message) to show; without seconds/minutes the answer is read from the terminal.' },
    echo: { type: 'bool', default: true, description: 'Show what is typed (no: for a secret, which is then masked in every output).' },
  },
  mutuallyExclusive: [['seconds', 'minutes']],
  examples: `- name: Let the cluster settle
  pause:
    seconds: 30

- name: Ask before the destructive step
  pause:
    prompt: Type yes to wipe the old release
  register: confirm`,
  returns: { user_input: 'What was typed (prompt without seconds/minutes).', start: 'When the pause began.', stop: 'When it ended.', delta: 'Seconds it lasted.', echo: 'The echo argument.' },
  checkMode: 'Runs in check mode too, as in Ansible.',
});

export interface PauseArgs {
  /** Milliseconds to wait; undefined: wait for the answer at the terminal. */
  waitMs?: number;
  prompt?: string;
  echo: boolean;
}

export function parsePauseArgs(raw: Record<string, unknown>, loc: Parameters<typeof parseSpec>[3]): PauseArgs {
  const { args } = parseSpec('pause', pauseSpec, raw, loc);
  const waitMs = args.seconds !== undefined ? args.seconds * 1000 : args.minutes !== undefined ? args.minutes * 60_000 : undefined;
  return { waitMs, prompt: args.prompt, echo: args.echo };
}

/** Reads one line from the terminal; with echo off, what is typed is not shown. */
export async function askTerminal(question: string, echo: boolean, signal?: AbortSignal): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = new Promise<string>((resolve) => rl.question(`${question}:\n`, resolve));
    muted = !echo;
    const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('interrupted')), { once: true }));
    return await Promise.race([answer, aborted]);
  } finally {
    rl.close();
    if (!echo) process.stdout.write('\n');
  }
}

export const pauseModule: ActionModule<PauseArgs> = {
  kind: 'action',
  name: 'pause',
  checkMode: 'run',
  bypassHostLoop: true,
  ...specFields(pauseSpec),
  parse: (raw, loc) => parsePauseArgs(raw, loc),
  async run(a, ctx) {
    const start = new Date();
    const done = (extra: Record<string, unknown>) => {
      const stop = new Date();
      return { changed: false, data: { start: start.toISOString(), stop: stop.toISOString(), delta: Math.round((stop.getTime() - start.getTime()) / 1000), echo: a.echo, ...extra } };
    };
    if (a.waitMs !== undefined) {
      await sleep(a.waitMs, undefined, { signal: ctx.signal });
      return { ...done({ user_input: '' }), msg: `Paused for ${a.waitMs / 1000} seconds` };
    }
    if (!process.stdin.isTTY) {
      return {
        changed: false,
        failed: `pause: '${a.prompt ?? 'Press enter to continue'}' needs an answer at a terminal, and this run has none (standard input is not a terminal): pass the value with -e and drop the pause, or give seconds: to wait without asking`,
      };
    }
    const answer = await askTerminal(a.prompt ?? 'Press enter to continue, Ctrl+C to interrupt', a.echo, ctx.signal);
    if (!a.echo && answer !== '') ctx.addSecret(answer);
    return done({ user_input: answer });
  },
};
