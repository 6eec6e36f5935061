// dpkg_selections plans from canned dpkg --get-selections output: the selection set only when it differs.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { dpkgSelectionsProbe, parseDpkgSelectionsArgs, planDpkgSelections } from '../../../../src/modules/system/dpkg-selections.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const host = (selection?: string) => sections({ selection: selection === undefined ? '' : `selection=${selection}\n` });

const table: [string, Record<string, unknown>, string | undefined, string[], string | undefined][] = [
  ['holds an installed package', { name: 'redis-server', selection: 'hold' }, 'install', ['LC_ALL=C dpkg --set-selections'], 'redis-server hold\n'],
  ['leaves a held package held', { name: 'redis-server', selection: 'hold' }, 'hold', [], undefined],
  ['releases a hold', { name: 'redis-server', selection: 'install' }, 'hold', ['LC_ALL=C dpkg --set-selections'], 'redis-server install\n'],
  ['marks for purge', { name: 'redis-server', selection: 'purge' }, 'install', ['LC_ALL=C dpkg --set-selections'], 'redis-server purge\n'],
  ['deinstall of a package dpkg does not know holds already', { name: 'nosuch', selection: 'deinstall' }, undefined, [], undefined],
];

describe('modules/system/dpkg_selections', () => {
  for (const [what, raw, current, scripts, stdin] of table) {
    it(what, () => {
      const plan = planDpkgSelections(parseDpkgSelectionsArgs(raw, loc), host(current));
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.map((s) => s.script)).to.deep.equal(scripts);
      expect(plan.steps[0]?.stdin).to.equal(stdin);
      expect(plan.data).to.deep.equal({ before: current ?? 'not present', after: raw.selection });
    });
  }

  it('fails (or forecasts after an install in check mode) for a package dpkg does not know', () => {
    const plan = planDpkgSelections(parseDpkgSelectionsArgs({ name: 'nosuch', selection: 'hold' }, loc), host());
    expect(plan.failure?.msg).to.match(/dpkg does not know the package nosuch/);
    expect(plan.failure?.needs).to.deep.equal([{ kind: 'package', name: 'nosuch' }]);
  });

  it('reads the selection with one quoted dpkg call', () => {
    expect(dpkgSelectionsProbe(parseDpkgSelectionsArgs({ name: 'libc6:amd64', selection: 'hold' }, loc))).to.contain('dpkg --get-selections libc6:amd64');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseDpkgSelectionsArgs({ name: 'x', selection: 'keep' }, loc)).to.throw(InputError, /selection/);
    expect(() => parseDpkgSelectionsArgs({ name: 'x; rm', selection: 'hold' }, loc)).to.throw(InputError, /not a Debian package name/);
    expect(() => parseDpkgSelectionsArgs({ name: 'x' }, loc)).to.throw(InputError, /'selection' is required/);
  });
});
