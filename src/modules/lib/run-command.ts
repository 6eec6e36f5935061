// What command and shell share: Ansible's free-form options, the creates/removes probe, and the
// registered result (rc, stdout, stderr, *_lines) with "non-zero return code" as the failure.
import { posix } from 'node:path';
import type { SourceLoc } from '../../core/types.js';
import { shJoin, shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { Plan, RemoteCommand } from '../types.js';
import type { ArgSpec, ModuleSpec } from '../spec.js';
import { ArgReader } from './args.js';
import { keyValues, parseSections, sectionsScript } from './sections.js';
import { HostExpansion } from './expand-vars.js';
import { extractKeyValues, shlexSplit } from './shlex.js';
import { parseSpec } from './spec-parse.js';

export const cmdArg = { type: 'str', description: 'The command line (the same as the free-form text).' } as const satisfies ArgSpec;

/** The arguments command and shell share besides cmd, for their specs. */
export const commandSpecArgs = {
  chdir: { type: 'str', description: 'Change into this directory first ($VAR and a leading ~ are expanded on the host).' },
  creates: {
    type: 'str',
    description: "Skip the command when this path (or glob) already exists (the command then reports ok, not changed); $VAR and a leading ~ are expanded on the host, so ~/.profile is the remote user's.",
  },
  removes: { type: 'str', description: 'Run the command only when this path (or glob) exists; $VAR and a leading ~ are expanded on the host.' },
  stdin: { type: 'str', description: 'Text given to the command on its standard input (the place for secrets).' },
  stdin_add_newline: { type: 'bool', default: true, description: 'End stdin with a newline.' },
  strip_empty_ends: { type: 'bool', default: true, description: 'Strip empty lines at the end of stdout and stderr in the result.' },
} as const satisfies Record<string, ArgSpec>;

export const commandReturns = {
  cmd: 'The command that ran (a string, or the argv list).',
  rc: 'Exit code.',
  stdout: 'Standard output (empty ends stripped unless strip_empty_ends: false).',
  stderr: 'Standard error.',
  stdout_lines: 'stdout split into lines.',
  stderr_lines: 'stderr split into lines.',
};
export const commandCheckMode =
  'Not run in check mode (runbook cannot know what an arbitrary command would change): skipped, or changed when creates:/removes: say it would run, ok when they say it would not. Registers rc 0 and empty stdout/stderr when not run, as Ansible does.';

export interface CommandArgs {
  kind: 'command' | 'shell';
  /** shell: the script; command: the words, for display and `cmd` in the result. */
  cmd: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdinAddNewline: boolean;
  stripEmptyEnds: boolean;
  executable?: string;
}

const freeFormKeys = ['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'warn'];
const allCodes = Array.from({ length: 256 }, (_, i) => i);

export function parseCommandArgs(kind: 'command' | 'shell', spec: ModuleSpec, raw: Record<string, unknown>, loc: SourceLoc): CommandArgs {
  let merged = raw;
  if (typeof raw.cmd === 'string') {
    let extracted;
    try {
      extracted = extractKeyValues(raw.cmd, freeFormKeys);
    } catch (err) {
      throw new ArgReader(kind, {}, loc).error(`cannot split the command: ${(err as Error).message}`, 'check the quotes');
    }
    // Ansible's free-form options the module has no use for (warn, command's executable) are dropped, as Ansible ignores them.
    const options = Object.fromEntries(Object.entries(extracted.options).filter(([k]) => k in spec.args));
    merged = { ...options, ...raw, cmd: extracted.rest };
  }
  const args = parseSpec(kind, spec, merged, loc).reader;
  let argv = args.has('argv') ? args.list('argv') : undefined;
  let cmd = args.str('cmd') ?? '';
  if (kind === 'command') {
    if (argv === undefined) {
      try {
        argv = shlexSplit(cmd);
      } catch (err) {
        throw args.error(`cannot split the command: ${(err as Error).message}`, 'check the quotes');
      }
    } else cmd = shJoin(argv);
    if (argv.length === 0) throw args.error('no command given', `write it as '${kind}: ls -l' or give cmd:`);
  } else if (cmd.trim() === '') throw args.error('no command given', `write it as '${kind}: ls -l' or give cmd:`);
  return {
    kind,
    cmd,
    argv,
    chdir: args.str('chdir'),
    creates: args.str('creates'),
    removes: args.str('removes'),
    stdin: args.str('stdin'),
    stdinAddNewline: args.bool('stdin_add_newline', true),
    stripEmptyEnds: args.bool('strip_empty_ends', true),
    executable: kind === 'shell' ? args.str('executable') : undefined,
  };
}

/** creates: /etc/ssl/*.pem works like Ansible's glob (after $VAR and ~ are expanded, as for a path argument). */
function existsAny(x: HostExpansion, key: string, pattern: string): string {
  return `${key}=0; for f in ${x.word(pattern, { globs: true })}; do if [ -e "$f" ] || [ -L "$f" ]; then ${key}=1; break; fi; done; echo ${key}=$${key}`;
}

/** chdir, like creates/removes, is a path argument: $VAR and ~ are expanded. */
function cdLine(x: HostExpansion, a: CommandArgs, then: string, otherwise: string): string {
  return `if cd -- ${x.word(a.chdir!)} 2>/dev/null; then ${then}; else ${otherwise}; fi`;
}

function needsProbe(a: CommandArgs): boolean {
  return a.chdir !== undefined || a.creates !== undefined || a.removes !== undefined;
}

export function commandProbe(a: CommandArgs): RemoteCommand {
  // Nothing to check first: no probe, so the command costs one round trip (its own).
  if (!needsProbe(a)) return { script: '' };
  const x = new HostExpansion();
  const lines: string[] = [];
  // creates/removes are relative to chdir, as in Ansible.
  if (a.chdir !== undefined) lines.push(cdLine(x, a, 'echo chdir=1', 'echo chdir=0'));
  if (a.creates !== undefined) lines.push(existsAny(x, 'creates', a.creates));
  if (a.removes !== undefined) lines.push(existsAny(x, 'removes', a.removes));
  return { script: sectionsScript({ paths: [x.preamble(), ...lines].filter((l) => l !== '').join('\n') }) };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

function notRun(a: CommandArgs, why: string, path: string): Plan {
  const data = { cmd: a.argv ?? a.cmd, rc: 0, stdout: `skipped, since ${path} ${why}`, stderr: '', stdout_lines: [`skipped, since ${path} ${why}`], stderr_lines: [], msg: `Did not run command since '${path}' ${why}` };
  return { changes: [], steps: [], data };
}

/** The path a command guarded by `creates` makes, when it names one absolute path (no glob, no variable). */
function createdPath(a: CommandArgs): Pick<Plan, 'provides'> {
  const literal = (p: string | undefined) => p !== undefined && !/[*?[$~]/.test(p);
  if (!literal(a.creates)) return {};
  const path = a.creates!.startsWith('/') ? a.creates! : literal(a.chdir) && a.chdir!.startsWith('/') ? posix.join(a.chdir!, a.creates!) : undefined;
  return path ? { provides: [{ kind: 'path', path }] } : {};
}

export function planCommand(a: CommandArgs, probe: ExecResult): Plan {
  const parsed: ReturnType<typeof parseSections> = needsProbe(a) ? parseSections(probe) : { sections: {} };
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const kv = keyValues(parsed.sections.paths);
  if (kv.chdir === '0') {
    // An earlier task (a package, a git checkout) may be what creates the directory.
    return { changes: [], steps: [], runsArbitraryCommand: true, data: { cmd: a.argv ?? a.cmd }, failure: { msg: `Unable to change directory before execution: ${a.chdir} does not exist`, needs: [{ kind: 'path', path: a.chdir! }] } };
  }
  if (a.creates !== undefined && kv.creates === '1') return notRun(a, 'exists', a.creates);
  if (a.removes !== undefined && kv.removes !== '1') return notRun(a, 'does not exist', a.removes);

  // command's argv is expanded as Ansible's run_command expands it; shell leaves that to the shell.
  const x = new HostExpansion();
  const cd = a.chdir !== undefined ? `cd -- ${x.word(a.chdir)} || exit 1\n` : '';
  const input = a.stdin !== undefined ? `${a.stdin}${a.stdinAddNewline ? '\n' : ''}` : undefined;
  // Without stdin the command must not wait on the connection's open input.
  const redirect = input === undefined ? ' </dev/null' : '';
  const run = a.kind === 'command' ? `exec ${a.argv!.map((w) => x.word(w)).join(' ')}${redirect}` : `exec ${shQuote(a.executable ?? '/bin/sh')} -c ${shQuote(a.cmd)}${redirect}`;
  const preamble = x.preamble();
  const strip = (s: string) => (a.stripEmptyEnds ? s.replace(/[\r\n]+$/, '') : s);
  return {
    changes: [`run: ${a.cmd}`],
    steps: [{ script: `${preamble ? `${preamble}\n` : ''}${cd}${run}`, stdin: input, okCodes: allCodes }],
    runsArbitraryCommand: true,
    runDecided: a.creates !== undefined || a.removes !== undefined,
    // A command guarded by `creates` makes that path (its contract with the user): later tasks may rely on it.
    ...createdPath(a),
    data: { cmd: a.argv ?? a.cmd },
    afterApply(results) {
      const r = results[results.length - 1];
      if (!r) return {};
      const stdout = strip(r.stdout);
      const stderr = strip(r.stderr);
      const data = { cmd: a.argv ?? a.cmd, rc: r.code, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr), msg: '' };
      if (r.code === null) return { data: { ...data, msg: 'killed by a signal' }, failed: 'the command was killed by a signal' };
      return r.code === 0 ? { data } : { data: { ...data, msg: 'non-zero return code' }, failed: 'non-zero return code' };
    },
  };
}
