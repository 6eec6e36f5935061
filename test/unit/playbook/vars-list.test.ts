// `vars:` as a list of mappings, which Ansible merges in order (ansible-examples' get_url.yml writes it so).
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { toVars } from '../../../src/playbook/values.js';

const loc = { file: 'site.yml', line: 3, col: 3 };

describe('playbook/values: vars', () => {
  const table: [string, unknown, Record<string, unknown>][] = [
    ['a mapping', { a: 1 }, { a: 1 }],
    ['nothing', null, {}],
    ['a list of mappings, merged in order', [{ a: 1, b: 1 }, { b: 2 }], { a: 1, b: 2 }],
    ['an empty item in the list', [{ a: 1 }, null], { a: 1 }],
  ];
  for (const [what, raw, vars] of table) it(what, () => expect(toVars(raw, 'vars', loc)).to.deep.equal(vars));

  it('refuses a list holding anything but mappings, and a scalar', () => {
    expect(() => toVars([{ a: 1 }, 'b'], 'vars', loc)).to.throw(InputError, /vars must be a mapping of names to values \(or a list of mappings\), found a list/);
    expect(() => toVars('x', 'vars', loc)).to.throw(InputError, /found a string/);
  });
});
