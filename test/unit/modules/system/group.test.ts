// group plans from canned getent output: a table of arguments and host facts mapped to the commands
// Ansible 2.14's group module would run (groupadd / groupmod / groupdel), or none.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { groupModule, groupProbe, parseGroupArgs, planGroup } from '../../../../src/modules/system/group.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { planOnly } from '../lib/local.js';
import { loc } from './fixtures/context.js';

/** The probe's output for a host where the group has `gid` (undefined: no such group) and `holder` holds the gid asked for. */
function host(gid?: number, holder?: string): ExecResult {
  const parts: Record<string, string> = { group: gid === undefined ? '' : `gid=${gid}\n` };
  if (holder !== undefined) parts.holder = `${holder}\n`;
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const table: [string, Record<string, unknown>, ExecResult, string[]][] = [
  ['creates a missing group', { name: 'app' }, host(), ['groupadd app && getent group app | cut -d: -f3']],
  ['creates a system group', { name: 'app', system: true }, host(), ['groupadd -r app && getent group app | cut -d: -f3']],
  ['creates with a gid', { name: 'app', gid: 2001 }, host(undefined, ''), ['groupadd -g 2001 app && getent group app | cut -d: -f3']],
  ['creates with a shared gid', { name: 'app', gid: 2001, non_unique: true }, host(undefined, 'other'), ['groupadd -g 2001 -o app && getent group app | cut -d: -f3']],
  ['leaves an existing group alone', { name: 'app' }, host(1001), []],
  ['leaves a system: group that exists as a normal one alone, as Ansible does', { name: 'app', system: true }, host(1001), []],
  ['leaves the right gid alone', { name: 'app', gid: 1001 }, host(1001, 'app'), []],
  ['changes a different gid', { name: 'app', gid: 2001 }, host(1001, ''), ['groupmod -g 2001 app']],
  ['removes a group', { name: 'app', state: 'absent' }, host(1001), ['groupdel app']],
  ['removes nothing that is not there', { name: 'app', state: 'absent' }, host(), []],
];

describe('modules/system/group', () => {
  for (const [what, raw, probe, commands] of table) {
    it(what, () => {
      const plan = planGroup(parseGroupArgs(raw, loc), probe);
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.map((s) => s.script)).to.deep.equal(commands);
      expect(plan.changes.length > 0).to.equal(commands.length > 0);
    });
  }

  it('refuses a gid another group holds, before changing anything', () => {
    const plan = planGroup(parseGroupArgs({ name: 'app', gid: 1000 }, loc), host(undefined, 'admins'));
    expect(plan.steps).to.deep.equal([]);
    expect(plan.failure?.msg).to.match(/gid 1000 is already the group admins's: give another gid, or non_unique: yes/);
  });

  it('reads the gid groupadd picked back into the result, and provides the group to check-mode forecasts', () => {
    const plan = planGroup(parseGroupArgs({ name: 'app' }, loc), host());
    expect(plan.provides).to.deep.equal([{ kind: 'group', name: 'app' }]);
    expect(plan.afterApply!([{ stdout: '998\n', stderr: '', code: 0 }]).data).to.deep.include({ name: 'app', state: 'present', gid: 998 });
  });

  it('probes the group and the gid asked for in one script', () => {
    expect(groupProbe(parseGroupArgs({ name: 'app', gid: 5 }, loc))).to.contain('getent group app').and.to.contain('getent group 5');
    expect(groupProbe(parseGroupArgs({ name: 'app' }, loc))).not.to.contain('holder');
  });

  it('reads this machine with the real probe: root is gid 0, a made-up group is missing', () => {
    expect(planOnly(groupModule, { name: 'root', gid: 0 })).to.deep.include({ changes: [], steps: [] });
    expect(planOnly(groupModule, { name: 'root' }).data).to.deep.include({ gid: 0 });
    expect(planOnly(groupModule, { name: 'rb-no-such-group' }).changes).to.deep.equal(['create group rb-no-such-group']);
    expect(planOnly(groupModule, { name: 'rb-no-such-group', gid: 0 }).failure?.msg).to.match(/gid 0 is already the group root's/);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseGroupArgs({ name: '-rf' }, loc)).to.throw(InputError, /'-rf' is not a group name/);
    expect(() => parseGroupArgs({ name: 'a:b' }, loc)).to.throw(InputError, /not a group name/);
    expect(() => parseGroupArgs({ name: 'app', non_unique: true }, loc)).to.throw(InputError, /'gid' is required with non_unique=true/);
    expect(() => parseGroupArgs({ name: 'app', gid: -1 }, loc)).to.throw(InputError, /'gid' must be a whole number/);
    expect(() => groupModule.parse({ name: 'app', stat: 'absent' }, loc)).to.throw(InputError, /has no argument 'stat'/);
  });
});
