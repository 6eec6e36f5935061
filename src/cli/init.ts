// `runbook init role NAME | project DIR`: scaffolds that follow ansible-galaxy's layout and pass `runbook test`.
import { basename, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { projectScaffold } from '../init/project.js';
import { roleScaffold } from '../init/role.js';
import { writeScaffold } from '../init/write.js';

export function initCommand(kind: string, target: string, opts: { path?: string }, out: (line: string) => void = console.log): number {
  const cwd = process.cwd();
  if (kind === 'role') {
    const root = resolve(cwd, opts.path ?? '.', target);
    const files = writeScaffold(root, roleScaffold(target), `init role ${target}`);
    out(`role ${target} created in ${root} (${files.length} files)`);
    out(`try it on lab hosts: runbook test ${join(opts.path ?? '.', target)}`);
    return 0;
  }
  if (kind === 'project') {
    const root = resolve(cwd, target);
    const files = writeScaffold(root, projectScaffold(basename(root)), `init project ${target}`);
    out(`project created in ${root} (${files.length} files)`);
    out(`try it on lab hosts: cd ${target} && runbook test`);
    return 0;
  }
  throw new InputError(`init: unknown kind '${kind}'`, undefined, 'use: runbook init role NAME | runbook init project DIR');
}
