// `runbook roles install -r requirements.yml`: ansible-galaxy's role install from git, tarballs
// and folders, pinned and idempotent (docs/cli.md, docs/porting.md).
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import { installRoles } from '../galaxy/install.js';
import { loadRequirements } from '../galaxy/requirements.js';

export interface RolesOptions {
  roleFile?: string;
  rolesPath?: string;
  force?: boolean;
}

export async function rolesCommand(action: string, opts: RolesOptions, cwd = process.cwd(), out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  if (action !== 'install') throw new InputError(`unknown roles action '${action}'`, undefined, 'runbook roles install -r requirements.yml');
  if (!opts.roleFile) throw new InputError('roles install needs -r FILE', undefined, 'runbook roles install -r requirements.yml');
  // Every entry is checked before the first role is fetched.
  const reqs = loadRequirements(resolve(cwd, opts.roleFile), cwd);
  const rolesDir = opts.rolesPath ? resolve(cwd, opts.rolesPath) : (loadConfig(cwd).rolesPath?.[0] ?? resolve(cwd, 'roles'));
  const results = await installRoles(reqs, rolesDir, { force: opts.force });
  for (const r of results) out(`${r.status === 'ok' ? 'ok' : 'changed'}: ${r.name}${r.version ? ` (${r.version})` : ''}${r.status === 'ok' ? ' already installed' : ''}\n`);
  const changed = results.filter((r) => r.status === 'installed').length;
  out(`${rolesDir}: ${results.length} roles, ${changed} installed, ${results.length - changed} unchanged\n`);
  return 0;
}
