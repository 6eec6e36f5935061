// pip: Python packages in the system's Python or a virtualenv, as Ansible 2.14's pip module manages
// them. The decision is pip's own: the probe asks `pip install --dry-run --report -` what it would
// install (names, pins, local wheels, requirements files, -U alike), so a second run is changed=0
// and --check forecasts exactly; removal reads `pip list --format=freeze`.
import { shJoin, shQuote } from '../../core/shell.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { shlexSplit } from '../lib/shlex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';

export const pipSpec = defineSpec({
  description: 'Installs, upgrades or removes Python packages with pip, in the system Python or a virtualenv it creates.',
  args: {
    name: { type: 'list', description: 'Package name(s), with version specifiers (flask>=2) if wanted, or paths and URLs of packages.' },
    version: { type: 'str', description: 'The version to install of the one package in name (name==version).' },
    requirements: { type: 'str', description: 'A requirements file on the host (relative to chdir).' },
    virtualenv: { type: 'str', description: 'A virtualenv to install into (relative to chdir); created first when it does not exist.' },
    virtualenv_site_packages: { type: 'bool', default: false, description: "The new virtualenv sees the system's site-packages (--system-site-packages)." },
    virtualenv_command: {
      type: 'str',
      default: 'python3 -m venv',
      description: 'The command that creates the virtualenv (virtualenv, or python3.11 -m venv). Ansible defaults to virtualenv; Debian ships venv with python3-venv.',
    },
    virtualenv_python: { type: 'str', description: 'The Python the virtualenv is made with (virtualenv -p); not with -m venv, which uses the Python running it.' },
    state: {
      type: 'str',
      choices: ['present', 'absent', 'latest', 'forcereinstall'],
      default: 'present',
      description: 'present: installed (any version that satisfies the specifier); latest: upgraded (-U); forcereinstall: reinstalled on every run; absent: uninstalled.',
    },
    extra_args: { type: 'str', description: "More arguments for pip, e.g. '--no-index --find-links /srv/wheels' for a host without PyPI." },
    editable: { type: 'bool', default: false, description: 'Install in editable mode (-e), for a local directory or a VCS URL.' },
    chdir: { type: 'str', description: 'The directory pip and the virtualenv command run in.' },
    executable: { type: 'str', description: 'The pip to run (pip3.11, /opt/py/bin/pip); default pip3, or the virtualenv’s bin/pip.' },
    umask: { type: 'str', description: "The umask pip runs with, in octal ('0022'), so installed files are readable by others." },
  },
  mutuallyExclusive: [['name', 'requirements'], ['executable', 'virtualenv']],
  requiredOneOf: [['name', 'requirements']],
  examples: `- name: The application's dependencies, in its own virtualenv
  pip:
    requirements: /srv/app/requirements.txt
    virtualenv: /srv/app/venv

- name: A pinned tool from a local wheel directory (no index)
  pip:
    name: rbdemo
    version: "0.1"
    virtualenv: /opt/tools
    extra_args: --no-index --find-links /srv/wheels`,
  returns: {
    cmd: 'The pip command run (or that would run).',
    name: 'The packages given.',
    requirements: 'The requirements file given.',
    version: 'The version given.',
    virtualenv: 'The virtualenv given.',
    stdout: "pip's output.",
    stderr: "pip's errors and warnings.",
  },
  checkMode: 'Forecasts from pip install --dry-run (pip 22.2 or later); a virtualenv that does not exist yet is forecast as created with everything installed.',
});

export interface PipArgs {
  names: string[];
  version?: string;
  requirements?: string;
  virtualenv?: string;
  sitePackages: boolean;
  venvCommand: string[];
  venvPython?: string;
  state: 'present' | 'absent' | 'latest' | 'forcereinstall';
  extraArgs: string[];
  editable: boolean;
  chdir?: string;
  executable?: string;
  umask?: string;
}

