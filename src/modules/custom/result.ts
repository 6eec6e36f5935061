// Turns what a custom module printed into the task's result, as Ansible reads a module's reply:
// the JSON object on stdout (noise before and after it dropped), `failed` or a non-zero `rc` fail
// the task, `skipped` skips it, every other key is registered. Anything else is a module failure
// that names the module's file.
import type { ExecResult } from '../../transport/types.js';
import type { Vars } from '../../core/types.js';
import type { ActionOutcome, FileDiff } from '../types.js';

/** Ansible's _filter_non_json_lines: from the first line opening a JSON object to the last closing brace. */
export function jsonPart(stdout: string): string | undefined {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith('{'));
  if (start < 0) return undefined;
  const rest = lines.slice(start).join('\n');
  const end = rest.lastIndexOf('}');
  return end < 0 ? undefined : rest.slice(0, end + 1);
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** What module_utils the module asked for that runbook's shim does not have (a Python ImportError). */
function missingModuleUtils(stderr: string): string | undefined {
  return /No module named '?(ansible(?:_collections)?(?:\.[\w.]+)?)'?/.exec(stderr)?.[1];
}

function failure(file: string, r: ExecResult, why: string): ActionOutcome {
  const missing = missingModuleUtils(r.stderr);
  const detail = missing
    ? `: it imports ${missing}, which runbook's stand-in for Ansible's module_utils does not provide (docs/modules.md, Custom modules)`
    : (tail(r.stderr) || tail(r.stdout)) ? `:\n${tail(r.stderr) || tail(r.stdout)}` : '';
  return {
    changed: false,
    failed: `MODULE FAILURE: ${file} ${why} (exit code ${r.code})${detail}`,
    data: { module_stdout: r.stdout, module_stderr: r.stderr, rc: r.code },
  };
}

/** The module's `diff` (one or a list of {before, after, before_header, after_header}) as file diffs. */
function diffs(value: unknown, fallback: string): FileDiff[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return list.flatMap((d: Record<string, unknown>) => {
    if (!d || typeof d !== 'object') return [];
    const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v, null, 2) + '\n');
    if (d.before === undefined && d.after === undefined) return [];
    const path = typeof d.after_header === 'string' ? d.after_header : typeof d.before_header === 'string' ? d.before_header : fallback;
    return [{ path, before: text(d.before), after: text(d.after) }];
  });
}

export function moduleOutcome(file: string, module: string, r: ExecResult, wantDiff: boolean): ActionOutcome {
  const part = jsonPart(r.stdout);
  if (part === undefined) return failure(file, r, 'printed no JSON result');
  let reply: unknown;
  try {
    reply = JSON.parse(part);
  } catch (err) {
    return failure(file, r, `printed output that is not JSON (${(err as Error).message})`);
  }
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) return failure(file, r, 'printed JSON that is not an object');
  const res = reply as Record<string, unknown>;
  const data: Vars = {};
  // Ansible keeps its own _ansible_* keys out of the registered result.
  for (const [k, v] of Object.entries(res)) if (!k.startsWith('_ansible_')) data[k] = v;
  for (const s of ['stdout', 'stderr'] as const) {
    if (typeof data[s] === 'string' && data[`${s}_lines`] === undefined) data[`${s}_lines`] = (data[s] as string).split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  }
  const changed = truthy(res.changed);
  const facts = res.ansible_facts && typeof res.ansible_facts === 'object' && !Array.isArray(res.ansible_facts) ? (res.ansible_facts as Vars) : undefined;
  const msg = typeof res.msg === 'string' ? res.msg : res.msg !== undefined ? JSON.stringify(res.msg) : undefined;
  // No `failed` key: a non-zero rc fails the task (Ansible's TaskExecutor, for modules that only set rc).
  const failed = res.failed !== undefined ? truthy(res.failed) : res.rc !== undefined && res.rc !== 0 && res.rc !== '0';
  if (failed) return { changed, failed: msg ?? `${module} failed without a message`, data };
  if (truthy(res.skipped)) return { changed: false, skipped: msg ?? `${module} skipped itself`, data };
  return { changed, ...(msg !== undefined ? { msg } : {}), data, ...(facts ? { facts } : {}), ...(wantDiff && res.diff !== undefined ? { diffs: diffs(res.diff, module) } : {}) };
}

/** Ansible's boolean(): true, "yes", "true", "on", "1", 1. */
function truthy(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'true', 'on', '1', 'y', 't'].includes(v.toLowerCase());
  return v === true || v === 1;
}
