// Reads the OpenSSH options Ansible users put in ansible_ssh_common_args / ansible_ssh_extra_args that runbook can honour.
import { InputError } from '../core/errors.js';

export interface SshArgs {
  /** -J HOSTS or -o ProxyJump=HOSTS. */
  proxyJump?: string;
  /** -F FILE: the ssh config to read instead of ~/.ssh/config. */
  configFile?: string;
}

/**
 * Extracts ProxyJump and -F from an ssh argument string. Other options are ignored (runbook has its own
 * settings for them); ProxyCommand is refused, because runbook does not run local commands to connect.
 */
export function parseSshArgs(text: string, host: string, variable: string): SshArgs {
  const words = shellWords(text, host, variable);
  const out: SshArgs = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const take = (flag: string): string => {
      if (w.length > flag.length) return w.slice(flag.length);
      const next = words[++i];
      if (next === undefined) throw new InputError(`host ${host}: ${variable}: ${flag} needs a value`);
      return next;
    };
    if (w.startsWith('-J')) out.proxyJump ??= take('-J');
    else if (w.startsWith('-F')) out.configFile ??= take('-F');
    else if (w.startsWith('-o')) {
      const option = take('-o');
      const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(option);
      if (!m) continue;
      const key = m[1]!.toLowerCase();
      if (key === 'proxyjump') out.proxyJump ??= m[2]!.trim();
      else if (key === 'proxycommand' && m[2]!.trim().toLowerCase() !== 'none') {
        throw new InputError(
          `host ${host}: ${variable} sets ProxyCommand, which runbook does not support`,
          undefined,
          'use -o ProxyJump=USER@BASTION (or -J) instead: runbook hops through the bastion itself',
        );
      }
    }
  }
  return out;
}

/** Splits like a POSIX shell would for plain words, single and double quotes, and backslashes; no expansion. */
export function shellWords(text: string, host: string, variable: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current = (current ?? '') + text[++i];
      else current = (current ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      current ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (quote) throw new InputError(`host ${host}: ${variable} has an unterminated ${quote} quote`);
  if (current !== undefined) words.push(current);
  return words;
}
