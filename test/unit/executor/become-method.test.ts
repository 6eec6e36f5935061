// become_method and become_flags reach each task's become: the nearest keyword (task > block > play)
// is what the resolver is asked with; the resolver (cli/wiring.ts over transport/spec.ts) puts the
// inventory's ansible_become_method above it, as tested in test/unit/transport/spec.test.ts.
import { expect } from 'chai';
import type { BecomeHow } from '../../../src/executor/context.js';
import { yamlRun } from './yaml-play.js';

const SITE = `
- hosts: all
  gather_facts: false
  become: true
  become_method: su
  tasks:
    - name: play method
      debug: {msg: a}
    - name: task says sudo
      debug: {msg: b}
      become_method: sudo
    - block:
        - name: block flags
          debug: {msg: c}
        - name: task flags beat the block's
          debug: {msg: d}
          become_flags: '-'
      become_flags: '-l'
`;

describe('executor: become_method and become_flags keywords', () => {
  it('each task asks for the nearest become_method and become_flags', async () => {
    const y = yamlRun({ 'site.yml': SITE }, ['web1']);
    const asked: BecomeHow[] = [];
    y.ctx.resolver = { ...y.ctx.resolver, become: (_vars, _become, _user, how) => (asked.push(how ?? {}), undefined) };
    expect(await y.run()).to.equal(0);
    expect(asked).to.deep.equal([{ method: 'su' }, { method: 'sudo' }, { method: 'su', flags: '-l' }, { method: 'su', flags: '-' }]);
  });
});
