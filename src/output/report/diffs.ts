// The file diffs of changed results, as unified diffs, one collapsible block per host and file.
import { diffText } from '../diff-text.js';
import { palette } from '../colors.js';
import { attrs, escapeHtml } from './escape.js';
import type { ReportDiff, RunReport } from './model.js';

const plain = palette(false);

function lineClass(line: string): string | undefined {
  if (line.startsWith('--- ') || line.startsWith('+++ ')) return 'd-file';
  if (line.startsWith('@@')) return 'd-hunk';
  if (line.startsWith('+')) return 'd-add';
  if (line.startsWith('-')) return 'd-del';
  return undefined;
}

/** The unified diff with one span per line (the same text --diff prints, large files summarised). */
export function diffHtml(d: ReportDiff): string {
  const lines = diffText({ path: d.path, before: d.before, after: d.after, hidden: d.hidden }, plain).replace(/\n$/, '').split('\n');
  return lines
    .map((l) => {
      const cls = lineClass(l);
      return cls ? `<span class="${cls}">${escapeHtml(l)}</span>` : escapeHtml(l);
    })
    .join('\n');
}

export function renderDiffs(report: RunReport): string {
  const heading = report.check ? 'Changes that would be applied (check mode)' : 'Changes applied';
  const blocks = report.diffs.map((d) => {
    const summary = `<span class="host">${escapeHtml(d.host)}</span> <span class="path">${escapeHtml(d.path)}</span> <span class="task">${escapeHtml(d.task)}</span>`;
    return `<details open${attrs({ class: 'diff', 'data-host': d.host, 'data-path': d.path, 'data-task-index': d.taskIndex })}><summary>${summary}</summary><pre>${diffHtml(d)}</pre></details>`;
  });
  const empty = '<p class="empty">No file diffs: no file changed, or the run was made without <code>--diff</code> (<code>-D</code>), which file tasks (copy, template, lineinfile, …) need to record them.</p>';
  return ['<section id="diffs">', `<h2>${heading}</h2>`, blocks.length > 0 ? blocks.join('\n') : empty, '</section>'].join('\n');
}
