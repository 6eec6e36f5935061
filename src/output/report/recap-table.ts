// The recap as a table, the same numbers as the recap event, with one machine-readable cell per counter.
import { attrs, escapeHtml } from './escape.js';
import { COUNTER_NAMES, type RunReport } from './model.js';

export function renderRecap(report: RunReport): string {
  const hosts = [...report.hosts.filter((h) => h in report.recap), ...Object.keys(report.recap).filter((h) => !report.hosts.includes(h))];
  const head = `<tr><th>host</th>${COUNTER_NAMES.map((n) => `<th>${n}</th>`).join('')}</tr>`;
  const rows = hosts.map((host) => {
    const c = report.recap[host]!;
    const cells = COUNTER_NAMES.map((n) => `<td${attrs({ class: c[n] > 0 ? `n c-${n}` : 'n zero', 'data-counter': n })}>${c[n]}</td>`);
    return `<tr${attrs({ 'data-host': host })}><th scope="row">${escapeHtml(host)}</th>${cells.join('')}</tr>`;
  });
  const body = hosts.length === 0 ? '<p class="empty">No recap: the run stopped before it.</p>' : `<table id="recap-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
  return ['<section id="recap">', '<h2>Recap</h2>', body, '</section>'].join('\n');
}
