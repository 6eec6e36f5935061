// synchronize: rsync between the controller and the host, as Ansible 2.14's synchronize does,
// over the task's own SSH settings (address, port, user, key, known_hosts) with the system's ssh.
// rsync runs on the controller with an argv (no shell); changed comes from its itemized output
// (--out-format '<<CHANGED>>%i ...'), and --check is rsync --dry-run. Without rsync on either side
// the task fails naming copy as the alternative.
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { BecomeOptions, ConnectionSpec } from '../../transport/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';

const archiveDefault = 'the value of archive';

export const synchronizeSpec = defineSpec({
  description: "Copies a folder tree between the controller and the host with rsync (push: controller to host; pull: host to controller), over the task's own SSH settings. Needs rsync on both sides.",
  args: {
    src: { type: 'str', required: true, description: "Push: a path on the controller (relative: the role's files/, then beside the playbook); pull: a path on the host. A trailing '/' copies the folder's contents, as rsync does." },
    dest: { type: 'str', required: true, description: 'Push: the path on the host; pull: the path on the controller (relative: beside the playbook).' },
    mode: { type: 'str', choices: ['push', 'pull'], default: 'push', description: 'push: controller to host; pull: host to controller.' },
    dest_port: { type: 'int', min: 1, max: 65535, description: "The host's SSH port, instead of the task's connection port (ansible_port)." },
    archive: { type: 'bool', default: true, description: 'rsync --archive: recursive, links, permissions, times, owner, group (and devices).' },
    recursive: { type: 'bool', defaultText: archiveDefault, description: 'Descend into folders.' },
    links: { type: 'bool', defaultText: archiveDefault, description: 'Copy symbolic links as links.' },
    copy_links: { type: 'bool', default: false, description: 'Copy what symbolic links point to instead of the links.' },
    perms: { type: 'bool', defaultText: archiveDefault, description: 'Keep permissions.' },
    times: { type: 'bool', defaultText: archiveDefault, description: 'Keep modification times.' },
    owner: { type: 'bool', defaultText: archiveDefault, description: 'Keep the owner (needs root on the receiving side).' },
    group: { type: 'bool', defaultText: archiveDefault, description: 'Keep the group.' },
    dirs: { type: 'bool', default: false, description: 'Transfer folders without recursing (rsync --dirs).' },
    checksum: { type: 'bool', default: false, description: 'Compare files by checksum, not by time and size.' },
    compress: { type: 'bool', default: true, description: 'Compress data on the wire.' },
    existing_only: { type: 'bool', default: false, description: 'Only update files that already exist on the receiving side.' },
    delete: { type: 'bool', default: false, description: 'Delete files on the receiving side that are not in src (rsync --delete-after); needs recursive.' },
    partial: { type: 'bool', default: false, description: 'Keep partially transferred files, so a later run resumes them.' },
    delay_updates: { type: 'bool', default: true, description: 'Put all updated files in place at the end (rsync --delay-updates).' },
    rsync_path: { type: 'str', description: "The rsync command on the host ('sudo rsync'); with become it is 'sudo -n -u BECOME_USER rsync' unless given." },
    rsync_timeout: { type: 'int', default: 0, description: 'rsync --timeout in seconds (0: none).' },
    rsync_opts: { type: 'list', default: [], description: "More rsync options, each one argument ('--exclude=.git'); a text is one option, never split on commas." },
    link_dest: { type: 'list', description: 'Hard-link unchanged files from these folders on the receiving side (rsync --link-dest).' },
    set_remote_user: { type: 'bool', default: true, description: "Log in as the task's user (user@host); false lets ssh pick the user (~/.ssh/config)." },
    private_key: { type: 'str', description: "The SSH key to log in with, instead of the task's (ansible_ssh_private_key_file)." },
    verify_host: { type: 'bool', ignored: true, description: "Accepted for Ansible playbooks and ignored: the host key is always checked as the task's connection checks it (known_hosts, host_key_checking)." },
    use_ssh_args: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: the connection settings runbook reads are used.' },
    ssh_connection_multiplexing: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: rsync always opens its own SSH connection.' },
  },
  examples: `- name: Publish the site
  synchronize:
    src: site/
    dest: /var/www/site/
    delete: yes
    rsync_opts:
      - --exclude=.git

- name: Bring the logs back
  synchronize:
    mode: pull
    src: /var/log/app/
    dest: logs/{{ inventory_hostname }}/`,
  returns: {
    cmd: 'The rsync command line that ran.',
    msg: "rsync's itemized output (the changed marker removed).",
    stdout_lines: 'The same, one line per item.',
    rc: "rsync's exit status.",
  },
  checkMode: 'rsync --dry-run: reports what would change and changes nothing.',
});

