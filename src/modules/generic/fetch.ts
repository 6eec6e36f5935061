// fetch: copies a file from the host to the controller, as Ansible 2.14's fetch does: into
// DEST/INVENTORY_HOSTNAME/SRC_PATH, or straight to dest with flat. One round trip decides and
// carries the bytes: the host gets the local copy's sha1 and sends the file only when its own
// differs. On the controller nothing lands outside dest and no link below it is followed
// (lib/controller-write.ts), whatever the src or the inventory name says.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { shQuote } from '../../core/shell.js';
import { ControllerPathError, containedParts, enterBelow, readRegular, writeAtomic } from '../lib/controller-write.js';
import { keyValues } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';

export const fetchSpec = defineSpec({
  description: "Copies a file from the host to the controller: into DEST/HOSTNAME/SRC_PATH for each host, or to dest itself with flat.",
  args: {
    src: { type: 'str', required: true, description: "The file on the host (a directory is refused). A leading '~' is the connecting user's home." },
    dest: { type: 'str', required: true, description: "A folder on the controller (relative: beside the playbook). The file lands in DEST/INVENTORY_HOSTNAME/SRC_PATH; with flat, dest is the file itself, or the folder for it when it ends with '/'." },
    flat: { type: 'bool', default: false, description: "Write to dest itself instead of the per-host layout (dest ending in '/': the folder, with src's file name)." },
    fail_on_missing: { type: 'bool', default: true, description: 'Fail when src does not exist (or is a directory); without it the task only says so.' },
    validate_checksum: { type: 'bool', default: true, description: "Check the bytes that arrived against the host's sha1 before writing them." },
  },
  examples: `- name: Bring each host's config back for review
  fetch:
    src: /etc/app/app.conf
    dest: collected/
  # -> collected/web1/etc/app/app.conf, collected/web2/etc/app/app.conf

- name: One file to a fixed place
  fetch:
    src: /root/report.txt
    dest: reports/{{ inventory_hostname }}.txt
    flat: yes`,
  returns: {
    file: 'The source path on the host.',
    dest: 'Where the file is on the controller.',
    checksum: 'sha1 of the local copy.',
    md5sum: 'md5 of the local copy.',
    remote_checksum: "sha1 of the host's file (when it was transferred).",
    remote_md5sum: 'Always null, as in Ansible.',
  },
});

export type FetchArgs = ArgsOf<typeof fetchSpec>;

/** What the host script said. */
export interface RemoteRead {
  state: 'ok' | 'missing' | 'dir' | 'unreadable' | 'error';
  /** src with a leading ~ expanded, as the host's shell saw it. */
  path?: string;
  sha1?: string;
  /** The bytes, when the host sent them (its sha1 differed from the one given). */
  data?: Buffer;
  error?: string;
}

/**
 * The one read on the host. `known`: the local copy's sha1 (the file is sent only when the host's
 * differs), 'none' (there is no local copy: send it), or 'skip' (sha1 only: check mode, or the
 * local path is not known yet because src starts with ~).
 */
export function fetchScript(src: string, known: string): string {
  const p = src === '~' ? '"$HOME"' : src.startsWith('~/') ? `"$HOME"/${shQuote(src.slice(2))}` : shQuote(src);
  return [
    `p=${p}`,
    `printf 'path=%s\\n' "$p"`,
    `if [ -d "$p" ]; then echo state=dir`,
    `elif [ ! -e "$p" ]; then echo state=missing`,
    `elif [ ! -r "$p" ]; then echo state=unreadable`,
    `else`,
    `  s=$(sha1sum < "$p") || exit 1`,
    `  s=\${s%% *}`,
    `  printf 'state=ok\\nsha1=%s\\n' "$s"`,
    `  if [ ${shQuote(known)} != skip ] && [ "$s" != ${shQuote(known)} ]; then echo data; base64 -w 0 < "$p" || exit 1; fi`,
    `fi`,
  ].join('\n');
}

export function parseRemoteRead(stdout: string, stderr: string, code: number | null): RemoteRead {
  const at = stdout.indexOf('\ndata\n');
  const head = keyValues(at < 0 ? stdout : stdout.slice(0, at));
  if (code !== 0) return { state: 'error', error: stderr.trim() || `exit code ${code}` };
  const state = head.state as RemoteRead['state'] | undefined;
  if (!state || !['ok', 'missing', 'dir', 'unreadable'].includes(state)) return { state: 'error', error: `unexpected answer from the host: ${stdout.slice(0, 200)}` };
  const out: RemoteRead = { state, path: head.path };
  if (head.sha1) out.sha1 = head.sha1;
  if (at >= 0) out.data = Buffer.from(stdout.slice(at + 6).trim(), 'base64');
  return out;
}

/** Where the local copy goes: the folder the task chose, the folders below it (each checked), the file name. */
export interface LocalTarget {
  root: string;
  dirs: string[];
  name: string;
}

const SAFE_HOST = /^[^/\0]+$/;

/** Ansible's layout, refusing whatever would leave dest (a '..' in src, a host name with '/' or '..'). */
export function localTarget(a: FetchArgs, remotePath: string, host: string, baseDir: string): LocalTarget {
  const dest = isAbsolute(a.dest) ? a.dest : resolve(baseDir, a.dest);
  if (a.flat) {
    if (a.dest.endsWith('/')) {
      const name = posix.basename(remotePath);
      if (!name || name === '.' || name === '..') throw new ControllerPathError(`src '${remotePath}' has no file name to fetch into ${a.dest}`);
      return { root: dest, dirs: [], name };
    }
    return { root: posix.dirname(dest), dirs: [], name: posix.basename(dest) };
  }
  if (!SAFE_HOST.test(host) || host === '.' || host === '..') throw new ControllerPathError(`the inventory name '${host}' cannot be a folder name under ${a.dest}`);
  if (remotePath.split('/').includes('..')) throw new ControllerPathError(`src '${remotePath}' has a '..' component: refused, so that nothing lands outside ${join(a.dest, host)}`);
  const parts = containedParts(remotePath);
  return { root: dest, dirs: [host, ...parts.slice(0, -1)], name: parts[parts.length - 1]! };
}

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

