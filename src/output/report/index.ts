// --report FILE.html: a sink that keeps the run's events (masked as they arrive) and, at the
// recap, writes the page in one atomic step so no reader ever sees half a report.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { RunbookError } from '../../core/errors.js';
import type { EventSink } from '../../executor/events.js';
import type { SecretSet } from '../../secrets/mask.js';
import { ReportCollector } from './collect.js';
import { renderPage } from './page.js';
import { checkTarget } from './target.js';

export type { RunReport } from './model.js';
export { ReportCollector } from './collect.js';
export { renderPage } from './page.js';

export interface HtmlReportOptions {
  file: string;
  secrets: SecretSet;
  title: string;
}

/** Writes next to the target and renames over it: same filesystem, so the swap is atomic. */
function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    // The run is over and its recap printed; say plainly what failed instead of a stack trace.
    throw new RunbookError(`could not write the report ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** "runbook apply playbooks/site.yml": the playbook as the user would type it from here. */
export function reportTitle(playbookFile: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, playbookFile));
  return `runbook apply ${rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(cwd, playbookFile) : rel}`;
}

export function createHtmlReport(opts: HtmlReportOptions): EventSink {
  const file = resolve(opts.file);
  checkTarget(file);
  const startedAt = new Date().toISOString();
  const collector = new ReportCollector();
  return (event) => {
    // Masked on the way in, so no secret is kept in memory in the clear.
    collector.add(opts.secrets.maskDeep(event));
    if (event.type !== 'recap') return;
    // Masked again now that the set holds every secret the run learnt, before HTML escaping can
    // respell one (&amp;) where the final mask of the page would not recognise it.
    const html = renderPage(opts.secrets.maskDeep(collector.report({ title: opts.title, startedAt })));
    writeAtomically(file, opts.secrets.mask(html));
  };
}
