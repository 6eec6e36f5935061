// The with_<lookup> loops as Ansible 2.14 builds their lists: tables of terms in, items out, and a
// playbook that uses each one on a fake host.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunbookError } from '../../../src/core/errors.js';
import { lookupItems, sequence } from '../../../src/executor/loop-lookups.js';
import { writeTree, yamlRun } from './yaml-play.js';

const loc = { file: 'site.yml', line: 4, col: 7 };
const here = { playbookDir: '/nonexistent' };

describe('with_<lookup> loops', () => {
  it('nested: every combination, the first list slowest; a scalar is a list of one', () => {
    expect(lookupItems('nested', [['a', 'b'], [1, 2], 'x'], here, loc)).to.deep.equal([['a', 1, 'x'], ['a', 2, 'x'], ['b', 1, 'x'], ['b', 2, 'x']]);
  });

  it('together: side by side, the shorter padded with null', () => {
    expect(lookupItems('together', [['a', 'b', 'c'], [1, 2]], here, loc)).to.deep.equal([['a', 1], ['b', 2], ['c', null]]);
  });

  const table: [string, string[]][] = [
    ['start=1 end=3', ['1', '2', '3']],
    ['start=0 end=10 stride=5 format=web%02d', ['web00', 'web05', 'web10']],
    ['count=3 start=4', ['4', '5', '6']],
    ['count=0', []],
    ['4-6', ['4', '5', '6']],
    ['3', ['1', '2', '3']],
    ['2-10/4:host%x', ['host2', 'host6', 'hosta']],
    ['start=5 end=1 stride=-2', ['5', '3', '1']],
    ['start=0x0a end=0x0c format=%d', ['10', '11', '12']],
  ];
  for (const [term, items] of table) {
    it(`sequence ${term}`, () => expect(sequence(term, loc)).to.deep.equal(items));
  }

  it('sequence mistakes say what to write', () => {
    expect(() => sequence('start=1', loc)).to.throw(RunbookError, /no end or count/);
    expect(() => sequence('start=5 end=1', loc)).to.throw(RunbookError, /cannot be reached/);
    expect(() => sequence('end=3 cnt=2', loc)).to.throw(RunbookError, /unknown argument 'cnt'/);
    expect(() => sequence('end=3 format=web', loc)).to.throw(RunbookError, /has no %d/);
  });

  it('subelements: [element, subelement] pairs, by a dotted key; skip_missing', () => {
    const users = [{ name: 'a', auth: { keys: ['k1', 'k2'] } }, { name: 'b', auth: { keys: [] } }, { name: 'c' }];
    expect(() => lookupItems('subelements', [users, 'auth.keys'], here, loc)).to.throw(RunbookError, /'auth.keys' not found/);
    const pairs = lookupItems('subelements', [users, 'auth.keys', { skip_missing: true }], here, loc) as unknown[][];
    expect(pairs.map(([u, k]) => `${(u as { name: string }).name}:${String(k)}`)).to.deep.equal(['a:k1', 'a:k2']);
  });

  it('fileglob and first_found look in the role and playbook folders; first_found with skip gives nothing', () => {
    const dir = writeTree({ 'files/conf.d/a.conf': 'a', 'files/conf.d/b.conf': 'b', 'files/conf.d/.hidden.conf': 'h', 'files/conf.d/c.txt': 'c', 'vars/Debian.yml': 'x: 1' });
    mkdirSync(join(dir, 'files/conf.d/dir.conf'));
    const places = { playbookDir: dir };
    expect(lookupItems('fileglob', 'conf.d/*.conf', places, loc)).to.deep.equal([join(dir, 'files/conf.d/a.conf'), join(dir, 'files/conf.d/b.conf')]);
    expect(lookupItems('first_found', ['vars/RedHat.yml', 'vars/Debian.yml'], places, loc)).to.deep.equal([join(dir, 'vars/Debian.yml')]);
    expect(lookupItems('first_found', [{ files: ['Debian.yml'], paths: ['vars'] }], places, loc)).to.deep.equal([join(dir, 'vars/Debian.yml')]);
    expect(lookupItems('first_found', [{ files: ['nope.yml'], skip: true }], places, loc)).to.deep.equal([]);
    expect(() => lookupItems('first_found', ['nope.yml'], places, loc)).to.throw(RunbookError, /none of the files was found/);
  });

  it('in a playbook: item.0 / item.1, and with_first_found beside include_tasks', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    users: [{ name: ann, keys: [k1, k2] }]
  tasks:
    - kv: { key: "n-{{ item.0 }}-{{ item.1 }}", value: x }
      with_nested: [[a, b], [1]]
    - kv: { key: "t-{{ item.0 }}-{{ item.1 }}", value: x }
      with_together: [[a, b], [1, 2]]
    - kv: { key: "s-{{ item }}", value: x }
      with_sequence: count=2 format=w%d
    - kv: { key: "u-{{ item.0.name }}-{{ item.1 }}", value: x }
      with_subelements: ["{{ users }}", keys]
    - include_tasks: "{{ item }}"
      with_first_found: [missing.yml, found.yml]
`,
      'found.yml': '- kv: { key: included, value: x }\n',
      // An Ansible project: its {{ }} are Jinja2, where item.0 is the first of a list.
      'ansible.cfg': '[defaults]\n',
    }, ['web1']);
    const code = await r.run();
    expect(code, JSON.stringify(r.events.filter((e) => e.type === 'host_result' && e.status === 'failed'))).to.equal(0);
    expect([...r.hosts.get('web1')!.kv.keys()]).to.deep.equal(['n-a-1', 'n-b-1', 't-a-1', 't-b-2', 's-w1', 's-w2', 'u-ann-k1', 'u-ann-k2', 'included']);
  });

  it('one loop per task: two loop keywords are refused where the second is written', () => {
    expect(() => yamlRun({ 'site.yml': '- hosts: all\n  tasks:\n    - kv: { key: a, value: b }\n      loop: [1]\n      with_nested: [[1]]\n' }, ['web1'])).to.throw(/a task has one loop, found loop and with_nested/);
  });
});
