// set_fact: sets host variables for the rest of the run, from any keys (`argNames: ['*']`).
import { ArgReader } from '../lib/args.js';
import { tokenize } from '../lib/shlex.js';
import type { ActionModule } from '../types.js';

export type SetFactArgs = Record<string, unknown>;

const varName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFactModule: ActionModule<SetFactArgs> = {
  kind: 'action',
  name: 'set_fact',
  checkMode: 'run',
  // Free form `set_fact: a=1 b=two` as in Ansible.
  freeForm: '_raw_params',
  /** '*' means any key: every key is a fact name (checked in parse). */
  argNames: ['*'],
  parse(raw, loc) {
    const args = new ArgReader('set_fact', {}, loc);
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
