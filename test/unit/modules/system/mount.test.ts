// mount plans from a canned fstab and findmnt line: the fstab it writes and the mount commands it runs.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { editFstab, fstabEscape, mountModule, parseMountArgs, planMount } from '../../../../src/modules/system/mount.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

const ROOT = 'UUID=1234 / ext4 errors=remount-ro 0 1\n';
const TMP = 'tmpfs\t/srv/scratch\ttmpfs\tsize=64m\t0\t0\n';
const LIVE = 'SOURCE="tmpfs" FSTYPE="tmpfs" OPTIONS="rw,relatime,size=65536k"';

function host(fstab: string, live = '', dir = true): ExecResult {
  const parts = { fstab, meta: `fstab=644\n${dir ? 'dir=1\n' : ''}`, live: live ? `${live}\n` : '' };
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const scratch = { path: '/srv/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=64m' };

/** What a plan does: the fstab it writes ('-' none) and the other commands. */
function does(raw: Record<string, unknown>, probe: ExecResult): { fstab: string; commands: string[] } {
  const plan = planMount(parseMountArgs(raw, loc), probe);
  expect(plan.failure).to.equal(undefined);
  const write = plan.steps.find((s) => s.stdin !== undefined);
  return { fstab: write ? String(write.stdin) : '-', commands: plan.steps.filter((s) => s !== write).map((s) => s.script) };
}

describe('modules/system/mount', () => {
  const table: [string, Record<string, unknown>, ExecResult, string, string[]][] = [
    ['adds the entry and mounts', { ...scratch, state: 'mounted' }, host(ROOT), ROOT + TMP, ['mkdir -p -- /srv/scratch && mount -- /srv/scratch']],
    ['does nothing when in fstab and mounted', { ...scratch, state: 'mounted' }, host(ROOT + TMP, LIVE), '-', []],
    ['keeps an equal entry written with spaces', { ...scratch, state: 'mounted' }, host('tmpfs  /srv/scratch  tmpfs  size=64m  0  0\n', LIVE), '-', []],
    ['remounts when the options change', { ...scratch, opts: 'size=128m', state: 'mounted' }, host(ROOT + TMP, LIVE), ROOT + TMP.replace('64m', '128m'), ['mount -o remount -- /srv/scratch']],
    ['mounts what is in fstab but not mounted', { ...scratch, state: 'mounted' }, host(ROOT + TMP), '-', ['mkdir -p -- /srv/scratch && mount -- /srv/scratch']],
    ['present only writes fstab', { ...scratch, state: 'present' }, host(ROOT), ROOT + TMP, []],
    ['unmounted leaves fstab', { path: '/srv/scratch', state: 'unmounted' }, host(ROOT + TMP, LIVE), '-', ['umount -- /srv/scratch']],
    ['unmounted with nothing mounted does nothing', { path: '/srv/scratch', state: 'unmounted' }, host(ROOT + TMP), '-', []],
    ['absent unmounts, removes the entry and the empty mount point', { path: '/srv/scratch', state: 'absent' }, host(ROOT + TMP, LIVE), ROOT, ['umount -- /srv/scratch', 'rmdir -- /srv/scratch 2>/dev/null; :']],
    ['absent with nothing left does nothing', { path: '/srv/scratch', state: 'absent' }, host(ROOT), '-', []],
    ['remounted always remounts', { path: '/srv/scratch', state: 'remounted' }, host(ROOT + TMP, LIVE), '-', ['mount -o remount -- /srv/scratch']],
    ['boot: no adds noauto', { ...scratch, boot: false, state: 'present' }, host(ROOT), `${ROOT}tmpfs\t/srv/scratch\ttmpfs\tsize=64m,noauto\t0\t0\n`, []],
    ['another fstab is passed to mount', { ...scratch, fstab: '/etc/fstab.d/x', state: 'mounted' }, host(''), TMP, ["mkdir -p -- /srv/scratch && mount -T /etc/fstab.d/x -- /srv/scratch"]],
  ];
  for (const [what, raw, probe, fstab, commands] of table) {
    it(what, () => {
      const got = does(raw, probe);
      expect(got.fstab).to.equal(fstab);
      expect(got.commands).to.deep.equal(commands);
    });
  }

  it('shows the fstab change as a diff and provides the mount point to later forecasts', () => {
    const plan = planMount(parseMountArgs({ ...scratch, state: 'mounted' }, loc), host(ROOT));
    expect(plan.diffs).to.deep.equal([{ path: '/etc/fstab', before: ROOT, after: ROOT + TMP }]);
    expect(plan.provides).to.deep.equal([{ kind: 'path', path: '/srv/scratch' }]);
    expect(plan.changes).to.deep.equal(['set /srv/scratch in /etc/fstab', 'mount /srv/scratch']);
  });

  it('escapes spaces in fields as fstab does, and replaces duplicate entries by one', () => {
    expect(fstabEscape('/mnt/my disk')).to.equal('/mnt/my\\040disk');
    const a = parseMountArgs({ path: '/mnt/my disk', src: '/dev/sdb1', fstype: 'ext4', state: 'present' }, loc);
    expect(editFstab('/dev/sdb1 /mnt/my\\040disk ext4 ro 0 0\n/dev/sdc1 /mnt/my\\040disk ext4 defaults 0 0\n', a, false).after).to.equal('/dev/sdb1\t/mnt/my\\040disk\text4\tdefaults\t0\t0\n');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseMountArgs({ path: 'srv', state: 'absent' }, loc)).to.throw(InputError, /must be absolute/);
    expect(() => parseMountArgs({ path: '/srv', state: 'mounted' }, loc)).to.throw(InputError, /'src' and 'fstype' are required with state=mounted/);
    expect(() => parseMountArgs({ path: '/srv', src: 'x', fstype: 'tmpfs', opts: 'a b', state: 'present' }, loc)).to.throw(InputError, /opts may not contain spaces/);
    expect(() => mountModule.parse({ path: '/srv', state: 'mounted', fs_type: 'x' }, loc)).to.throw(InputError, /has no argument 'fs_type'/);
  });

  it('says what cannot be remounted', () => {
    expect(planMount(parseMountArgs({ path: '/srv/x', state: 'remounted' }, loc), host(ROOT)).failure?.msg).to.equal('/srv/x is not mounted: nothing to remount');
  });
});
