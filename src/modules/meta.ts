// `meta:` is not a module but a word to the executor (flush_handlers, noop); registered so the
// loader knows it and rejects unknown meta actions before anything runs.
import { InputError } from '../core/errors.js';
import type { ActionModule } from './types.js';

const actions = ['flush_handlers', 'noop', 'refresh_inventory'] as const;

export const metaModule: ActionModule<{ action: string }> = {
  kind: 'action',
  name: 'meta',
  freeForm: 'action',
  argNames: ['action'],
  checkMode: 'run',
  parse(raw, loc) {
    const action = String(raw.action ?? '').trim();
    if (!(actions as readonly string[]).includes(action)) {
      throw new InputError(`meta: unknown action '${action}'`, loc, `runbook supports: ${actions.join(', ')}`);
    }
    return { action };
  },
  async run() {
    // The play runner handles meta tasks itself; reaching here means nothing to do.
    return { changed: false };
  },
};
