// The arguments file a custom module reads, in the form its kind expects (Ansible's
// ActionBase._execute_module): JSON for binary and WANT_JSON modules, key=value text for old-style
// ones, {"ANSIBLE_MODULE_ARGS": ...} for new-style Python. It travels in the upload (a 0600 file in a
// private folder), never on a command line.
import { shQuote } from '../../core/shell.js';
import type { ModuleKind } from './kind.js';

/** What the task says about how the module runs: Ansible's `_ansible_*` arguments. */
export interface RunFlags {
  module: string;
  check: boolean;
  diff: boolean;
  noLog: boolean;
  verbosity: number;
}

/** The ansible-core release whose module interface runbook follows (modules may read _ansible_version). */
export const ANSIBLE_VERSION = '2.14.0';

export function internalArgs(f: RunFlags): Record<string, unknown> {
  return {
    _ansible_check_mode: f.check,
    _ansible_no_log: f.noLog,
    _ansible_debug: false,
    _ansible_diff: f.diff,
    _ansible_verbosity: f.verbosity,
    _ansible_version: ANSIBLE_VERSION,
    _ansible_module_name: f.module,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_keep_remote_files: false,
    _ansible_shell_executable: '/bin/sh',
  };
}

/** Python's str() of a value, as Ansible's old-style arguments carry it (True, not true). */
function pythonText(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * JSON as Python's json.dumps writes it (Ansible writes the file with it): ", " and ": " between
 * items, non-ASCII as \\u escapes. Shell and C modules often grep for `"key": "value"`.
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    return `{${Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => `${ascii(JSON.stringify(k))}: ${pythonJson(v)}`).join(', ')}}`;
  }
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : ascii(text);
}

function ascii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The file's text; null for kinds that take no file (jsonargs has its arguments written into it). */
export function argsFileText(kind: ModuleKind, args: Record<string, unknown>, flags: RunFlags): string | null {
  const all = { ...args, ...internalArgs(flags) };
  switch (kind) {
    case 'python':
      return pythonJson({ ANSIBLE_MODULE_ARGS: all });
    case 'binary':
    case 'want_json':
      return pythonJson(all);
    case 'old':
      // Ansible: '%s=%s ' % (k, shlex.quote(str(v))) for each argument.
      return Object.entries(all).map(([k, v]) => `${k}=${shQuote(pythonText(v))} `).join('');
    default:
      return null;
  }
}
