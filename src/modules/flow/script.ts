// script: a controller file sent to the host, run there with its arguments and removed, as
// Ansible's script; creates/removes and chdir are decided by the same probe as command's.
import { basename } from 'node:path';
import { shQuote } from '../../core/shell.js';
import { commandProbe, planCommand, type CommandArgs } from '../lib/run-command.js';
import { extractKeyValues, shlexSplit } from '../lib/shlex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';
import { registerOutput } from './raw.js';

export const scriptSpec = defineSpec({
  description:
    "Sends a script from the controller (the role's files/, then beside the playbook) to a private folder in the host's temporary directory, runs it there with its arguments, and removes it. Reports changed unless creates/removes say it need not run.",
  args: {
    cmd: { type: 'str', description: 'The script path and its arguments (the same as the free-form text); the arguments are shell words.' },
    creates: { type: 'str', description: 'Do not run the script when this path (or glob) exists on the host; the task is then ok.' },
    removes: { type: 'str', description: 'Run the script only when this path (or glob) exists on the host.' },
    chdir: { type: 'str', description: 'Change into this directory on the host first.' },
    executable: { type: 'str', description: 'The program to run the script with (bash, python3), instead of running it directly (its #! line decides).' },
    decrypt: { type: 'bool', default: true, ignored: true, description: 'Accepted for Ansible playbooks; a vault-encrypted script is not decrypted by runbook.' },
  },
  freeForm: { arg: 'cmd', description: 'The script path and its arguments, optionally with creates=, removes=, chdir=, executable= words, which are taken out as Ansible does.' },
  examples: `- name: Seed the database once
  script: files/seed.sh --quick
  args:
    creates: /var/lib/app/seeded`,
  returns: { rc: 'Exit code.', stdout: 'Standard output.', stderr: 'Standard error.', stdout_lines: 'stdout split into lines.', stderr_lines: 'stderr split into lines.' },
  checkMode:
    'Not run in check mode: changed when creates/removes say it would run, ok when they say it would not, otherwise skipped (as Ansible does).',
});

export interface ScriptArgs {
  /** The script as written (a controller path). */
  path: string;
  /** Its arguments, as shell text. */
  params: string;
  cmd: string;
  creates?: string;
  removes?: string;
  chdir?: string;
  executable?: string;
}

const freeFormKeys = ['creates', 'removes', 'chdir', 'executable', 'decrypt'];

export function parseScriptArgs(raw: Record<string, unknown>, loc: ModuleContext['loc']): ScriptArgs {
  let merged = raw;
  if (typeof raw.cmd === 'string') {
    const { rest, options } = extractKeyValues(raw.cmd, freeFormKeys);
    merged = { ...options, ...raw, cmd: rest };
  }
  const { args, reader } = parseSpec('script', scriptSpec, merged, loc);
  const cmd = (args.cmd ?? '').trim();
  let words: string[];
  try {
    words = shlexSplit(cmd);
  } catch (err) {
    throw reader.error(`cannot split the command: ${(err as Error).message}`, 'check the quotes');
  }
  if (words.length === 0) throw reader.error('no script given', "write it as 'script: files/setup.sh --flag'");
  const path = words[0]!;
  // The arguments stay shell text, as Ansible hands them to the host's shell.
  const first = /^\s*(?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\])+/.exec(cmd);
  const params = cmd.slice(first ? first[0].length : cmd.length).trim();
  return { path, params, cmd, creates: args.creates, removes: args.removes, chdir: args.chdir, executable: args.executable };
}

function asCommand(a: ScriptArgs): CommandArgs {
  return { kind: 'shell', cmd: a.cmd, chdir: a.chdir, creates: a.creates, removes: a.removes, stdinAddNewline: false, stripEmptyEnds: false };
}

/** The step: the script arrives on stdin into a fresh private folder, runs, and the folder goes. */
export function scriptStep(a: ScriptArgs): string {
  const name = shQuote(basename(a.path) || 'script');
  const run = a.executable ? `${shQuote(a.executable)} "$d"/${name}` : `"$d"/${name}`;
  const cd = a.chdir !== undefined ? `cd -- ${shQuote(a.chdir)} || { rm -rf -- "$d"; exit 1; }\n` : '';
  return [
    'd=$(mktemp -d "${TMPDIR:-/tmp}/.runbook-script.XXXXXX") || exit 1',
    `cat > "$d"/${name} && chmod 700 "$d"/${name} || { rm -rf -- "$d"; exit 1; }`,
    `${cd}${run}${a.params ? ` ${a.params}` : ''} </dev/null`,
    'rc=$?',
    'rm -rf -- "$d"',
    'exit $rc',
  ].join('\n');
}

export function planScript(a: ScriptArgs, probe: Parameters<typeof planCommand>[1], content: Buffer): Plan {
  const decided = planCommand(asCommand(a), probe);
  // Not run (creates/removes), or chdir missing: command's answer stands.
  if (decided.failure || decided.steps.length === 0) return { ...decided, data: { ...decided.data, cmd: a.cmd } };
  return {
    ...decided,
    changes: [`run script: ${a.cmd}`],
    steps: [{ script: scriptStep(a), stdin: content, okCodes: Array.from({ length: 256 }, (_, i) => i) }],
    data: { cmd: a.cmd },
    afterApply: registerOutput({ cmd: a.cmd }),
  };
}

export const scriptModule: RemoteModule<ScriptArgs> = {
  kind: 'remote',
  name: 'script',
  ...specFields(scriptSpec),
  parse: (raw, loc) => parseScriptArgs(raw, loc),
  probe: (a) => commandProbe(asCommand(a)),
  // The file is read while planning, so a missing one fails the task (when: and ignore_errors apply).
  plan: (a, probe, ctx) => planScript(a, probe, ctx.readFile(a.path)),
};
