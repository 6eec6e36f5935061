// The whole report page: one self-contained HTML document, no scripts, no external resources
// (the CSP forbids any), so it opens offline and from a mail attachment alike.
import { escapeHtml } from './escape.js';
import { formatDuration } from './format.js';
import type { RunReport } from './model.js';
import { renderDiffs } from './diffs.js';
import { renderRecap } from './recap-table.js';
import { STYLE } from './style.js';
import { renderTasks } from './tasks-table.js';
import { renderTimeline } from './timeline.js';

function renderHeader(report: RunReport): string {
  const exit = report.exitCode === undefined ? '' : ` <span class="badge ${report.exitCode === 0 ? 'exit-0' : 'exit-fail'}" id="exit-code" data-exit-code="${report.exitCode}">exit ${report.exitCode}</span>`;
  const facts = [
    report.startedAt ? `started ${escapeHtml(report.startedAt)}` : undefined,
    `<span id="duration" data-duration-ms="${report.durationMs}">${escapeHtml(formatDuration(report.durationMs))}</span>`,
    `${report.hosts.length} host${report.hosts.length === 1 ? '' : 's'}`,
    `${report.tasks.length} task${report.tasks.length === 1 ? '' : 's'}`,
    report.check ? '<strong>check mode: nothing was changed</strong>' : undefined,
  ].filter(Boolean);
  const notices = [
    report.aborted
      ? `<div class="notice" id="aborted"><strong>Run aborted:</strong> ${escapeHtml(report.aborted.reason)}${report.aborted.notRun.length ? `<br>Never ran on: ${escapeHtml(report.aborted.notRun.join(', '))}` : ''}</div>`
      : '',
    ...report.warnings.map((w) => `<div class="notice warn">${escapeHtml(w)}</div>`),
  ].filter(Boolean);
  return [`<header><h1>${escapeHtml(report.title)}${exit}</h1>`, `<p class="meta">${facts.join(' · ')}</p>`, ...notices, '</header>'].join('\n');
}

export function renderPage(report: RunReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may load from anywhere: the page is complete as written.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="runbook">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    renderHeader(report),
    '<main>',
    renderTimeline(report),
    renderRecap(report),
    renderTasks(report),
    renderDiffs(report),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
