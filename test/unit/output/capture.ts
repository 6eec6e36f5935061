// A writable stream that keeps what the printers write, for assertions on exact output.
import { Writable } from 'node:stream';

export class Capture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}
