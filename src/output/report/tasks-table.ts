// Every task with each host's result and time: the timeline's bars in words, for reading and for screen readers.
import { attrs, escapeHtml } from './escape.js';
import { formatLoc } from '../../core/types.js';
import { formatDuration } from './format.js';
import type { RunReport } from './model.js';

export function renderTasks(report: RunReport): string {
  if (report.tasks.length === 0) return '';
  const bars = new Map(report.bars.map((b) => [`${b.taskIndex}\0${b.host}`, b]));
  const head = `<tr><th>#</th><th>task</th>${report.hosts.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = report.tasks.map((t) => {
    const cells = report.hosts.map((host) => {
      const b = bars.get(`${t.index}\0${host}`);
      if (!b) return '<td class="none">–</td>';
      const label = `${b.ignored ? `${b.status} (ignored)` : b.status} · ${formatDuration(b.durationMs)}${b.worker ? ` · ${b.worker}` : ''}`;
      return `<td${attrs({ class: `s-text-${b.status}`, 'data-host': host, 'data-status': b.status, 'data-worker': b.worker, title: b.msg })}>${escapeHtml(label)}</td>`;
    });
    const where = t.loc ? `<span class="loc">${escapeHtml(formatLoc(t.loc))}</span>` : '';
    const play = t.play ? `<span class="play">${escapeHtml(t.play)}</span>` : '';
    const name = `${t.handler ? '<span class="handler">handler</span> ' : ''}${escapeHtml(t.name)}`;
    return `<tr${attrs({ 'data-task-index': t.index })}><td class="n">${t.index + 1}</td><td>${play}${name}${where}</td>${cells.join('')}</tr>`;
  });
  return ['<section id="tasks">', '<h2>Tasks</h2>', `<table id="tasks-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`, '</section>'].join('\n');
}
