// Puts one role's files into an empty folder: a git checkout at the pinned version, an unpacked
// tarball, or a copied folder. Programs run with argv (execFile), never through a shell.
import { execFile } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { InputError, RunbookError } from '../core/errors.js';
import type { RoleRequirement } from './requirements.js';

const run = promisify(execFile);

/** Fills `dest` (an empty folder) with the role; `scratch` is a folder it may use and leaves for the caller to remove. */
export async function fetchRole(req: RoleRequirement, dest: string, scratch: string): Promise<void> {
  if (req.kind === 'git') return gitCheckout(req, dest);
  if (req.kind === 'dir') {
    cpSync(req.location, dest, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes('.git') });
    return;
  }
  const archive = /^https?:\/\//.test(req.location) ? await download(req.location, join(scratch, 'role.tar')) : req.location;
  const unpacked = join(scratch, 'unpacked');
  mkdirSync(unpacked);
  try {
    // GNU tar drops leading '/' and refuses '..' members, so an archive cannot write outside `unpacked`.
    await run('tar', ['-xf', archive, '-C', unpacked, '--no-same-owner', '--no-same-permissions']);
  } catch (e) {
    throw new InputError(`cannot unpack ${req.src}: ${firstLine(e)}`, req.loc, 'a role tarball is a .tar, .tar.gz or .tgz file');
  }
  // Galaxy tarballs hold one top folder (name-version/); its contents are the role.
  const top = readdirSync(unpacked);
  const root = top.length === 1 && statSync(join(unpacked, top[0]!)).isDirectory() ? join(unpacked, top[0]!) : unpacked;
  for (const entry of readdirSync(root)) renameSync(join(root, entry), join(dest, entry));
}

async function gitCheckout(req: RoleRequirement, dest: string): Promise<void> {
  try {
    await run('git', ['clone', '--quiet', '--no-checkout', '--', req.location, dest], { env: gitEnv() });
  } catch (e) {
    throw new InputError(`git clone of ${req.src} failed: ${firstLine(e)}`, req.loc, 'check the URL, and that this machine can reach it');
  }
  const commit = await resolveVersion(req, dest);
  await git(['-C', dest, 'checkout', '--quiet', '--detach', commit], req);
  // Like ansible-galaxy, the role is a plain folder: no repository to drift from the pinned version.
  rmSync(join(dest, '.git'), { recursive: true, force: true });
}

/** A branch (origin's), a tag, or a commit; the default branch when no version is given. */
async function resolveVersion(req: RoleRequirement, repo: string): Promise<string> {
  const candidates = req.version ? [`refs/remotes/origin/${req.version}`, `refs/tags/${req.version}`, req.version] : ['HEAD'];
  for (const ref of candidates) {
    try {
      const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { env: gitEnv() });
      return stdout.trim();
    } catch {
      // not this kind of ref: try the next
    }
  }
  throw new InputError(`version '${req.version}' not found in ${req.src}`, req.versionLoc, 'name a branch, a tag or a commit of that repository (git ls-remote lists them)');
}

async function git(args: string[], req: RoleRequirement): Promise<void> {
  try {
    await run('git', args, { env: gitEnv() });
  } catch (e) {
    throw new RunbookError(`git ${args.filter((a) => !a.startsWith('-'))[1] ?? ''} for role ${req.name} failed: ${firstLine(e)}`, req.loc);
  }
}

/** Never stop to ask for a password: a role install runs unattended. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', LC_ALL: 'C' };
}

async function download(url: string, to: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new RunbookError(`download of ${url} failed: HTTP ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(to));
  return to;
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr || err.message || String(e)).trim().split('\n')[0] ?? '';
}
