// `runbook lab up|down|status`: throwaway hosts for trying playbooks, like Molecule for Ansible.
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { labCommand } from '../lab/lab.js';

export async function labCliCommand(action: string, count: string | undefined, dir: string): Promise<number> {
  if (action !== 'up' && action !== 'down' && action !== 'status') {
    throw new InputError(`unknown lab action '${action}'`, undefined, 'use: runbook lab up [N] | runbook lab down | runbook lab status');
  }
  const n = count === undefined ? undefined : Number(count);
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new InputError(`lab up: '${count}' is not a number of web hosts`, undefined, 'example: runbook lab up 4');
  return (await labCommand({ action, count: n, dir: resolve(process.cwd(), dir) })) ?? 0;
}