export async function runFetch(a: FetchArgs, ctx: ActionContext): Promise<ActionOutcome> {
  const exec = async (known: string): Promise<RemoteRead> => {
    const r = await ctx.transport.exec(fetchScript(a.src, known), { become: ctx.become, signal: ctx.signal });
    return parseRemoteRead(r.stdout, r.stderr, r.code);
  };
  const base = ctx.playbookDir ?? process.cwd();
  const targetFor = (remotePath: string): LocalTarget => localTarget(a, remotePath, ctx.host, base);
  // A path known without asking the host: the local copy's sha1 goes with the one read.
  let target: LocalTarget | undefined;
  let local: Buffer | undefined;
  try {
    if (a.flat && !a.dest.endsWith('/')) {
      const dest = isAbsolute(a.dest) ? a.dest : resolve(base, a.dest);
      if (statSync(dest, { throwIfNoEntry: false })?.isDirectory()) {
        return { changed: false, failed: 'dest is an existing directory, use a trailing slash if you want to fetch src into that directory' };
      }
    }
    if (!a.src.startsWith('~')) {
      target = targetFor(a.src);
      local = readRegular(join(target.root, ...target.dirs, target.name));
    }
  } catch (err) {
    if (err instanceof ControllerPathError) return { changed: false, failed: `Detected directory traversal: ${err.message}`, data: { file: a.src } };
    throw err;
  }
  const known = ctx.check || target === undefined ? 'skip' : local ? sha1(local) : 'none';
  let read = await exec(known);
  // Ansible's words: a missing file says "not transferring, ignored" even when it fails the task.
  const notThere = (msg: string, ignored: string): ActionOutcome =>
    a.fail_on_missing ? { changed: false, failed: msg, data: { file: a.src } } : { changed: false, msg: ignored, data: { file: a.src } };
  if (read.state === 'error') return { changed: false, failed: `could not read ${a.src} on the host: ${read.error}`, data: { file: a.src } };
  const gone = 'the remote file does not exist, not transferring, ignored';
  // --check: a file an earlier task would create is not there yet; Ansible 2.14 skips fetch in check mode.
  if (read.state === 'missing' && ctx.check) return { changed: false, skipped: `check mode: ${a.src} is not on the host (yet), so there is nothing to fetch`, data: { file: a.src } };
  if (read.state === 'missing') return notThere(gone, gone);
  const isDir = 'remote file is a directory, fetch cannot work on directories';
  if (read.state === 'dir') return notThere(isDir, `${isDir}, not transferring, ignored`);
  if (read.state === 'unreadable') return { changed: false, failed: `file is not readable: ${a.src}`, data: { file: a.src } };
  try {
    if (target === undefined) {
      target = targetFor(read.path ?? a.src);
      local = readRegular(join(target.root, ...target.dirs, target.name));
    }
  } catch (err) {
    if (err instanceof ControllerPathError) return { changed: false, failed: `Detected directory traversal: ${err.message}`, data: { file: a.src } };
    throw err;
  }
  const dest = join(target.root, ...target.dirs, target.name);
  const remoteSum = read.sha1!;
  if (local && sha1(local) === remoteSum) {
    return { changed: false, data: { file: a.src, dest, checksum: remoteSum, md5sum: md5(local) } };
  }
  if (ctx.check) return { changed: true, msg: `check mode: would fetch ${a.src} to ${dest}`, data: { file: a.src, dest, remote_checksum: remoteSum, remote_md5sum: null } };
  // The read that decided did not carry the bytes (src with ~): one more, now that the local sha1 is known.
  if (!read.data) {
    read = await exec(local ? sha1(local) : 'none');
    if (read.state !== 'ok' || !read.data) return { changed: false, failed: `could not read ${a.src} on the host: ${read.error ?? read.state}`, data: { file: a.src } };
  }
  const data = read.data;
  const got = sha1(data);
  const result = { file: a.src, dest, checksum: got, md5sum: md5(data), remote_checksum: read.sha1 ?? remoteSum, remote_md5sum: null };
  // Checked before the file is written: a mismatch leaves the local copy as it was.
  if (a.validate_checksum && got !== result.remote_checksum) return { changed: false, failed: 'checksum mismatch', data: result };
  try {
    writeAtomic(join(enterBelow(target.root, target.dirs), target.name), data);
  } catch (err) {
    if (err instanceof ControllerPathError) return { changed: false, failed: `Detected directory traversal: ${err.message}`, data: { file: a.src } };
    return { changed: false, failed: `Failed to fetch the file: ${(err as Error).message}`, data: result };
  }
  return { changed: true, data: result };
}

export const fetchModule: ActionModule<FetchArgs> = {
  kind: 'action',
  name: 'fetch',
  // Check mode reads the host's checksum and writes nothing on either side.
  checkMode: 'run',
  ...specFields(fetchSpec),
  parse: (raw, loc) => parseSpec('fetch', fetchSpec, raw, loc).args,
  run: runFetch,
};
