// Builds the lab's base root once (debootstrap + an offline apt repo of what the roles install) and caches it.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, symlink } from 'node:fs/promises';
import { writeFresh } from './files.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from './names.js';
import { InputError } from '../core/errors.js';
import { run, runStreaming } from './exec.js';
import { withLock } from './lock.js';
import { processAlive } from './procs.js';
import { BASE_PACKAGES, MIRROR, RECIPE_VERSION, REPO_INSTALL_SETS, REPO_PACKAGES, SUITE } from './packages.js';

/** Inside the root: the offline repo hosts install from. */
export const REPO_DIR = '/opt/runbook-repo';
const STAMP_FILE = 'etc/runbook-lab-stamp';
// No TMPDIR: the controller's (a test run's own folder, say) does not exist inside the chroot, and
// maintainer scripts that call mktemp (ssl-cert, postgresql-common) then fail the install.
const { TMPDIR: _controllerTmp, ...HOST_ENV } = process.env;
const APT_ENV = { ...HOST_ENV, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8' };

/** Timers that would run apt or disk jobs behind a test's back (and hold the dpkg lock). */
const MASKED_UNITS = [
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
];

export type Log = (line: string) => void;

/** Hash of everything that shapes the root: a change in the recipe or package list means a rebuild. */
export function rootStamp(): string {
  const recipe = JSON.stringify({ RECIPE_VERSION, SUITE, MIRROR, BASE_PACKAGES, REPO_INSTALL_SETS });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 12);
}

export function rootPath(stamp = rootStamp()): string {
  return join(CACHE_DIR, `root-${stamp}`);
}

/** Returns the path of a complete root for the current recipe, building it first if needed (about a minute). */
export async function ensureRoot(log: Log = () => {}, extraPackages: readonly string[] = []): Promise<string> {
  if (extraPackages.length > 0) return ensureVariantRoot(log, extraPackages);
  const stamp = rootStamp();
  const root = rootPath(stamp);
  if (await hasStamp(root, stamp)) return root;
  await mkdir(CACHE_DIR, { recursive: true });
  // Only once the new root is in place are the roots of older recipes no longer needed.
  return buildOnce(root, stamp, log, (build) => buildRoot(build, log), () => removeUnusedRoots(root));
}

/**
 * Builds `root` once, under the cache's build lock: `fill` populates a fresh build folder, which is
 * stamped and renamed into place only when complete, so a crash never leaves a root that looks done.
 */
async function buildOnce(root: string, stamp: string, log: Log, fill: (build: string) => Promise<void>, after?: () => Promise<void>): Promise<string> {
  return withLock(
    join(CACHE_DIR, 'build.lock'),
    async () => {
      if (await hasStamp(root, stamp)) return root;
      await removeStaleBuilds();
      const build = `${root}.build-${process.pid}`;
      try {
        await fill(build);
        await writeFresh(join(build, STAMP_FILE), `${stamp}\n`);
        if (existsSync(root)) await rm(root, { recursive: true, force: true });
        await rename(build, root);
      } catch (err) {
        await removeBuild(build);
        throw err;
      }
      await after?.();
      return root;
    },
    { onWait: (pid) => log(`waiting for process ${pid}, which is building a lab root`) },
  );
}

/** A variant's stamp: the base root's plus its extra packages, so each variant is its own cached root. */
export function variantStamp(extraPackages: readonly string[]): string {
  const recipe = JSON.stringify({ base: rootStamp(), extra: [...new Set(extraPackages)].sort() });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 12);
}

/**
 * The base root plus `extraPackages` installed (Ansible's python3 and python3-apt for the benchmark),
 * built as a copy beside the base root, which stays untouched. Packages outside the offline repo
 * (rabbitmq-server and its Erlang, for one test file) come from the mirror while the variant is
 * built, so a heavy package one test needs does not rebuild, nor grow, every helper's base root.
 */
