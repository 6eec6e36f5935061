// debconf plans from canned debconf-show output: an answer set only when it differs; passwords by hash, never shown.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { debconfModule, debconfProbe, parseDebconfArgs, planDebconf } from '../../../../src/modules/system/debconf.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const SHOW = '* tzdata/Areas: Europe\n  tzdata/Zones/Europe: Paris\n  locales/locales_to_be_generated: en_US.UTF-8 UTF-8, fr_FR.UTF-8 UTF-8\n  shared/accepted: false\n  mysql-server/root_password: (password omitted)\n';
const ctx = (secrets: string[] = []) => ({ diff: true, addSecret: (s: string) => void secrets.push(s) });

const table: [string, Record<string, unknown>, string[], string | undefined][] = [
  ['sets a different answer', { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'America' }, ['debconf-set-selections'], 'tzdata tzdata/Areas select America\n'],
  ['leaves the same answer', { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'Europe' }, [], undefined],
  ['sets a question the package has not asked yet', { name: 'tzdata', question: 'tzdata/Zones/Etc', vtype: 'select', value: 'UTC' }, ['debconf-set-selections'], 'tzdata tzdata/Zones/Etc select UTC\n'],
  ['compares booleans as debconf stores them', { name: 'x', question: 'shared/accepted', vtype: 'boolean', value: 'False' }, [], undefined],
  ['writes a boolean as true/false', { name: 'x', question: 'shared/accepted', vtype: 'boolean', value: 'yes' }, ['debconf-set-selections'], 'x shared/accepted boolean true\n'],
  ['takes multiselect answers in any order', { name: 'locales', question: 'locales/locales_to_be_generated', vtype: 'multiselect', value: 'fr_FR.UTF-8 UTF-8, en_US.UTF-8 UTF-8' }, [], undefined],
  ['keeps the question unseen with -u', { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'Asia', unseen: true }, ['debconf-set-selections -u'], 'tzdata tzdata/Areas select Asia\n'],
];

describe('modules/system/debconf', () => {
  for (const [what, raw, scripts, stdin] of table) {
    it(what, () => {
      const plan = planDebconf(parseDebconfArgs(raw, loc), sections({ show: SHOW }), ctx());
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.map((s) => s.script)).to.deep.equal(scripts);
      expect(plan.steps[0]?.stdin).to.equal(stdin);
    });
  }

  it('only reads the answers without a question', () => {
    const plan = planDebconf(parseDebconfArgs({ name: 'tzdata' }, loc), sections({ show: SHOW }), ctx());
    expect(plan.changes).to.deep.equal([]);
    expect(plan.data?.current).to.deep.include({ 'tzdata/Areas': 'Europe', 'tzdata/Zones/Europe': 'Paris' });
  });

  it('compares a password by the hash of the stored one, masks it, and sends it on stdin only', () => {
    const args = parseDebconfArgs({ name: 'mariadb-server', question: 'mysql-server/root_password', vtype: 'password', value: 's3cret' }, loc);
    const hash = (v: string) => createHash('sha256').update(v).digest('hex');
    const secrets: string[] = [];
    const same = planDebconf(args, sections({ show: SHOW, password: `sha256=${hash('s3cret')}\n` }), ctx(secrets));
    expect(same.changes).to.deep.equal([]);
    expect(secrets).to.deep.equal(['s3cret']);
    const other = planDebconf(args, sections({ show: SHOW, password: `sha256=${hash('old')}\n` }), ctx());
    expect(other.changes).to.deep.equal(['set mysql-server/root_password (password) to a new password']);
    expect(other.steps[0]!.script).not.to.contain('s3cret');
    expect(other.diffs?.[0]?.after).to.equal('mysql-server/root_password: ********\n');
    const unset = planDebconf(args, sections({ show: SHOW, password: '' }), ctx());
    expect(unset.changes).to.have.length(1);
    expect(debconfProbe(args)).to.contain('passwords.dat').and.not.to.contain('s3cret');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseDebconfArgs({ name: 'x', question: 'a/b', vtype: 'string' }, loc)).to.throw(InputError, /'value'/);
    expect(() => parseDebconfArgs({ name: 'x', question: 'a/b', vtype: 'strin', value: 'v' }, loc)).to.throw(InputError, /vtype/);
    expect(() => parseDebconfArgs({ name: 'x', question: 'a/b', vtype: 'string', value: 'one\ntwo' }, loc)).to.throw(InputError, /one line/);
    expect(debconfModule.argNames).to.include.members(['pkg', 'selection', 'setting', 'answer']);
  });
});
