// --step: asks before each task whether to run it, as Ansible does: (N)o, (y)es, (c)ontinue without asking.
import type { Readable, Writable } from 'node:stream';
import { nextLine } from './prompt.js';

/** The executor's hook for --step: resolves true to run the task, false to pass over it. */
export type StepPrompt = (taskTitle: string) => Promise<boolean>;

export function createStepPrompt(input: Readable = process.stdin, output: Writable = process.stderr): StepPrompt {
  let continuing = false;
  return async (title) => {
    if (continuing) return true;
    output.write(`Perform task: ${title} (N)o/(y)es/(c)ontinue: `);
    const line = await nextLine(input);
    // End of input answers no: nobody confirmed the task, so it does not run (and nothing waits forever).
    const answer = line === undefined ? 'n' : line.trim().toLowerCase();
    output.write('\n');
    if (answer === 'c' || answer === 'continue') continuing = true;
    return continuing || answer === 'y' || answer === 'yes';
  };
}
