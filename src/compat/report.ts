// Prints a `runbook compat` report: every problem at file:line:col with why, then figures per role
// or playbook, the most frequent reasons, and the totals a user decides on (tasks, % loadable).
import { relative } from 'node:path';
import type { CompatReport, Unit } from './check.js';

const pct = (part: number, whole: number): string => (whole === 0 ? '100%' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`);

export interface Totals {
  tasks: number;
  loadable: number;
  templates: number;
  templatesOk: number;
}

export function totals(units: Unit[]): Totals {
  return units.reduce((t, u) => ({ tasks: t.tasks + u.tasks, loadable: t.loadable + u.loadable, templates: t.templates + u.templates, templatesOk: t.templatesOk + u.templatesOk }), { tasks: 0, loadable: 0, templates: 0, templatesOk: 0 });
}

/** A problem's reason: its first line, so alike problems (the same unknown module or keyword) count together. */
function reason(message: string): string {
  return message.split('\n')[0]!;
}

export function formatReport(r: CompatReport): string {
  const rel = (p: string): string => relative(process.cwd(), p) || '.';
  const lines: string[] = [];
  for (const p of r.problems) {
    lines.push(`${rel(p.loc.file)}:${p.loc.line}:${p.loc.col}: ${p.kind}: ${p.message.split('\n')[0]}`);
    if (p.hint) lines.push(`  hint: ${p.hint.length > 160 ? `${p.hint.slice(0, 157)}...` : p.hint}`);
  }
  if (r.problems.length) lines.push('');
  lines.push('SUMMARY');
  for (const u of r.units) {
    const t = u.templates ? `, templates ${u.templatesOk}/${u.templates}` : '';
    lines.push(`  ${u.kind} ${rel(u.path)}: tasks ${u.loadable}/${u.tasks} loadable (${pct(u.loadable, u.tasks)})${t}`);
  }
  const counts = new Map<string, number>();
  for (const p of r.problems) counts.set(`${p.kind}: ${reason(p.message)}`, (counts.get(`${p.kind}: ${reason(p.message)}`) ?? 0) + Math.max(1, p.tasks));
  if (counts.size) {
    lines.push('REASONS (tasks or templates affected)');
    for (const [why, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${String(n).padStart(4)}  ${why}`);
  }
  const t = totals(r.units);
  lines.push(`TOTAL tasks: ${t.tasks}, loadable: ${t.loadable} (${pct(t.loadable, t.tasks)}); templates: ${t.templates}, compiling: ${t.templatesOk} (${pct(t.templatesOk, t.templates)})`);
  return `${lines.join('\n')}\n`;
}
