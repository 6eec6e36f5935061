// `runbook compat PATH`: a porting report for an Ansible playbook or role tree (docs/porting.md).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { checkTree } from '../compat/check.js';
import { formatReport, totals } from '../compat/report.js';

export function compatCommand(path: string | undefined, opts: { json?: boolean }, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  const root = resolve(path ?? '.');
  if (!existsSync(root)) throw new InputError(`compat: ${path} not found`, undefined, 'name a role folder, a roles/ folder or a project with playbooks');
  const report = checkTree(root);
  if (opts.json) out(`${JSON.stringify({ ...report, totals: totals(report.units) }, null, 2)}\n`);
  else out(formatReport(report));
  // A report, not a check: it succeeds whatever it found (use --syntax-check to gate a run).
  return 0;
}
