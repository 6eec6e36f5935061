import { expect } from 'chai';
import { InventoryBuilder } from '../../../src/inventory/builder.js';
import { mergeHostVars, sortedGroupsOf } from '../../../src/inventory/merge.js';
import type { VarsDirLayer } from '../../../src/inventory/vars-dirs.js';

const loc = { file: 'inv', line: 1, col: 1 };

function build() {
  const b = new InventoryBuilder();
  b.addChild('all', 'parent', loc);
  b.addChild('parent', 'child', loc);
  b.addHost('child', 'h', { v: 'host' }, loc);
  b.addHost('zeta', 'h', {}, loc);
  b.addHost('alpha', 'h', {}, loc);
  b.setGroupVars('parent', { v: 'parent', p: 1 });
  b.setGroupVars('child', { v: 'child' });
  b.setGroupVars('alpha', { w: 'alpha' });
  b.setGroupVars('zeta', { w: 'zeta' });
  return b;
}

describe('inventory/merge', () => {
  it('orders groups by depth, then name', () => {
    const data = build().finish();
    expect(sortedGroupsOf('h', data)).to.deep.equal(['alpha', 'parent', 'zeta', 'child']);
    expect(data.depth.get('child')).to.equal(2);
  });

  it('honours ansible_group_priority among groups of the same depth', () => {
    const b = build();
    b.setGroupVars('alpha', { ansible_group_priority: 10 });
    const data = b.finish();
    expect(sortedGroupsOf('h', data)).to.deep.equal(['parent', 'zeta', 'alpha', 'child']);
    expect(mergeHostVars('h', data, []).w).to.equal('alpha');
  });

  it('lets host vars beat every group, and group_vars layers beat inventory-file vars', () => {
    const data = build().finish();
    expect(mergeHostVars('h', data, []).v).to.equal('host');
    expect(mergeHostVars('h', data, []).w).to.equal('zeta');
    const layer: VarsDirLayer = { dir: 'x', groups: new Map([['parent', { p: 2 }], ['all', { p: 3, a: 1 }]]), hosts: new Map() };
    const v = mergeHostVars('h', data, [layer]);
    expect(v.p).to.equal(2);
    expect(v.a).to.equal(1);
  });
});
