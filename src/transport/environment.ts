// A task's environment on the host without its values on any command line: `ps` shows every process's
// argv to every user, so the script only names the variables and reads their values from stdin, ahead of
// the module's own input. Ansible puts `NAME=value` on the command line; this is deliberately stricter.
import type { ExecOptions, ExecResult, Transport } from './types.js';
import type { Duplex } from 'node:stream';

/**
 * The script lines that set `names` from stdin, one line each, and the stdin that feeds them. `read`
 * takes a pipe byte by byte, so what follows the last line is still there for the module's script.
 * A value with a line break travels escaped for printf %b (backslash and newline only) and is decoded
 * in the shell; the x keeps a trailing newline, which $(...) would strip.
 */
export function environmentPreamble(env: Record<string, string>): { script: string; stdin: Buffer } {
  const lines: string[] = [];
  const input: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const fail = `{ echo 'runbook: the value of ${name} did not arrive on stdin' >&2; exit 125; }`;
    if (value.includes('\n')) {
      lines.push(`IFS= read -r __rb_env || ${fail}; ${name}=$(printf '%bx' "$__rb_env"); ${name}=\${${name}%x}; export ${name}`);
      input.push(value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n'));
    } else {
      lines.push(`IFS= read -r ${name} || ${fail}; export ${name}`);
      input.push(value);
    }
  }
  if (lines.some((l) => l.includes('__rb_env'))) lines.push('unset __rb_env');
  return { script: lines.join('\n'), stdin: Buffer.from(input.map((l) => `${l}\n`).join(''), 'utf8') };
}

/** Prepends the environment to a script and its stdin (the module's bytes follow the values). */
export function withEnvironmentScript(script: string, stdin: string | Buffer | undefined, env: Record<string, string>): { script: string; stdin: Buffer } {
  const pre = environmentPreamble(env);
  const rest = stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8');
  return { script: `${pre.script}\n${script}`, stdin: Buffer.concat([pre.stdin, rest]) };
}

/**
 * The same transport, every script run with `env` exported. The values are set inside the script that
 * sudo runs (become wraps what this returns), so sudo's env_reset does not drop them.
 */
export function withEnvironment(transport: Transport, env: Record<string, string>): Transport {
  if (Object.keys(env).length === 0) return transport;
  return {
    host: transport.host,
    exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
      const wrapped = withEnvironmentScript(script, options.stdin, env);
      return transport.exec(wrapped.script, { ...options, stdin: wrapped.stdin });
    },
    forward: (address: string, port: number): Promise<Duplex> => transport.forward(address, port),
    close: () => transport.close(),
  };
}
