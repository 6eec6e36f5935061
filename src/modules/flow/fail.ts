// fail: stops the host with a message, as Ansible's fail does (usually under a `when:`).
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const failSpec = defineSpec({
  description: 'Fails the task (and so stops the host) with a message; usually guarded by when:.',
  args: {
    msg: { type: 'raw', default: 'Failed as requested from task', description: 'Why the host stops (any value; a non-text value is shown as JSON).' },
  },
  examples: `- name: Refuse an unsupported release
  fail:
    msg: "{{ ansible_distribution_release }} is not supported"
  when: ansible_distribution_release not in ['bookworm', 'bullseye']`,
  checkMode: 'Runs in check mode too, as in Ansible.',
});

export const failModule: ActionModule<{ msg: string }> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'fail',
  checkMode: 'run',
  ...specFields(failSpec),
  parse(raw, loc) {
    const { args } = parseSpec('fail', failSpec, raw, loc);
    const msg = args.msg;
    return { msg: typeof msg === 'string' ? msg : JSON.stringify(msg) };
  },
  async run(a) {
    return { changed: false, failed: a.msg, data: { msg: a.msg } };
  },
};