export function parsePipArgs(raw: Record<string, unknown>, loc: SourceLoc): PipArgs {
  const { args, reader } = parseSpec('pip', pipSpec, raw, loc);
  const names = args.name ?? [];
  if (args.version !== undefined && (names.length !== 1 || /[<>=!~;\s]/.test(names[0]!))) {
    throw reader.error("'version' needs exactly one package in name, without a version specifier", "write 'name: pkg==1.0' for several");
  }
  if (args.state === 'absent' && args.requirements === undefined && names.some((n) => /[/\\]|:\/\//.test(n))) {
    throw reader.error('state: absent needs package names, not paths or URLs');
  }
  const venvCommand = shlexSplit(args.virtualenv_command);
  if (venvCommand.length === 0) throw reader.error("'virtualenv_command' is empty");
  if (args.virtualenv_python !== undefined && /(^|\s)-m\s+venv\b|pyvenv/.test(args.virtualenv_command)) {
    throw reader.error('virtualenv_python cannot be used with the venv module or pyvenv as virtualenv_command', "give virtualenv_command: 'python3.11 -m venv' instead");
  }
  if (args.umask !== undefined && !/^0?[0-7]{3}$/.test(args.umask)) throw reader.error(`'umask' must be octal like '0022', got '${args.umask}'`);
  let extraArgs: string[];
  try {
    extraArgs = shlexSplit(args.extra_args ?? '');
  } catch (err) {
    throw reader.error(`'extra_args': ${(err as Error).message}`);
  }
  return {
    names,
    version: args.version,
    requirements: args.requirements,
    virtualenv: args.virtualenv,
    sitePackages: args.virtualenv_site_packages,
    venvCommand,
    venvPython: args.virtualenv_python,
    state: args.state,
    extraArgs,
    editable: args.editable,
    chdir: args.chdir,
    executable: args.executable,
    umask: args.umask,
  };
}

/** The pip to run: executable, the virtualenv's, or pip3. */
function pipCommand(a: PipArgs): string {
  if (a.executable !== undefined) return a.executable;
  if (a.virtualenv !== undefined) return `${a.virtualenv.replace(/\/+$/, '')}/bin/pip`;
  return 'pip3';
}

/** pip's arguments after the subcommand: options, -r, then the packages. */
export function installWords(a: PipArgs): string[] {
  const words = ['install'];
  if (a.state === 'latest' || a.state === 'forcereinstall') words.push('-U');
  if (a.state === 'forcereinstall') words.push('--force-reinstall');
  words.push(...a.extraArgs);
  if (a.requirements !== undefined) words.push('-r', a.requirements);
  const packages = a.version !== undefined ? [`${a.names[0]}==${a.version}`] : a.names;
  for (const p of packages) words.push(...(a.editable ? ['-e', p] : [p]));
  return words;
}

function uninstallWords(a: PipArgs, names: string[]): string[] {
  return ['uninstall', '-y', ...a.extraArgs.filter((w) => !/^--(no-index|find-links|index-url|extra-index-url)/.test(w)), ...names];
}

/** cd and umask before anything runs, as Ansible's chdir and umask. */
function prelude(a: PipArgs): string {
  return [
    'export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 LC_ALL=C.UTF-8',
    ...(a.chdir !== undefined ? [`cd ${shQuote(a.chdir)} || { echo ${shQuote(`chdir: cannot enter ${a.chdir}`)} >&2; exit 1; }`] : []),
    ...(a.umask !== undefined ? [`umask ${a.umask}`] : []),
  ].join('\n');
}

export function pipProbe(a: PipArgs): string {
  const pip = shQuote(pipCommand(a));
  const venv = a.virtualenv !== undefined ? shQuote(a.virtualenv) : undefined;
  const lines = [
    prelude(a),
    ...(venv ? [`if [ -e ${venv}/bin/activate ] || [ -x ${venv}/bin/python ]; then echo venv=yes; else echo venv=no; exit 0; fi`] : []),
    `if [ -x ${pip} ] || command -v ${pip} >/dev/null 2>&1; then echo pip=yes; else echo pip=no; exit 0; fi`,
  ];
  // Each part in a subshell: its cd, umask and early exits stay inside it.
  const parts: Record<string, string> = { env: `(\n${lines.join('\n')}\n)` };
  const enter = [prelude(a), ...(venv ? [`[ -x ${venv}/bin/python ] || exit 0`] : []), `command -v ${pip} >/dev/null 2>&1 || [ -x ${pip} ] || exit 0`].join('\n');
  if (a.state === 'absent') {
    parts.freeze = `(\n${enter}\n${pip} list --format=freeze 2>/dev/null\n)`;
  } else {
    // pip 22.2+: what it would install, as JSON on stdout; nothing installed when it says nothing.
    parts.report = `(\n${enter}\nrb_err=$(mktemp) || exit 1\n${pip} ${shJoin([...installWords(a).slice(0, 1), '--dry-run', '--quiet', '--report', '-', ...installWords(a).slice(1)])} 2>"$rb_err"; printf '\\nrc=%s\\n' "$?"\nsed 's/^/stderr: /' "$rb_err"; rm -f "$rb_err"\n)`;
  }
  return sectionsScript(parts);
}

/** PEP 503: names compare lower-case with runs of -, _ and . as one -. */
const normalizeName = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');

interface Report {
  install: Array<{ name: string; version: string }>;
}

export function parseReport(text: string): { report?: Report; rc: number; stderr: string } {
  const rc = Number(/^rc=(\d+)$/m.exec(text)?.[1] ?? '-1');
  const stderr = text.split('\n').filter((l) => l.startsWith('stderr: ')).map((l) => l.slice(8)).join('\n');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('\nrc=');
  if (start < 0 || end < start) return { rc, stderr };
  try {
    const json = JSON.parse(text.slice(start, end)) as { install?: Array<{ metadata?: { name?: string; version?: string } }> };
    return { rc, stderr, report: { install: (json.install ?? []).map((i) => ({ name: i.metadata?.name ?? '?', version: i.metadata?.version ?? '?' })) } };
  } catch {
    return { rc, stderr };
  }
}

function venvWords(a: PipArgs): string[] {
  return [...a.venvCommand, ...(a.sitePackages ? ['--system-site-packages'] : []), ...(a.venvPython !== undefined ? [`-p${a.venvPython}`] : []), a.virtualenv!];
}

export function planPip(a: PipArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const env = parsed.sections.env ?? '';
  const pip = pipCommand(a);
  const install = `${shJoin([pip, ...installWords(a)])}`;
  const data: Vars = { name: a.names, requirements: a.requirements ?? null, version: a.version ?? null, virtualenv: a.virtualenv ?? null, cmd: install };
  const missingVenv = a.virtualenv !== undefined && /^venv=no$/m.test(env);
  const run = (script: string): Step => ({ script: `${prelude(a)}\n${script}` });
  const io = (results: ExecResult[]) => {
    const last = results[results.length - 1];
    return last ? { data: { stdout: last.stdout, stderr: last.stderr } } : {};
  };

  if (missingVenv) {
    // Removing from a virtualenv that does not exist: nothing to remove (Ansible would create it first).
    if (a.state === 'absent') return { changes: [], steps: [], data };
    const create = shJoin(venvWords(a));
    return {
      changes: [`create the virtualenv ${a.virtualenv} (${a.venvCommand.join(' ')})`, `install ${a.requirements !== undefined ? `the requirements of ${a.requirements}` : a.names.join(', ')} into it`],
      steps: [run(create), run(install)],
      data: { ...data, cmd: `${create} && ${install}` },
      provides: [{ kind: 'path', path: a.virtualenv! }],
      afterApply: io,
    };
  }
  if (/^pip=no$/m.test(env)) {
    const hint = a.virtualenv !== undefined ? `the virtualenv ${a.virtualenv} has no pip (create it with pip, or give executable)` : 'install python3-pip (or give executable, or a virtualenv)';
    return { changes: [], steps: [], data, failure: { msg: `${pip} is not there: ${hint}`, needs: a.virtualenv === undefined ? [{ kind: 'package', name: 'python3-pip' }] : undefined } };
  }

  if (a.state === 'absent') {
    const installed = new Set((parsed.sections.freeze ?? '').split('\n').map((l) => normalizeName(l.split('==')[0]!.split(' @ ')[0]!.trim())).filter((n) => n !== ''));
    const gone = a.names.map((n) => n.split(/[<>=!~;\s[]/)[0]!).filter((n) => installed.has(normalizeName(n)));
    if (gone.length === 0) return { changes: [], steps: [], data };
    const cmd = shJoin([pip, ...uninstallWords(a, gone)]);
    return { changes: gone.map((n) => `uninstall ${n}`), steps: [run(cmd)], data: { ...data, cmd }, afterApply: io };
  }

  const { report, rc, stderr } = parseReport(parsed.sections.report ?? '');
  if (report === undefined) {
    if (/no such option: --(dry-run|report)/.test(stderr)) {
      // pip older than 22.2 cannot say in advance: run it, as Ansible would.
      return { changes: [`run ${install} (this pip is older than 22.2 and cannot forecast)`], steps: [run(install)], data, afterApply: io };
    }
    const why = stderr.split('\n').filter((l) => /^ERROR|error:|^\S/.test(l)).slice(-6).join('\n') || `exit code ${rc}`;
    return { changes: [], steps: [], data, failure: { msg: `pip cannot install ${a.requirements ?? a.names.join(', ')}: ${why}` } };
  }
  if (report.install.length === 0) return { changes: [], steps: [], data };
  return {
    changes: report.install.map((p) => `${a.state === 'forcereinstall' ? 'reinstall' : 'install'} ${p.name} ${p.version}${a.virtualenv !== undefined ? ` into ${a.virtualenv}` : ''}`),
    steps: [run(install)],
    data,
    afterApply: io,
  };
}

export const pipModule: RemoteModule<PipArgs> = {
  kind: 'remote',
  name: 'pip',
  ...specFields(pipSpec),
  parse: parsePipArgs,
  probe: (a) => ({ script: pipProbe(a) }),
  plan: (a, probe) => planPip(a, probe),
};
