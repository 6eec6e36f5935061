// Prints a `runbook compat` report: every problem at file:line:col with why, then figures per role
// or playbook, the most frequent reasons, and the totals a user decides on (tasks, % loadable).
import { relative } from 'node:path';
import { mergeExcluded, type CompatReport, type Excluded, type Unit } from './check.js';
import { FAMILIES, FAMILY_ORDER } from './families.js';

const pct = (part: number, whole: number): string => (whole === 0 ? '100%' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`);

export interface Totals {
  tasks: number;
  loadable: number;
  templates: number;
  templatesOk: number;
  /** The tasks outside the excluded families (src/compat/families.ts): the figure issue 14 measures. */
  outside: { tasks: number; loadable: number };
  /** The excluded tasks, by family and module, most tasks first. */
  excluded: Excluded[];
}

/** A unit's (or the whole tree's) tasks and loadable tasks outside the excluded families. */
export function outside(tasks: number, loadable: number, excluded: readonly Excluded[]): { tasks: number; loadable: number } {
  return excluded.reduce((o, e) => ({ tasks: o.tasks - e.tasks, loadable: o.loadable - e.loadable }), { tasks, loadable });
}

export function totals(units: Unit[]): Totals {
  const sum = units.reduce((t, u) => ({ tasks: t.tasks + u.tasks, loadable: t.loadable + u.loadable, templates: t.templates + u.templates, templatesOk: t.templatesOk + u.templatesOk }), { tasks: 0, loadable: 0, templates: 0, templatesOk: 0 });
  const excluded = units.reduce((all: Excluded[], u) => mergeExcluded(all, u.excluded), []);
  excluded.sort((a, b) => FAMILY_ORDER.indexOf(a.family) - FAMILY_ORDER.indexOf(b.family) || b.tasks - a.tasks || a.module.localeCompare(b.module));
  return { ...sum, outside: outside(sum.tasks, sum.loadable, excluded), excluded };
}

/** What the headline figure leaves out, as the report words it. */
export const OUTSIDE = `outside ${FAMILY_ORDER.map((f) => FAMILIES[f].label).join(', ').replace(/, ([^,]*)$/, ' and $1')} modules`;

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
    const o = outside(u.tasks, u.loadable, u.excluded);
    const x = u.excluded.length ? `; outside excluded modules ${o.loadable}/${o.tasks} (${pct(o.loadable, o.tasks)})` : '';
    lines.push(`  ${u.kind} ${rel(u.path)}: tasks ${u.loadable}/${u.tasks} loadable (${pct(u.loadable, u.tasks)})${x}${t}`);
  }
  const counts = new Map<string, number>();
  for (const p of r.problems) counts.set(`${p.kind}: ${reason(p.message)}`, (counts.get(`${p.kind}: ${reason(p.message)}`) ?? 0) + Math.max(1, p.tasks));
  if (counts.size) {
    lines.push('REASONS (tasks or templates affected)');
    for (const [why, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${String(n).padStart(4)}  ${why}`);
  }
  const t = totals(r.units);
  if (t.excluded.length) {
    lines.push('EXCLUDED from the figure below (src/compat/families.ts), tasks per module');
    for (const f of FAMILY_ORDER) {
      const rows = t.excluded.filter((e) => e.family === f);
      if (!rows.length) continue;
      const n = rows.reduce((a, e) => a + e.tasks, 0);
      const ok = rows.reduce((a, e) => a + e.loadable, 0);
      const each = rows.map((e) => `${e.module} ${e.tasks}${e.loadable ? ` (${e.loadable} load)` : ''}`).join(', ');
      lines.push(`  ${FAMILIES[f].label}: ${n} tasks, ${ok} loadable: ${each}`);
    }
  }
  lines.push(`TOTAL ${t.loadable} of ${t.tasks} tasks load (${pct(t.loadable, t.tasks)}); ${OUTSIDE}: ${t.outside.loadable} of ${t.outside.tasks} (${pct(t.outside.loadable, t.outside.tasks)}); templates: ${t.templatesOk} of ${t.templates} compile (${pct(t.templatesOk, t.templates)})`);
  return `${lines.join('\n')}\n`;
}
