// `runbook lab up|down|status`: throwaway hosts for trying playbooks, like Molecule for Ansible.
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { labCommand } from '../lab/lab.js';

export type LabCliOptions = { dir: string; light?: boolean; hosts?: string; subnet?: string };

export async function labCliCommand(action: string, count: string | undefined, opts: LabCliOptions): Promise<number> {
  if (action !== 'up' && action !== 'down' && action !== 'status') {
    throw new InputError(`unknown lab action '${action}'`, undefined, 'use: runbook lab up [N] | runbook lab down | runbook lab status');
  }
  if (opts.hosts !== undefined && !opts.light) {
    throw new InputError('lab up: --hosts is for a light lab', undefined, 'use `runbook lab up --light --hosts 100`, or `runbook lab up 4` for 4 web hosts');
  }
  const given = opts.light ? (opts.hosts ?? count) : count;
  const n = given === undefined ? undefined : Number(given);
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
    throw new InputError(`lab up: '${given}' is not a number of hosts`, undefined, opts.light ? 'example: runbook lab up --light --hosts 100' : 'example: runbook lab up 4');
  }
  const extra = { ...(opts.light ? { light: true } : {}), ...(opts.subnet ? { subnet: opts.subnet } : {}) };
  return (await labCommand({ action, count: n, dir: resolve(process.cwd(), opts.dir), ...extra })) ?? 0;
}