export type SynchronizeArgs = ArgsOf<typeof synchronizeSpec>;

export function parseSynchronizeArgs(raw: Record<string, unknown>, loc: SourceLoc): SynchronizeArgs {
  const { args, reader } = parseSpec('synchronize', synchronizeSpec, raw, loc);
  const recursive = args.recursive ?? args.archive;
  if (args.delete && !recursive) throw reader.error('delete: yes needs recursive (or archive)', 'rsync deletes only inside folders it recurses into');
  if (args.src === '' || args.dest === '') throw reader.error('src and dest must not be empty');
  return args;
}

export const CHANGED_MARKER = '<<CHANGED>>';

/** Words for rsync's own -e parser: spaces separate, single quotes keep a word whole (no backslashes). */
function rshWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (word.includes("'")) throw new SyncError(`'${word}' holds a single quote, which rsync's --rsh cannot pass`);
  return `'${word}'`;
}

/** A setting rsync cannot be given; the message says what to do instead. */
export class SyncError extends Error {
  constructor(what: string, hint?: string) {
    super(hint ? `${what}: ${hint}` : what);
  }
}

/** The ssh command rsync runs, from the task's connection: port, key, known_hosts, never a prompt. */
export function sshCommand(conn: ConnectionSpec, a: Pick<SynchronizeArgs, 'dest_port' | 'private_key'>): string {
  if (conn.jump?.length) throw new SyncError('synchronize does not go through ProxyJump bastions', 'use copy, or run rsync on the bastion with command');
  const key = a.private_key ?? conn.privateKeyFile;
  if (conn.password !== undefined && key === undefined) {
    throw new SyncError("synchronize logs in with SSH keys (or the ssh agent) only, and this host's connection uses a password", 'give ansible_ssh_private_key_file (or private_key), or use copy');
  }
  const words = ['ssh', '-S', 'none', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.max(1, Math.ceil(conn.connectTimeoutMs / 1000))}`, '-o', `Port=${a.dest_port ?? conn.port}`];
  if (key !== undefined) words.push('-i', key, '-o', 'IdentitiesOnly=yes');
  if (!conn.hostKeyChecking) words.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
  else {
    words.push('-o', 'StrictHostKeyChecking=yes');
    if (conn.knownHostsFile !== undefined) words.push('-o', `UserKnownHostsFile=${conn.knownHostsFile}`);
  }
  return words.map(rshWord).join(' ');
}

/** 'user@address:path' (an IPv6 address in brackets). */
function remoteSpec(conn: ConnectionSpec, a: SynchronizeArgs, path: string): string {
  const address = conn.address.includes(':') ? `[${conn.address}]` : conn.address;
  return `${a.set_remote_user ? `${conn.user}@` : ''}${address}:${path}`;
}

/** The command on the host: rsync_path, or rsync under sudo when the task becomes another user. */
function rsyncPath(a: SynchronizeArgs, become: BecomeOptions | undefined): string | undefined {
  if (a.rsync_path !== undefined) return a.rsync_path;
  if (!become) return undefined;
  if (become.password !== undefined) throw new SyncError('synchronize cannot give a sudo password to rsync on the host', 'allow passwordless sudo for rsync, or set rsync_path');
  const user = become.user ?? 'root';
  return user === 'root' ? 'sudo -n rsync' : `sudo -n -u ${shQuote(user)} rsync`;
}

export interface SyncPlan {
  argv: string[];
  /** What to show as cmd: the argv quoted for a shell. */
  cmd: string;
}

/** rsync's argv, in the order Ansible builds it; `src` and `dest` are already local or remote as the mode says. */
export function rsyncArgv(a: SynchronizeArgs, conn: ConnectionSpec, o: { check: boolean; become?: BecomeOptions; localSrc: string; localDest: string }): SyncPlan {
  const argv = ['--delay-updates', '-F'];
  if (!a.delay_updates) argv.shift();
  if (a.compress) argv.push('--compress');
  if (a.rsync_timeout) argv.push(`--timeout=${a.rsync_timeout}`);
  if (o.check) argv.push('--dry-run');
  if (a.delete) argv.push('--delete-after');
  if (a.existing_only) argv.push('--existing');
  if (a.checksum) argv.push('--checksum');
  const parts: Array<[keyof SynchronizeArgs, string]> = [['recursive', 'recursive'], ['links', 'links'], ['perms', 'perms'], ['times', 'times'], ['owner', 'owner'], ['group', 'group']];
  if (a.archive) {
    argv.push('--archive');
    for (const [name, flag] of parts) if (a[name] === false) argv.push(`--no-${flag}`);
  } else {
    for (const [name, flag] of parts) if (a[name] === true) argv.push(`--${flag}`);
  }
  if (a.dirs) argv.push('--dirs');
  if (a.copy_links) argv.push('--copy-links');
  if (a.partial) argv.push('--partial');
  for (const d of a.link_dest ?? []) argv.push(`--link-dest=${d}`);
  const local = conn.connection === 'local';
  if (!local) argv.push(`--rsh=${sshCommand(conn, a)}`);
  const path = rsyncPath(a, o.become);
  if (path !== undefined) argv.push(`--rsync-path=${path}`);
  argv.push(...a.rsync_opts);
  argv.push(`--out-format=${CHANGED_MARKER}%i %n%L`);
  const remote = (p: string): string => (local ? p : remoteSpec(conn, a, p));
  if (a.mode === 'push') argv.push(o.localSrc, remote(a.dest));
  else argv.push(remote(a.src), o.localDest);
  return { argv, cmd: ['rsync', ...argv].map(shQuote).join(' ') };
}

export interface RsyncResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The rsync program was not found on the controller. */
  missing?: boolean;
}

export function runRsync(program: string, argv: string[], signal?: AbortSignal): Promise<RsyncResult> {
  return new Promise((done) => {
    const child = spawn(program, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => done({ code: null, stdout, stderr: err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export const NO_RSYNC_CONTROLLER = 'synchronize needs rsync on the controller, and it is not installed there: install it (apt-get install rsync), or use the copy module to send files instead';
export const noRsyncHost = (host: string): string =>
  `synchronize needs rsync on the host ${host}, and it is not installed there: install it first (apt: name=rsync), or use the copy module to send files instead`;

/** Turns rsync's itemized output into the result Ansible registers. */
export function syncOutcome(r: RsyncResult, cmd: string): ActionOutcome {
  if (r.code !== 0) return { changed: false, failed: r.stderr.trim() || `rsync failed with exit code ${r.code}`, data: { rc: r.code, cmd } };
  const changed = r.stdout.includes(CHANGED_MARKER);
  const clean = r.stdout.split(CHANGED_MARKER).join('');
  return { changed, msg: clean, data: { rc: 0, cmd, stdout_lines: clean.split('\n').filter((l) => l !== '') } };
}

export interface SyncDeps {
  /** The rsync program on the controller (tests name one that is missing). */
  rsync?: string;
}

export async function runSynchronize(a: SynchronizeArgs, ctx: ActionContext, deps: SyncDeps = {}): Promise<ActionOutcome> {
  const program = deps.rsync ?? 'rsync';
  const conn = ctx.connection;
  if (!conn) return { changed: false, failed: 'synchronize needs the connection settings of the task, which this run did not give' };
  // Both ends checked before anything moves, so the message says which side lacks rsync.
  const version = await runRsync(program, ['--version'], ctx.signal);
  if (version.missing) return { changed: false, failed: NO_RSYNC_CONTROLLER };
  if (a.rsync_path === undefined) {
    const probe = await ctx.transport.exec('command -v rsync >/dev/null 2>&1 && echo yes || echo no', { signal: ctx.signal });
    if (probe.stdout.trim() !== 'yes') return { changed: false, failed: noRsyncHost(ctx.host) };
  }
  const base = ctx.playbookDir ?? process.cwd();
  const slash = (from: string, to: string): string => (from.endsWith('/') && !to.endsWith('/') ? `${to}/` : to);
  let plan: SyncPlan;
  try {
    const localSrc = a.mode === 'push' ? (isAbsolute(a.src) ? a.src : slash(a.src, ctx.findFile ? ctx.findFile(a.src.replace(/\/+$/, '') || '.') : resolve(base, a.src))) : '';
    const localDest = a.mode === 'pull' ? (isAbsolute(a.dest) ? a.dest : slash(a.dest, resolve(base, a.dest))) : '';
    plan = rsyncArgv(a, conn, { check: ctx.check, become: ctx.become, localSrc, localDest });
  } catch (err) {
    if (err instanceof SyncError) return { changed: false, failed: err.message };
    throw err;
  }
  const r = await runRsync(program, plan.argv, ctx.signal);
  if (r.missing) return { changed: false, failed: NO_RSYNC_CONTROLLER };
  return syncOutcome(r, plan.cmd);
}

export const synchronizeModule: ActionModule<SynchronizeArgs> = {
  kind: 'action',
  name: 'synchronize',
  checkMode: 'run',
  ...specFields(synchronizeSpec),
  parse: parseSynchronizeArgs,
  run: (a, ctx) => runSynchronize(a, ctx),
};
