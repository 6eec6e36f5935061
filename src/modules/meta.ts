// `meta:` is not a module but a word to the executor (flush_handlers, noop); registered so the
// loader knows it and rejects unknown meta actions before anything runs.
import { InputError } from '../core/errors.js';
import { parseSpec } from './lib/spec-parse.js';
import { defineSpec, specFields } from './spec.js';
import type { ActionModule } from './types.js';

const actions = ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'noop', 'refresh_inventory', 'reset_connection'] as const;

export const metaSpec = defineSpec({
  description:
    "A word to the executor rather than a module, as Ansible's meta: run the notified handlers now, end the play (or the batch, or one host's play) without failing, forget gathered facts, let failed hosts go on, or reconnect. end_host, noop and reset_connection apply per host; the others once for the batch, with when: evaluated on its first host, as in Ansible's linear strategy.",
  args: {
    action: {
      type: 'str',
      choices: actions,
      description:
        "flush_handlers: run the notified handlers now; end_play: the play ends for every host (no later batch, no handlers), none fails, the next play runs; end_batch: the same for the current serial batch only; end_host: the play ends for this host, which is back for the next play; clear_facts: forget the gathered facts of the play's hosts (set_fact values stay); clear_host_errors: hosts that failed in this batch run the later tasks (the recap still counts their failures); noop: nothing; refresh_inventory: accepted, nothing to refresh (the inventory is read once; add_host and group_by change it in memory); reset_connection: close the host's connection, the next task connects again.",
    },
  },
  freeForm: { arg: 'action', description: 'The meta action.', schema: { enum: [...actions] } },
  examples: `- name: Restart what was notified before going on
  meta: flush_handlers

- name: Nothing more to do on hosts that are already migrated
  meta: end_host
  when: migrated.stat.exists`,
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
