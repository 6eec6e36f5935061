// The lab root in the page cache or not. Lab hosts read their files (dpkg's database, the offline
// repository's .debs, perl, python) from the root through an overlay: a root no run has read for a
// while is on disk only, and the first run after that waits for the disk where the next ones do not.
// The bench reads the root once before its first measured run, so no tool pays that alone.
import { execFileSync } from 'node:child_process';
import { ensureRoot } from '../src/lab/root.js';

/** The root lab hosts with `extraPackages` boot from (built first if missing, as labUp would). */
export function hostsRoot(extraPackages: readonly string[]): Promise<string> {
  return ensureRoot(() => {}, extraPackages);
}

/** Reads every file of `root` once, so the page cache holds it. */
export function warmRoot(root: string): void {
  execFileSync('sh', ['-c', 'find "$1" -xdev -type f -size +0 -exec cat {} + >/dev/null 2>&1; exit 0', 'sh', root]);
}

/** Drops `root`'s clean pages from the page cache (posix_fadvise DONTNEED per file): the state of a root unread for a while. */
export function evictRoot(root: string): void {
  const py = [
    'import os, sys',
    'for d, _, fs in os.walk(sys.argv[1]):',
    '    for f in fs:',
    '        p = os.path.join(d, f)',
    '        try:',
    '            if os.path.islink(p) or not os.path.isfile(p): continue',
    '            fd = os.open(p, os.O_RDONLY)',
    '            try: os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)',
    '            finally: os.close(fd)',
    '        except OSError: pass',
  ].join('\n');
  execFileSync('python3', ['-c', py, root]);
}
