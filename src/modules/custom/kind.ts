// Which kind of Ansible module a library/ file is, decided from its bytes the way ansible-core's
// executor/module_common.py decides it, because the kind says how the arguments reach it.

/**
 * binary: any executable that is not text; gets the path of a JSON arguments file.
 * python: a new-style Python module (imports ansible.module_utils): runs on runbook's own shim.
 * jsonargs: the JSON arguments are written into the module's text in place of a marker.
 * want_json: a script that says WANT_JSON; gets the path of a JSON arguments file.
 * old: any other script; gets the path of a key=value arguments file.
 * powershell: a Windows module, which runbook cannot run.
 */
export type ModuleKind = 'binary' | 'python' | 'jsonargs' | 'want_json' | 'old' | 'powershell';

const REPLACER = '#<<INCLUDE_ANSIBLE_MODULE_COMMON>>';
export const REPLACER_JSONARGS = '<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>';
const REPLACER_WINDOWS = '#Requires -Module Ansible.ModuleUtils.Legacy.psm1';

/** Ansible's NEW_STYLE_PYTHON_MODULE_RE: relative, collection and ansible.module_utils imports. */
const NEW_STYLE_PYTHON =
  /(?:from +\.{2,} *module_utils.* +import |from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import |import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*|from +ansible\.module_utils.* +import |import +ansible\.module_utils\.)/;
const POWERSHELL = /#Requires -Module|#Requires -Version|#AnsibleRequires -(?:OSVersion|PowerShell|CSharpUtil|Wrapper)/i;

/** Ansible's _is_binary: a control byte other than BEL, BS, TAB, LF, FF, CR, ESC (or DEL) in the first 1024 bytes. */
export function isBinary(data: Buffer): boolean {
  const start = data.subarray(0, 1024);
  for (const b of start) {
    if (b === 7 || b === 8 || b === 9 || b === 10 || b === 12 || b === 13 || b === 27) continue;
    if (b < 0x20 || b === 0x7f) return true;
  }
  return false;
}

export function moduleKind(data: Buffer): ModuleKind {
  if (isBinary(data)) return 'binary';
  // latin1 keeps every byte as one character, so the searches see exactly the bytes Ansible's do.
  const text = data.toString('latin1');
  if (text.includes(REPLACER) || NEW_STYLE_PYTHON.test(text)) return 'python';
  if (text.includes(REPLACER_WINDOWS) || POWERSHELL.test(text)) return 'powershell';
  if (text.includes(REPLACER_JSONARGS)) return 'jsonargs';
  if (text.includes('WANT_JSON')) return 'want_json';
  return 'old';
}

/** A script's `#!` line as program and arguments (`/usr/bin/env python3` is env's argument); undefined without one. */
export function shebang(data: Buffer): { program: string; args: string[] } | undefined {
  if (data[0] !== 0x23 || data[1] !== 0x21) return undefined;
  const end = data.indexOf(0x0a);
  const words = data.subarray(2, end < 0 ? data.length : end).toString('utf8').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  return { program: words[0]!, args: words.slice(1) };
}

/**
 * The interpreter Ansible would run a script with: its shebang's program, unless the host's
 * variables name one (`ansible_python_interpreter`, `ansible_bash_interpreter`, ...); every
 * Python goes to ansible_python_interpreter, else python3 (Debian has no `python`).
 * Undefined: run the file itself (a binary, or a script whose shebang stands).
 */
export function interpreterFor(kind: ModuleKind, data: Buffer, vars: Record<string, unknown>): string[] | undefined {
  if (kind === 'binary') return undefined;
  const bang = shebang(data);
  const program = bang ? (bang.program.endsWith('/env') && bang.args[0] ? bang.args[0] : bang.program) : kind === 'python' ? 'python' : undefined;
  if (program === undefined) return undefined;
  const name = program.split('/').pop()!;
  const python = /^python/.test(name);
  const configured = vars[`ansible_${python ? 'python' : name}_interpreter`];
  if (typeof configured === 'string' && configured.trim() !== '') return configured.trim().split(/\s+/);
  if (python) return ['python3'];
  return undefined;
}
