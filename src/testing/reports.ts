// A test cycle's result for the user's CI: JUnit XML (one test case per stage) and JSON.
import type { CycleReport } from './cycle.js';

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // XML 1.0 cannot carry most control characters, even escaped.
  .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function junitXml(report: CycleReport): string {
  const cases = report.stages.map((s) => {
    const open = `    <testcase classname="runbook test" name="${xml(s.name)}" time="${seconds(s.durationMs)}"`;
    if (s.status === 'passed') return `${open}/>`;
    const inner = s.status === 'skipped'
      ? `<skipped message="${xml(s.message ?? '')}"/>`
      : `<failure message="${xml(s.message ?? 'failed')}" type="${s.name}">${xml(s.message ?? '')}</failure>`;
    return `${open}>\n      ${inner}\n    </testcase>`;
  });
  const count = (status: string): number => report.stages.filter((s) => s.status === status).length;
  const total = report.stages.reduce((n, s) => n + s.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.stages.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(report.scenario)}" tests="${report.stages.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function jsonReport(report: CycleReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
