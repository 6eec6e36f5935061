// A loop over a module with loopBatch (kvb, harness.ts) costs one probe and one apply on the host
// whatever its length, and still reports, registers, forecasts and diffs each item as one by one.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { yamlRun } from './yaml-play.js';

type Result = Extract<RunEvent, { type: 'host_result' }>;

function results(events: RunEvent[], task: string): Result[] {
  return events.filter((e): e is Result => e.type === 'host_result' && e.task === task);
}

const LOOP = `
- hosts: all
  gather_facts: false
  tasks:
    - name: keys
      kvb: { key: "{{ item.k }}", value: "{{ item.v }}" }
      loop: "{{ pairs }}"
      register: r
    - name: seen
      kv: { key: seen, value: "{{ r.results.[0].changed }},{{ r.results.[1].changed }},{{ r.results.[2].changed }} {{ r.results.[1].item.k }} {{ r.changed }}" }
`;

function loopRun(pairs: Array<{ k: string; v: string }>, options = {}, extraTask = '') {
  return yamlRun({ 'site.yml': LOOP + extraTask }, ['web1'], { hostVars: { web1: { pairs } }, options });
}

describe('loop batch (RemoteModule.loopBatch)', () => {
  const three = [{ k: 'a', v: '1' }, { k: 'b', v: '2' }, { k: 'c', v: '3' }];

  it('applies N items with one probe and one remote call, and reports and registers each item', async () => {
    const r = loopRun(three);
    expect(await r.run()).to.equal(0);
    const host = r.hosts.get('web1')!;
    expect(host.scripts.filter((s) => s === 'dump' || s === 'mset')).to.deep.equal(['dump', 'mset']);
    expect([...host.kv.entries()].filter(([k]) => k !== 'seen')).to.deep.equal([['a', '1'], ['b', '2'], ['c', '3']]);
    expect(results(r.events, 'keys').map((e) => [e.item, e.status])).to.deep.equal([['{"k":"a","v":"1"}', 'changed'], ['{"k":"b","v":"2"}', 'changed'], ['{"k":"c","v":"3"}', 'changed']]);
    expect(host.kv.get('seen')).to.equal('true,true,true b true');
  });

  it('sends only the items that change, and a second run changes nothing', async () => {
    const r = loopRun(three);
    const host = r.hosts.get('web1')!;
    host.kv.set('b', '2');
    expect(await r.run()).to.equal(0);
    const mset = host.scripts.indexOf('mset');
    expect(host.scripts.filter((s) => s === 'dump' || s === 'mset')).to.deep.equal(['dump', 'mset']);
    expect(results(r.events, 'keys').map((e) => e.status)).to.deep.equal(['changed', 'ok', 'changed']);
    expect(host.kv.get('seen')).to.equal('true,false,true b true');
    expect(mset).to.be.greaterThan(-1);

    host.scripts.length = 0;
    expect(await r.run()).to.equal(0);
    expect(host.scripts.filter((s) => s === 'dump' || s === 'mset')).to.deep.equal(['dump']);
    expect(results(r.events, 'keys').slice(-3).map((e) => e.status)).to.deep.equal(['ok', 'ok', 'ok']);
  });

  it('plans each item after the earlier ones: a key set twice changes once', async () => {
    const r = loopRun([{ k: 'a', v: '1' }, { k: 'a', v: '1' }, { k: 'a', v: '2' }]);
    expect(await r.run()).to.equal(0);
    expect(results(r.events, 'keys').map((e) => e.status)).to.deep.equal(['changed', 'ok', 'changed']);
    expect(r.hosts.get('web1')!.kv.get('a')).to.equal('2');
  });

  it('check mode: one probe, nothing applied, each item forecast as it would go, with its diff', async () => {
    const r = loopRun(three, { check: true, diff: true });
    r.hosts.get('web1')!.kv.set('c', '3');
    expect(await r.run()).to.equal(0);
    const host = r.hosts.get('web1')!;
    expect(host.scripts.filter((s) => s === 'dump' || s === 'mset')).to.deep.equal(['dump']);
    expect(host.kv.has('a')).to.equal(false);
    const res = results(r.events, 'keys');
    expect(res.map((e) => e.status)).to.deep.equal(['changed', 'changed', 'ok']);
    expect(res[1]!.diffs).to.deep.equal([{ path: 'b', before: '', after: '2' }]);
  });

  it('--diff in a real run: each changed item carries its own diff', async () => {
    const r = loopRun(three, { diff: true });
    expect(await r.run()).to.equal(0);
    expect(results(r.events, 'keys').map((e) => e.diffs?.[0]?.path)).to.deep.equal(['a', 'b', 'c']);
  });

  it('a failed item fails itself; the items after it run one by one against what is on the host', async () => {
    const r = loopRun([{ k: 'a', v: '1' }, { k: 'b', v: 'boom' }, { k: 'c', v: '3' }, { k: 'a', v: '1' }]);
    expect(await r.run()).to.equal(2);
    const host = r.hosts.get('web1')!;
    const res = results(r.events, 'keys');
    expect(res.map((e) => e.status)).to.deep.equal(['changed', 'failed', 'changed', 'ok']);
    expect(res[1]!.msg).to.equal('cannot set b');
    expect(host.kv.get('c')).to.equal('3');
    // The batch (dump, mset of a, b, c), then c and the repeated a one by one: a probe each, and a set for c.
    expect(host.scripts.filter((s) => s === 'dump' || s === 'mset')).to.deep.equal(['dump', 'mset', 'dump', 'mset', 'dump']);
  });

  it('items skipped by when are skipped; the others still go in one call', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: keys
      kvb: { key: "{{ item }}", value: x }
      loop: [a, b, c, d]
      when: item != 'b'
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const host = r.hosts.get('web1')!;
    expect(host.scripts).to.deep.equal(['dump', 'mset']);
    expect(results(r.events, 'keys').map((e) => e.status)).to.deep.equal(['changed', 'skipped', 'changed', 'changed']);
    expect(host.kv.has('b')).to.equal(false);
  });

  it('changed_when applies to each item', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: keys
      kvb: { key: "{{ item }}", value: x }
      loop: [a, b]
      changed_when: item == 'b'
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    expect(results(r.events, 'keys').map((e) => e.status)).to.deep.equal(['ok', 'changed']);
  });

  it('until keeps the one-by-one path (a probe per item)', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: keys
      kvb: { key: "{{ item }}", value: x }
      loop: [a, b, c]
      register: r
      until: r is changed
      retries: 0
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    expect(r.hosts.get('web1')!.scripts).to.deep.equal(['dump', 'mset', 'dump', 'mset', 'dump', 'mset']);
  });
});