async function ensureVariantRoot(log: Log, extraPackages: readonly string[]): Promise<string> {
  const bad = extraPackages.find((p) => !/^[a-z0-9][a-z0-9+.-]*$/.test(p));
  if (bad !== undefined) throw new InputError(`"${bad}" is not a Debian package name`, undefined, 'extra lab packages must be in the lab repo (see src/lab/packages.ts)');
  const base = await ensureRoot(log);
  const stamp = variantStamp(extraPackages);
  const root = rootPath(stamp);
  if (await hasStamp(root, stamp)) return root;
  return buildOnce(root, stamp, log, async (build) => {
    log(`building the lab root variant with ${extraPackages.join(' ')} in ${build}`);
    await run('cp', ['-a', base, build]);
    await rm(join(build, STAMP_FILE), { force: true });
    await mount(['-t', 'proc', 'proc', join(build, 'proc')]);
    try {
      await writeFresh(join(build, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
      const fromMirror = extraPackages.some((p) => !REPO_PACKAGES.includes(p));
      if (fromMirror) await withMirror(build, () => chroot(build, ['apt-get', 'install', '-y', '-q', ...extraPackages]));
      else await chroot(build, ['apt-get', 'install', '-y', '-q', ...extraPackages]);
      await chroot(build, ['apt-get', 'clean']);
      await rm(join(build, 'usr/sbin/policy-rc.d'), { force: true });
    } finally {
      await run('umount', [join(build, 'proc')], { allowFail: true });
    }
  });
}

/** Runs `f` with the mirror (and the build machine's DNS) beside the offline repo, then puts the offline set-up back. */
async function withMirror(build: string, f: () => Promise<unknown>): Promise<void> {
  const sources = join(build, 'etc/apt/sources.list');
  const resolv = join(build, 'etc/resolv.conf');
  const offline = await readFile(sources, 'utf8');
  const noDns = await readFile(resolv, 'utf8');
  try {
    await writeFresh(resolv, await readFile('/etc/resolv.conf', 'utf8'));
    await writeFresh(sources, `${offline}deb ${MIRROR} ${SUITE} main\n`);
    await chroot(build, ['apt-get', 'update', '-q']);
    await f();
  } finally {
    await writeFresh(sources, offline);
    await writeFresh(resolv, noDns);
    await rm(join(build, 'var/lib/apt/lists'), { recursive: true, force: true });
    await mkdir(join(build, 'var/lib/apt/lists/partial'), { recursive: true });
    await chroot(build, ['apt-get', 'update', '-q']);
  }
}

async function hasStamp(root: string, stamp: string): Promise<boolean> {
  const found = await readFile(join(root, STAMP_FILE), 'utf8').catch(() => '');
  return found.trim() === stamp;
}

async function buildRoot(build: string, log: Log): Promise<void> {
  const started = Date.now();
  log(`building the lab root in ${build} (debootstrap ${SUITE}, about a minute)`);
  await runStreaming(
    'debootstrap',
    ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, build, MIRROR],
    (line) => {
      if (/^[EW]:|Base system installed/.test(line)) log(`debootstrap: ${line}`);
    },
    { env: APT_ENV },
  );
  await mount(['-t', 'proc', 'proc', join(build, 'proc')]);
  try {
    const policy = '#!/bin/sh\n# no service starts while the lab root is built\nexit 101\n';
    await writeFresh(join(build, 'usr/sbin/policy-rc.d'), policy, { mode: 0o755 });
    await configure(build);
    log('downloading the packages roles install, for the offline repo');
    await downloadRepo(build);
    // Last: the download above still needed the build machine's DNS.
    await writeFresh(join(build, 'etc/resolv.conf'), '# runbook lab hosts are offline: no DNS server\n');
    await rm(join(build, 'usr/sbin/policy-rc.d'), { force: true });
  } finally {
    await run('umount', [join(build, 'proc')], { allowFail: true });
  }
  log(`lab root built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function chroot(build: string, args: string[], input?: string): Promise<unknown> {
  return run('chroot', [build, ...args], { env: APT_ENV, input });
}

function mount(args: string[]): Promise<unknown> {
  return run('mount', args);
}

/** Everything a booted host should find already set: quiet, fast, key logins, no shared identity. */
async function configure(build: string): Promise<void> {
  const etc = (p: string): string => join(build, 'etc', p);
  await writeFresh(etc('dpkg/dpkg.cfg.d/runbook-lab'), '# throwaway hosts: skip fsync, dpkg is much faster\nforce-unsafe-io\n');
  await writeFresh(etc('apt/apt.conf.d/90runbook-lab'), 'Acquire::Languages "none";\nDpkg::Use-Pty "0";\n');
  await chroot(build, ['debconf-set-selections'], 'debconf debconf/frontend select Noninteractive\n');
  await writeFresh(etc('default/locale'), 'LANG=C.UTF-8\n');
  await writeFresh(etc('timezone'), 'Etc/UTC\n');
  await rm(etc('localtime'), { force: true });
  await symlink('/usr/share/zoneinfo/Etc/UTC', etc('localtime'));
  await writeFresh(etc('hostname'), 'runbook-lab\n');
  // Each host gets its own machine-id and SSH host keys; the root must not carry shared ones.
  await writeFresh(etc('machine-id'), '');
  await rm(join(build, 'var/lib/dbus/machine-id'), { force: true });
  await symlink('/etc/machine-id', join(build, 'var/lib/dbus/machine-id'));
  for (const f of await readdir(etc('ssh'))) if (f.startsWith('ssh_host_')) await rm(etc(`ssh/${f}`));
  await writeFresh(
    etc('ssh/sshd_config.d/runbook-lab.conf'),
    '# runbook lab: root logs in with the lab key only; no reverse DNS at login\nPermitRootLogin prohibit-password\nUseDNS no\n',
  );
  // A client's LANG (say en_GB.UTF-8) names a locale minbase lacks and makes perl and apt warn.
  const sshd = await readFile(etc('ssh/sshd_config'), 'utf8');
  await writeFresh(etc('ssh/sshd_config'), sshd.replace(/^AcceptEnv /gm, '#AcceptEnv '));
  for (const unit of MASKED_UNITS) {
    await rm(etc(`systemd/system/${unit}`), { force: true });
    await symlink('/dev/null', etc(`systemd/system/${unit}`));
  }
  await chroot(build, ['useradd', '--create-home', '--shell', '/bin/bash', '--groups', 'sudo', 'deploy']);
}

/** Downloads REPO_INSTALL_SETS with dependencies, indexes them, and makes them the root's only apt source. */
async function downloadRepo(build: string): Promise<void> {
  await chroot(build, ['apt-get', 'clean']);
  await chroot(build, ['apt-get', 'update', '-q']);
  for (const set of REPO_INSTALL_SETS) {
    await chroot(build, ['apt-get', 'install', '-y', '-q', '--download-only', ...set]);
  }
  const archives = join(build, 'var/cache/apt/archives');
  const repo = join(build, REPO_DIR);
  await mkdir(repo, { recursive: true });
  for (const f of await readdir(archives)) if (f.endsWith('.deb')) await rename(join(archives, f), join(repo, f));
  const index = await run('apt-ftparchive', ['packages', '.'], { cwd: repo });
  await writeFresh(join(repo, 'Packages'), index.stdout);
  await writeFresh(join(build, 'etc/apt/sources.list'), `deb [trusted=yes] file:${REPO_DIR} ./\n`);
  await rm(join(build, 'etc/apt/sources.list.d'), { recursive: true, force: true });
  await mkdir(join(build, 'etc/apt/sources.list.d'));
  await rm(join(build, 'var/lib/apt/lists'), { recursive: true, force: true });
  await mkdir(join(build, 'var/lib/apt/lists/partial'), { recursive: true });
  await chroot(build, ['apt-get', 'update', '-q']);
  await chroot(build, ['apt-get', 'clean']);
}

/** Unmounts whatever a crashed build left mounted under `build`, then deletes it without crossing into mounts. */
async function removeBuild(build: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '');
  for (const m of mounts.filter((m) => m.startsWith(`${build}/`)).reverse()) {
    await run('umount', ['-l', m], { allowFail: true });
  }
  await run('rm', ['-rf', '--one-file-system', build], { allowFail: true });
}

async function removeStaleBuilds(): Promise<void> {
  for (const entry of await readdir(CACHE_DIR)) {
    const m = /^root-[0-9a-f]+\.build-(\d+)$/.exec(entry);
    if (m && !processAlive(Number(m[1]))) await removeBuild(join(CACHE_DIR, entry));
  }
}

/** Deletes roots of older recipes that no running host uses as its overlay's lower layer. */
async function removeUnusedRoots(current: string): Promise<void> {
  const mounts = await readFile('/proc/mounts', 'utf8');
  for (const entry of await readdir(CACHE_DIR)) {
    const path = join(CACHE_DIR, entry);
    if (!/^root-[0-9a-f]+$/.test(entry) || path === current) continue;
    if (mounts.includes(`lowerdir=${path},`) || mounts.includes(`lowerdir=${path}:`)) continue;
    await removeBuild(path);
  }
}
