// Asks for a password on the terminal without echoing it (-k, -K); from a pipe it reads one line, so scripts can feed it.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { InterruptedError } from '../core/errors.js';

type Input = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Lines of a piped stdin, shared by successive prompts (-k then -K read two lines). */
const pipedLines = new WeakMap<Readable, AsyncIterator<string>>();
/** Open line readers; a reader left open on stdin would keep the process alive after the run. */
const readers = new Set<Interface>();

export async function promptSecret(question: string, input: Input = process.stdin, output: Writable = process.stderr): Promise<string> {
  output.write(question);
  if (input.isTTY && input.setRawMode) return readRaw(input, output);
  const line = await nextLine(input);
  output.write('\n');
  return line ?? '';
}

/** Asks a question whose answer may be seen (vars_prompt with private: no). */
export async function promptLine(question: string, input: Readable = process.stdin, output: Writable = process.stderr): Promise<string> {
  output.write(question);
  return (await nextLine(input)) ?? '';
}

/** The next line of `input` (undefined at its end); every reader of one stream shares its lines (-k, -K, --step). */
export async function nextLine(input: Readable): Promise<string | undefined> {
  let lines = pipedLines.get(input);
  if (!lines) {
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    readers.add(rl);
    lines = rl[Symbol.asyncIterator]();
    pipedLines.set(input, lines);
  }
  const next = await lines.next();
  return next.done ? undefined : next.value;
}

/** Raw mode: we see each key, echo nothing, and handle Enter, Backspace, Ctrl-C and Ctrl-D ourselves. */
function readRaw(input: Input, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new InterruptedError('interrupted at the password prompt'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    input.setRawMode!(true);
    input.resume();
    input.on('data', onData);
  });
}

/** Stops reading stdin once the command no longer asks anything (end of the run). */
export function closeLineReaders(): void {
  for (const rl of readers) rl.close();
  readers.clear();
}
