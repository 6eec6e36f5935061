// --json: one event per line for machines. Values are masked before serialising and the line again
// after, so a secret is caught whether it sits raw in a value or JSON-escaped in the line.
import type { EventSink, RunEvent } from '../executor/events.js';
import type { SecretSet } from '../secrets/mask.js';

export interface JsonPrinterOptions {
  out: NodeJS.WritableStream;
  secrets: SecretSet;
}

export function createJsonPrinter(opts: JsonPrinterOptions): EventSink {
  return (event: RunEvent) => {
    const line = JSON.stringify(opts.secrets.maskDeep(event));
    opts.out.write(`${opts.secrets.mask(line)}\n`);
  };
}
