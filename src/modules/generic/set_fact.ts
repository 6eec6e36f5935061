// set_fact: sets host variables for the rest of the run, from any keys (the spec's anyArgs).
import { tokenize } from '../lib/shlex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const setFactSpec = defineSpec({
  description: 'Sets host variables for the rest of the run: each key is a variable name. cacheable is accepted and ignored.',
  anyArgs: true,
  args: {
    // No fact cache in runbook.
    cacheable: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: runbook keeps no fact cache.' },
  },
  // Free form `set_fact: a=1 b=two` as in Ansible.
  freeForm: { arg: '_raw_params', description: 'name=value words, each setting one variable.' },
  examples: `- name: Pick the listen address
  set_fact:
    app_listen: "{{ansible_default_ipv4.address}}:8080"`,
});

export type SetFactArgs = Record<string, unknown>;

const varName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFactModule: ActionModule<SetFactArgs> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'set_fact',
  checkMode: 'run',
  ...specFields(setFactSpec),
  parse(raw, loc) {
    // Every other key is a fact name, checked below.
    const args = parseSpec('set_fact', setFactSpec, { cacheable: raw.cacheable }, loc).reader;
    const facts: SetFactArgs = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'cacheable') continue; // no fact cache in runbook
      if (key === '_raw_params' && typeof value === 'string') {
        for (const t of tokenize(value)) {
          const eq = t.value.indexOf('=');
          if (eq <= 0) throw args.error(`'${t.value}' is not key=value`, 'write set_fact: name=value, or a mapping');
          facts[t.value.slice(0, eq)] = t.value.slice(eq + 1);
        }
        continue;
      }
      facts[key] = value;
    }
    for (const key of Object.keys(facts)) {
      if (!varName.test(key)) throw args.error(`'${key}' is not a valid variable name`, 'use letters, digits and _ and do not start with a digit');
    }
    if (Object.keys(facts).length === 0) throw args.error('no facts given');
    return facts;
  },
  async run(rendered) {
    // The values were rendered when this task ran; the executor keeps them as data (fromHost), so a
    // `{{` left in them is never rendered again.
    return { changed: false, facts: rendered, data: { ansible_facts: rendered } };
  },
};
