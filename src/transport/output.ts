// Collects a command's stdout/stderr as bytes and streams decoded text, so UTF-8 split across chunks stays intact.
import { StringDecoder } from 'node:string_decoder';
import { InterruptedError } from '../core/errors.js';
import type { ExecOptions, ExecResult } from './types.js';

export class OutputCollector {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(private readonly onOutput?: ExecOptions['onOutput']) {}

  push(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.chunks[stream].push(buf);
    if (this.onOutput) {
      const text = this.decoders[stream].write(buf);
      if (text) this.onOutput(text, stream);
    }
  }

  result(code: number | null): ExecResult {
    if (this.onOutput) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const tail = this.decoders[stream].end();
        if (tail) this.onOutput(tail, stream);
      }
    }
    return {
      stdout: Buffer.concat(this.chunks.stdout).toString('utf8'),
      stderr: Buffer.concat(this.chunks.stderr).toString('utf8'),
      code,
    };
  }
}

/** The error an aborted exec rejects with: the signal's own reason when it is an Error. */
export function abortError(signal: AbortSignal, host: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason;
  return new InterruptedError(`command on ${host} was interrupted`);
}
