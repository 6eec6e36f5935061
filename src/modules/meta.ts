// `meta:` is not a module but a word to the executor (flush_handlers, noop); registered so the
// loader knows it and rejects unknown meta actions before anything runs.
import { InputError } from '../core/errors.js';
import { parseSpec } from './lib/spec-parse.js';
import { defineSpec, specFields } from './spec.js';
import type { ActionModule } from './types.js';

const actions = ['flush_handlers', 'noop', 'refresh_inventory'] as const;

export const metaSpec = defineSpec({
  description: 'A word to the executor rather than a module: flush_handlers runs the notified handlers now.',
  args: {
    action: { type: 'str', choices: actions, description: 'flush_handlers: run the notified handlers now; noop: nothing; refresh_inventory: accepted, nothing to refresh.' },
  },
  freeForm: { arg: 'action', description: 'The meta action.', schema: { enum: [...actions] } },
  examples: `- name: Restart what was notified before going on
  meta: flush_handlers`,
});

export const metaModule: ActionModule<{ action: string }> = {
  kind: 'action',
  name: 'meta',
  ...specFields(metaSpec),
  checkMode: 'run',
  parse(raw, loc) {
    const action = String(raw.action ?? '').trim();
    // Its own message: what a user mistyped here is a meta action, not an argument value.
    if (!(actions as readonly string[]).includes(action)) {
      throw new InputError(`meta: unknown action '${action}'`, loc, `runbook supports: ${actions.join(', ')}`);
    }
    return { action: parseSpec('meta', metaSpec, { action }, loc).args.action! };
  },
  async run() {
    // The play runner handles meta tasks itself; reaching here means nothing to do.
    return { changed: false };
  },
};
