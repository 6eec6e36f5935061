// A fake host and module whose command prints as it goes, for tests of the "alive" events.
import type { RemoteModule } from '../../../src/modules/types.js';
import type { ExecOptions, ExecResult } from '../../../src/transport/types.js';
import { FakeHost } from './harness.js';

/** A host whose `chatty` command prints five chunks, as apt does while it installs. */
export class ChattyHost extends FakeHost {
  override async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (script !== 'chatty') return super.exec(script, options);
    for (let i = 0; i < 5; i++) options.onOutput?.(`line ${i}\n`, 'stdout');
    return { stdout: 'line 0\n', stderr: '', code: 0 };
  }
}

/** Always changes by running `chatty`. */
export const chattyModule: RemoteModule<Record<string, never>> = {
  kind: 'remote',
  name: 'chatty',
  argNames: [],
  parse: () => ({}),
  probe: () => ({ script: 'get nothing' }),
  plan: () => ({ changes: ['talk'], steps: [{ script: 'chatty' }] }),
};
