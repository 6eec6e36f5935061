// raw: a command line handed to the host's shell as it is: no probe, no creates/removes, always
// changed, as Ansible's raw (which exists for hosts without Python; runbook never needs Python).
import { shQuote } from '../../core/shell.js';
import { parseSpec } from '../lib/spec-parse.js';
import { extractKeyValues } from '../lib/shlex.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const rawSpec = defineSpec({
  description: "Runs a command line through the host's shell, as it is written: no chdir, creates or removes. Always reports changed (use changed_when:); not run in check mode.",
  args: {
    cmd: { type: 'str', required: true, requiredHint: "write it as 'raw: uptime'", description: 'The command line (the free-form text).' },
    executable: { type: 'str', description: 'The shell to run it with, instead of /bin/sh.' },
  },
  freeForm: { arg: 'cmd', description: 'The command line, optionally with an executable= word, which is taken out as Ansible does.' },
  examples: `- name: Bootstrap a host that lacks everything
  raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3)`,
  returns: { rc: 'Exit code.', stdout: 'Standard output.', stderr: 'Standard error.', stdout_lines: 'stdout split into lines.', stderr_lines: 'stderr split into lines.' },
  checkMode: 'Skipped in check mode: raw does not support check mode in Ansible either.',
});

export interface RawArgs {
  cmd: string;
  executable?: string;
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** rc, stdout, stderr and their lines, and "non-zero return code" as the failure: what raw and script register. */
export function registerOutput(extra: Record<string, unknown> = {}): NonNullable<Plan['afterApply']> {
  return (results) => {
    const r = results[results.length - 1];
    if (!r) return {};
    const data = { ...extra, rc: r.code, stdout: r.stdout, stderr: r.stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr) };
    if (r.code === null) return { data: { ...data, msg: 'killed by a signal' }, failed: 'the command was killed by a signal' };
    return r.code === 0 ? { data } : { data: { ...data, msg: 'non-zero return code' }, failed: 'non-zero return code' };
  };
}

const allCodes = Array.from({ length: 256 }, (_, i) => i);

export function planRaw(a: RawArgs): Plan {
  // Without stdin the command must not wait on the connection's open input.
  const script = `exec ${shQuote(a.executable ?? '/bin/sh')} -c ${shQuote(a.cmd)} </dev/null`;
  return { changes: [`run: ${a.cmd}`], steps: [{ script, okCodes: allCodes }], runsArbitraryCommand: true, afterApply: registerOutput() };
}

export const rawModule: RemoteModule<RawArgs> = {
  kind: 'remote',
  name: 'raw',
  ...specFields(rawSpec),
  parse(raw, loc) {
    let merged = raw;
    if (typeof raw.cmd === 'string' && /(^|\s)executable=/.test(raw.cmd)) {
      const { rest, options } = extractKeyValues(raw.cmd, ['executable']);
      merged = { ...options, ...raw, cmd: rest };
    }
    const { args, reader } = parseSpec('raw', rawSpec, merged, loc);
    if (args.cmd.trim() === '') throw reader.error('no command given', "write it as 'raw: uptime'");
    return { cmd: args.cmd, executable: args.executable };
  },
  // Nothing to read first: the command is the one round trip.
  probe: () => ({ script: '' }),
  plan: (a) => planRaw(a),
};
