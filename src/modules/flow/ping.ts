// ping: proves the host runs commands (the connection, and sudo under become), as Ansible's ping
// proves Python runs; one round trip that changes nothing.
import { pyStr } from '../../expr/values.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const pingSpec = defineSpec({
  description: 'Checks that the host can be reached and runs commands (with become: that sudo works); returns pong. Runbook needs no Python on the host, so it runs a shell command where Ansible runs Python.',
  args: {
    data: {
      type: 'str',
      default: 'pong',
      description: "What to return as ping; crash makes the task fail, as in Ansible. A mapping or a list becomes its Python text ({'moo': 'cow'}), as Ansible's str arguments convert it.",
      schema: { type: ['string', 'number', 'boolean', 'object', 'array', 'null'] },
    },
  },
  examples: `- name: Every host answers
  ping:`,
  returns: { ping: 'The data argument (pong).' },
  checkMode: 'Runs in check mode too (it changes nothing).',
});

export const pingModule: RemoteModule<{ data: string }> = {
  kind: 'remote',
  name: 'ping',
  ...specFields(pingSpec),
  // ansible-examples passes data a mapping: Ansible's validator turns a non-string into str(value) for a str argument.
  parse: (raw, loc) => ({ data: parseSpec('ping', pingSpec, { ...raw, ...(raw.data !== null && typeof raw.data === 'object' ? { data: pyStr(raw.data) } : {}) }, loc).args.data }),
  probe: () => ({ script: 'echo pong' }),
  plan(a, probe) {
    if (probe.code !== 0 || probe.stdout.trim() !== 'pong') {
      return { changes: [], steps: [], failure: { msg: `the host did not answer pong (exit ${probe.code}): ${(probe.stderr || probe.stdout).trim()}` } };
    }
    if (a.data === 'crash') return { changes: [], steps: [], failure: { msg: 'boom (ping: data=crash fails on purpose, as in Ansible)' } };
    return { changes: [], steps: [], data: { ping: a.data } };
  },
};
