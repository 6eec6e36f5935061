// Gives each container its own cgroups: else every container's systemd shares the root ones and they break each other's units.
import { mkdir, readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

// Without a systemd on the build machine, nspawn --keep-unit runs every container in the caller's cgroup,
// so all containers' systemd made /payload/system.slice/... side by side and removed each other's units
// at random (units failing with status=219/CGROUP, hosts booting "degraded").

/** The hierarchies the container's systemd manages: cgroup v2, and v1's name=systemd on hybrid hosts. */
export async function systemdHierarchies(): Promise<string[]> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' '));
  return mounts
    .filter(([, , type, options]) => type === 'cgroup2' || (type === 'cgroup' && (options ?? '').split(',').includes('name=systemd')))
    .map(([, path]) => path!)
    .sort();
}

/** Creates (if needed) the cgroup runbook-lab/LAB/HOST in each hierarchy and returns their paths. */
export async function hostCgroups(lab: string, host: string): Promise<string[]> {
  const dirs = (await systemdHierarchies()).map((root) => join(root, 'runbook-lab', lab, host));
  for (const d of dirs) await mkdir(d, { recursive: true });
  return dirs;
}

/** Removes a host's cgroups, deepest first (the container's systemd made sub-cgroups), then empty parents. */
export async function removeCgroups(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    await removeTree(dir);
    // runbook-lab/LAB, then runbook-lab: only if no other host or lab still uses them.
    for (const parent of [join(dir, '..'), join(dir, '..', '..')]) await rmdir(parent).catch(() => {});
  }
}

async function removeTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  // A cgroup whose last process just died may still be busy for a moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A constant script that moves itself into the cgroups named in RUNBOOK_LAB_CGROUPS, then runs its
 * arguments (systemd-nspawn) again each time they exit with 133: what nspawn returns when the
 * container's systemd reboots (systemd-nspawn@.service restarts it so too). A lab host therefore
 * survives `reboot`, as a server does. Any other exit ends the script with that code.
 */
export const SUPERVISE_SCRIPT =
  'IFS=:; for cg in $RUNBOOK_LAB_CGROUPS; do echo $$ > "$cg/cgroup.procs" || exit 125; done; unset RUNBOOK_LAB_CGROUPS; ' +
  'while :; do "$@"; rc=$?; [ "$rc" -eq 133 ] || exit "$rc"; done';

/** $0 of the supervising shell: how procs.ts recognises it. */
export const SUPERVISOR_NAME = 'runbook-lab-host';
