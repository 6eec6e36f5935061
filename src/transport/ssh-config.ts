// Reads OpenSSH's client config (~/.ssh/config) for the few keywords runbook honours, so fleets set up for `ssh` work unchanged.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

/** What one host name gets from the config; OpenSSH's rule: the first value found for a keyword wins. */
export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
}

interface Block {
  /** Host patterns of the block; empty for the lines before the first Host (they apply to every host). */
  patterns: string[];
  settings: [keyword: string, value: string, line: number][];
}

export interface SshConfig {
  file: string;
  blocks: Block[];
}

const KEYWORDS = new Set(['hostname', 'user', 'port', 'identityfile', 'proxyjump']);

/** Parses the text of an ssh config; keywords runbook has no use for are skipped, as are Match blocks (not supported). */
export function parseSshConfig(text: string, file: string): SshConfig {
  const blocks: Block[] = [{ patterns: [], settings: [] }];
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) return;
    const keyword = m[1]!.toLowerCase();
    const value = unquote(m[2]!.trim());
    if (keyword === 'host') {
      skipping = false;
      blocks.push({ patterns: value.split(/\s+/).filter(Boolean), settings: [] });
      return;
    }
    if (keyword === 'match') {
      // A Match block's conditions (exec, user, ...) are not evaluated: never apply its settings.
      skipping = true;
      return;
    }
    if (skipping || !KEYWORDS.has(keyword)) return;
    blocks[blocks.length - 1]!.settings.push([keyword, value, i + 1]);
  });
  return { file, blocks };
}

/** The settings that apply to `host` (the name given to ssh: ansible_host, or the inventory name). */
export function lookupSshConfig(config: SshConfig, host: string): SshHostConfig {
  const found: SshHostConfig = {};
  for (const block of config.blocks) {
    if (block.patterns.length > 0 && !hostMatches(block.patterns, host)) continue;
    for (const [keyword, value, line] of block.settings) {
      switch (keyword) {
        case 'hostname':
          found.hostName ??= value.replace(/%h/g, host);
          break;
        case 'user':
          found.user ??= value;
          break;
        case 'port':
          if (found.port === undefined) {
            const n = Number(value);
            if (!Number.isInteger(n) || n < 1 || n > 65535) {
              throw new InputError(`ssh config: Port must be a port number (1-65535), got '${value}'`, { file: config.file, line, col: 1 });
            }
            found.port = n;
          }
          break;
        case 'identityfile':
          found.identityFile ??= expandHome(value);
          break;
        case 'proxyjump':
          found.proxyJump ??= value;
          break;
      }
    }
  }
  return found;
}

/** OpenSSH's pattern list: `*` and `?` wildcards, `!pattern` excludes (and wins over any positive match). */
export function hostMatches(patterns: readonly string[], host: string): boolean {
  let matched = false;
  for (const p of patterns.flatMap((x) => x.split(','))) {
    const negated = p.startsWith('!');
    const glob = negated ? p.slice(1) : p;
    const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (re.test(host)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

const cache = new Map<string, SshConfig | undefined>();

/**
 * The ssh config at `file` (default ~/.ssh/config), read once per run. A missing default file is
 * simply no config; a missing file the user named (-F) is an input error.
 */
export function readSshConfig(file?: string): SshConfig | undefined {
  const path = file ?? join(homedir(), '.ssh', 'config');
  if (cache.has(path)) return cache.get(path);
  let config: SshConfig | undefined;
  try {
    config = parseSshConfig(readFileSync(path, 'utf8'), path);
  } catch (err) {
    if (file !== undefined) {
      throw new InputError(`cannot read the ssh config ${path}: ${(err as Error).message}`, undefined, 'check the -F option in ansible_ssh_common_args');
    }
    config = undefined;
  }
  cache.set(path, config);
  return config;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}
