// Parses -e values the way ansible-playbook does: key=value pairs, inline YAML/JSON, or @file.
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import { parseYaml } from '../yaml/load.js';
import type { Vault } from '../vault/vault.js';

/** key=value pairs, split on spaces outside quotes; values stay strings, as in Ansible. */
function parsePairs(text: string): Vars {
  const out: Vars = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("([^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  if (Object.keys(out).length === 0) {
    throw new InputError(`-e '${text.length > 40 ? text.slice(0, 40) + '...' : text}' is not key=value, YAML/JSON, or @file`, undefined, 'write -e key=value, -e \'{"key": 1}\' or -e @vars.yml');
  }
  return out;
}

export function parseExtraVars(values: string[], cwd: string, vault?: Vault): Vars {
  const out: Vars = {};
  for (const raw of values) {
    const text = raw.trim();
    if (text.startsWith('@')) Object.assign(out, loadVarsFile(resolve(cwd, text.slice(1)), undefined, vault));
    else if (text.startsWith('{') || text.startsWith('---')) {
      const v = parseYaml(text, '<-e>');
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`-e '${text}' must be a mapping`);
      Object.assign(out, v);
    } else Object.assign(out, parsePairs(text));
  }
  return out;
}
