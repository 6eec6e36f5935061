// The run as a timeline: one row per host, one bar per task placed where it ran, coloured by result.
import { attrs, escapeHtml } from './escape.js';
import { formatDuration, percent, tickStep } from './format.js';
import type { ReportTask, RunReport, TaskBar } from './model.js';

/** The tooltip: which task, how it ended, how long it took, and its message. */
export function barTitle(bar: TaskBar, task: ReportTask | undefined): string {
  const name = task ? `${task.handler ? 'handler: ' : ''}${task.name}` : `task ${bar.taskIndex + 1}`;
  const status = bar.ignored ? `${bar.status} (ignored)` : bar.status;
  const items = bar.items > 1 ? `, ${bar.items} items` : '';
  const msg = bar.msg ? `\n${bar.msg.length > 400 ? `${bar.msg.slice(0, 400)}…` : bar.msg}` : '';
  return `${name}\n${bar.host}: ${status} in ${formatDuration(bar.durationMs)}${items}${msg}`;
}

function renderBar(bar: TaskBar, task: ReportTask | undefined, totalMs: number): string {
  const style = `left:${percent(bar.startMs, totalMs)};width:${percent(bar.endMs - bar.startMs, totalMs)}`;
  const cls = `bar s-${bar.status}${bar.ignored ? ' ignored' : ''}`;
  return `<div${attrs({
    class: cls,
    style,
    title: barTitle(bar, task),
    'data-host': bar.host,
    'data-task-index': bar.taskIndex,
    'data-task': task?.name,
    'data-status': bar.status,
    'data-ignored': bar.ignored ? 'true' : undefined,
    'data-duration-ms': bar.durationMs,
  })}></div>`;
}

function renderAxis(totalMs: number): string {
  const step = tickStep(totalMs);
  const ticks: string[] = [];
  for (let t = 0; t <= totalMs; t += step) {
    ticks.push(`<span class="tick" style="left:${percent(t, totalMs)}">${escapeHtml(formatDuration(t))}</span>`);
  }
  return `<div class="row axis"><div class="host"></div><div class="track">${ticks.join('')}</div></div>`;
}

export function renderTimeline(report: RunReport): string {
  const total = Math.max(report.durationMs, 1);
  const tasks = new Map(report.tasks.map((t) => [t.index, t]));
  const rows = report.hosts.map((host) => {
    const bars = report.bars.filter((b) => b.host === host).map((b) => renderBar(b, tasks.get(b.taskIndex), total));
    return `<div class="row"${attrs({ 'data-host': host })}><div class="host">${escapeHtml(host)}</div><div class="track">${bars.join('')}</div></div>`;
  });
  const legend = ['ok', 'changed', 'failed', 'skipped', 'unreachable']
    .map((s) => `<span class="key"><span class="swatch s-${s}"></span>${s}</span>`)
    .concat('<span class="key"><span class="swatch s-failed ignored"></span>failed, ignored</span>')
    .join('');
  return [
    '<section id="timeline">',
    '<h2>Timeline</h2>',
    `<p class="legend">${legend}</p>`,
    report.bars.length === 0 ? '<p class="empty">No task ran.</p>' : `<div class="timeline">${renderAxis(total)}${rows.join('')}</div>`,
    '</section>',
  ].join('\n');
}
