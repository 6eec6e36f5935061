// Loops as Ansible runs them: with_items flattens one level; each registered result carries its
// loop variable, ansible_loop_var and, with index_var, the index.
import { expect } from 'chai';
import { yamlRun } from './yaml-play.js';

describe('loop items and their registered results', () => {
  it('with_items flattens a list inside the list, one level; loop does not', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - kv: { key: "wi-{{ item }}", value: x }
      with_items: [[a, b], c]
    - name: deeper
      kv: { key: deep, value: x }
      with_items: [[[d, e]]]
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    expect([...r.hosts.get('web1')!.kv.keys()]).to.deep.equal(['wi-a', 'wi-b', 'wi-c', 'deep']);
    // Only one level: the inner list stays one item.
    expect(r.events.flatMap((e) => (e.type === 'host_result' && e.task === 'deeper' ? [e.item] : []))).to.deep.equal(['["d","e"]']);
  });

  it('r.results[i] holds the loop variable, ansible_loop_var and the index_var', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - kv: { key: "k-{{ rec.name }}-{{ i }}", value: "{{ rec.name }}" }
      loop: [{ name: one }, { name: two }]
      loop_control: { loop_var: rec, index_var: i, label: "{{ rec.name }}" }
      register: r
    - kv: { key: seen, value: "{{ r.results.[1].rec.name }} {{ r.results.[1].ansible_loop_var }} {{ r.results.[1].i }} {{ r.results.[1].ansible_index_var }}" }
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const kv = r.hosts.get('web1')!.kv;
    expect(kv.get('k-two-1')).to.equal('two');
    expect(kv.get('seen')).to.equal('two rec 1 i');
  });
});
