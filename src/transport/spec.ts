// Turns Ansible's inventory connection variables into a ConnectionSpec, so existing inventories work unchanged.
import { homedir, userInfo } from 'node:os';
import { InputError } from '../core/errors.js';
import { toBecomeMethod } from '../playbook/keywords.js';
import type { Vars } from '../core/types.js';
import { parseProxyJump } from './jump.js';
import { parseSshArgs, type SshArgs } from './ssh-args.js';
import { lookupSshConfig, readSshConfig, type SshHostConfig } from './ssh-config.js';
import type { BecomeOptions, ConnectionSpec } from './types.js';

/** Connection settings from the command line and runbook.cfg; inventory variables override them, as in Ansible. */
export interface ConnectionDefaults {
  user?: string;
  privateKeyFile?: string;
  knownHostsFile?: string;
  /** --known-hosts: named on the command line, so it beats the inventory's ssh_known_hosts_file too. */
  knownHostsOverride?: string;
  hostKeyChecking?: boolean;
  timeoutMs?: number;
  password?: string;
  /** ssh client config to read; undefined means ~/.ssh/config (a -F in ansible_ssh_common_args wins). */
  sshConfigFile?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** ansible_connection values that all mean "OpenSSH-like SSH" to us. */
export const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']);
export const LOCAL_CONNECTIONS = new Set(['local', 'ansible.builtin.local']);

export function connectionSpecFor(host: string, vars: Vars, defaults: ConnectionDefaults = {}): ConnectionSpec {
  const connection = connectionKind(host, vars);
  // What ssh is asked to connect to; ~/.ssh/config's Host blocks match this name, as with `ssh NAME`.
  const target = str(host, vars, 'ansible_host', 'ansible_ssh_host') ?? host;
  const args = connection === 'ssh' ? sshArgs(host, vars) : {};
  const sshConfig = connection === 'ssh' ? readSshConfig(args.configFile ?? defaults.sshConfigFile) : undefined;
  const fromConfig: SshHostConfig = sshConfig ? lookupSshConfig(sshConfig, target) : {};
  const password = str(host, vars, 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password') ?? defaults.password;
  const privateKeyFile = str(host, vars, 'ansible_ssh_private_key_file', 'ansible_private_key_file') ?? defaults.privateKeyFile ?? fromConfig.identityFile;
  const knownHostsFile = defaults.knownHostsOverride ?? str(host, vars, 'ssh_known_hosts_file') ?? defaults.knownHostsFile;
  const checking = bool(host, vars, 'ansible_host_key_checking', 'ansible_ssh_host_key_checking') ?? defaults.hostKeyChecking ?? true;
  const spec: ConnectionSpec = {
    name: host,
    connection,
    address: fromConfig.hostName ?? target,
    port: port(host, vars) ?? fromConfig.port ?? 22,
    // As in Ansible, an explicit user (inventory, -u, runbook.cfg) goes before the ssh config's User.
    user: connection === 'local' ? currentUser() : (str(host, vars, 'ansible_user', 'ansible_ssh_user') ?? defaults.user ?? fromConfig.user ?? currentUser()),
    hostKeyChecking: checking,
    connectTimeoutMs: defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  if (privateKeyFile !== undefined) spec.privateKeyFile = expandHome(privateKeyFile);
  if (knownHostsFile !== undefined) spec.knownHostsFile = expandHome(knownHostsFile);
  if (password !== undefined) spec.password = password;
  const proxyJump = args.proxyJump ?? fromConfig.proxyJump;
  if (proxyJump !== undefined) {
    const jump = parseProxyJump(proxyJump, host, sshConfig, currentUser());
    if (jump.length > 0) spec.jump = jump;
  }
  return spec;
}

/** ProxyJump and -F from ansible_ssh_common_args and ansible_ssh_extra_args (the first one set wins). */
function sshArgs(host: string, vars: Vars): SshArgs {
  const out: SshArgs = {};
  for (const name of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const text = str(host, vars, name);
    if (text === undefined) continue;
    const parsed = parseSshArgs(text, host, name);
    out.proxyJump ??= parsed.proxyJump;
    out.configFile ??= parsed.configFile === undefined ? undefined : expandHome(parsed.configFile);
  }
  return out;
}

/**
 * Privilege escalation for one task on one host. `playBecome` is the effective `become:` keyword
 * (task > block > play); `ansible_become: true` in the inventory also turns it on.
 * Returns undefined when the task does not escalate.
 */
export function becomeFor(vars: Vars, playBecome: boolean, fallbackPassword?: string, below: BecomeDefaults = {}): BecomeOptions | undefined {
  const host = typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : '?';
  if (!playBecome && bool(host, vars, 'ansible_become', 'ansible_sudo') !== true) return undefined;
  const rawMethod = str(host, vars, 'ansible_become_method');
  const method = rawMethod !== undefined ? toBecomeMethod(rawMethod, undefined, `host ${host}: ansible_become_method`) : below.method;
  const become: BecomeOptions = { user: str(host, vars, 'ansible_become_user', 'ansible_sudo_user') ?? 'root' };
  const password = str(host, vars, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', ...(method === 'su' ? ['ansible_su_pass'] : [])) ?? fallbackPassword;
  if (password !== undefined) become.password = password;
  if (method === 'su') become.method = 'su';
  const flags = str(host, vars, 'ansible_become_flags', ...(method === 'su' ? ['ansible_su_flags'] : ['ansible_sudo_flags'])) ?? below.flags;
  if (flags !== undefined && flags.trim() !== '') become.flags = flags;
  if (method === 'su') {
    const prompts = promptList(host, vars.ansible_su_prompt_l10n);
    if (prompts) become.prompts = prompts;
  }
  return become;
}

/** What the play's keywords, or else ansible.cfg and the command line, say when the inventory does not. */
export interface BecomeDefaults {
  method?: 'sudo' | 'su';
  flags?: string;
}

/** ansible_su_prompt_l10n: a list, or a comma-separated string as an INI inventory gives it. */
function promptList(host: string, raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!list || !list.every((p) => typeof p === 'string')) {
    throw new InputError(`host ${host}: ansible_su_prompt_l10n must be a list of prompt words, got ${JSON.stringify(raw)}`);
  }
  const words = (list as string[]).map((p) => p.trim()).filter((p) => p !== '');
  return words.length > 0 ? words : undefined;
}

function connectionKind(host: string, vars: Vars): 'ssh' | 'local' {
  const kind = str(host, vars, 'ansible_connection');
  if (kind === undefined || SSH_CONNECTIONS.has(kind)) return 'ssh';
  if (LOCAL_CONNECTIONS.has(kind)) return 'local';
  throw new InputError(
    `host ${host}: ansible_connection '${kind}' is not supported`,
    undefined,
    "use 'ssh' (the default) or 'local'",
  );
}

function port(host: string, vars: Vars): number | undefined {
  const raw = first(vars, 'ansible_port', 'ansible_ssh_port');
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new InputError(`host ${host}: ansible_port must be a port number (1-65535), got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** First of several alias variables that is set; Ansible keeps old names (ansible_ssh_*) working. */
function first(vars: Vars, ...names: string[]): unknown {
  for (const name of names) {
    const v = vars[name];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function str(host: string, vars: Vars, ...names: string[]): string | undefined {
  const v = first(vars, ...names);
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new InputError(`host ${host}: ${names[0]} must be a string, got ${JSON.stringify(v)}`);
}

/** Booleans as Ansible reads them, including the strings an INI inventory produces. */
function bool(host: string, vars: Vars, ...names: string[]): boolean | undefined {
  const v = first(vars, ...names);
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['yes', 'true', 'on', '1', 'y', 't'].includes(s)) return true;
    if (['no', 'false', 'off', '0', 'n', 'f', ''].includes(s)) return false;
  }
  throw new InputError(`host ${host}: ${names[0]} must be a boolean (true/false, yes/no), got ${JSON.stringify(v)}`);
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'root';
  }
}
