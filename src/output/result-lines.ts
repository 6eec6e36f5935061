// How one host's result reads on a terminal, in Ansible's words (ok / changed / skipping / fatal),
// with why a task skipped, the failed command's output, and what changed (-v) or would change (check).
import type { HostResult } from '../executor/events.js';
import type { Palette } from './colors.js';

export interface ResultStyle {
  verbose: number;
  check: boolean;
  p: Palette;
}

/** At default verbosity a failed command shows its last lines; -vv shows everything. */
const TAIL_LINES = 200;

function splitLines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/** "=> msg"; a multi-line message continues indented under the status line (one entry per line, so colour never spans lines). */
function withMsg(head: string, msg: string | undefined): string[] {
  if (msg === undefined || msg === '') return [head];
  const [first, ...rest] = splitLines(msg);
  return [`${head} => ${first}`, ...rest.map((l) => `    ${l}`)];
}

function output(name: string, text: string | undefined, verbose: number): string[] {
  if (text === undefined || text === '') return [];
  let lines = splitLines(text);
  let note = '';
  if (verbose < 2 && lines.length > TAIL_LINES) {
    note = ` (last ${TAIL_LINES} of ${lines.length} lines; -vv shows all)`;
    lines = lines.slice(-TAIL_LINES);
  }
  return [`    ${name}:${note}`, ...lines.map((l) => `      ${l}`)];
}

function commandDetail(r: HostResult, verbose: number): string[] {
  return [...(r.rc !== undefined && r.rc !== null ? [`    rc: ${r.rc}`] : []), ...output('stdout', r.stdout, verbose), ...output('stderr', r.stderr, verbose)];
}

/** What changed, at -v; in check mode always, since saying exactly what would change is its point. */
function changeList(r: HostResult, s: ResultStyle): string[] {
  if ((s.verbose < 1 && !s.check) || !r.changes || r.changes.length === 0) return [];
  return [s.check ? '    would change:' : '    changes:', ...r.changes.map((c) => `      - ${c}`)];
}

export function resultLines(result: HostResult, s: ResultStyle): string[] {
  const { p } = s;
  // A delegated task reads as Ansible's `[web1 -> redis1]`: run for web1, on redis1.
  const r = result.delegate ? { ...result, host: `${result.host} -> ${result.delegate}` } : result;
  const item = r.item !== undefined ? ` => (item=${r.item})` : '';
  switch (r.status) {
    case 'ok':
    case 'changed': {
      const paint = r.status === 'ok' ? p.ok : p.changed;
      const lines = [...withMsg(`${r.status}: [${r.host}]${item}`, r.msg).map(paint), ...changeList(r, s)];
      if (s.verbose >= 1) lines.push(...commandDetail(r, s.verbose).map(p.dim));
      return lines;
    }
    case 'skipped':
      // Unlike Ansible, the reason shows without -v: "skipped" alone leaves the reader guessing.
      return withMsg(`skipping: [${r.host}]${item}`, r.msg).map(p.skipped);
    case 'unreachable': {
      const head = r.item !== undefined ? `fatal: [${r.host}] (item=${r.item}): UNREACHABLE!` : `fatal: [${r.host}]: UNREACHABLE!`;
      return withMsg(head, r.msg ?? 'host unreachable').map(p.unreachable);
    }
    case 'failed': {
      const head = r.item !== undefined ? `failed: [${r.host}] (item=${r.item})` : `fatal: [${r.host}]: FAILED!`;
      const lines = [...withMsg(head, r.msg ?? 'task failed').map(p.failed), ...commandDetail(r, s.verbose).map(p.failed), ...changeList(r, s)];
      if (r.ignored) lines.push(p.skipped('...ignoring'));
      return lines;
    }
  }
}
