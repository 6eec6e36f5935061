import { expect } from 'chai';
import { fromHost } from '../../../src/core/host-data.js';
import { isUnsafe } from '../../../src/core/unsafe.js';
import { HostState } from '../../../src/executor/host-state.js';
import { restoreHost, snapshotOf } from '../../../src/queue/host-snapshot.js';
import { judgeBatch } from '../../../src/queue/submit.js';
import type { RunContext } from '../../../src/executor/context.js';
import type { Play } from '../../../src/playbook/types.js';

describe('queue/host-snapshot', () => {
  it('carries facts, registered values and include_vars to the next play, host data still unrenderable', () => {
    const st = new HostState('web1');
    st.learnFacts(fromHost({ ansible_hostname: 'web1' }));
    st.learnHostFacts(fromHost({ out: { stdout: 'evil {{ lookup }}' } }));
    st.learnIncludedVars({ port: 8080 });
    const back = restoreHost('web1', snapshotOf(st));
    expect(back.facts.ansible_hostname).to.equal('web1');
    expect(back.includedVars).to.deep.equal({ port: 8080 });
    expect(isUnsafe((back.hostFacts.out as { stdout: unknown }).stdout)).to.equal(true);
    expect(restoreHost('new', undefined).facts).to.deep.equal({});
  });
});

describe('queue/judgeBatch (rollout rules over a whole batch)', () => {
  const states = new Map<string, HostState>();
  const ctx = { states } as unknown as RunContext;
  const play = (p: Partial<Play>): Play => ({ anyErrorsFatal: false, ...p }) as Play;
  beforeEach(() => {
    states.clear();
    for (const h of ['a', 'b', 'c', 'd']) states.set(h, new HostState(h));
  });

  it('stops over max_fail_percentage, not at or under it', () => {
    states.get('a')!.failed = true;
    expect(judgeBatch(ctx, play({ maxFailPercentage: 25 }), ['a', 'b', 'c', 'd'], 0, 2)).to.equal(undefined);
    expect(judgeBatch(ctx, play({ maxFailPercentage: 20 }), ['a', 'b', 'c', 'd'], 0, 2)).to.match(/max_fail_percentage 20% exceeded: 1 of 4/);
  });

  it('any_errors_fatal stops at one failure; a wholly failed batch stops unless it is the last', () => {
    states.get('b')!.unreachable = true;
    expect(judgeBatch(ctx, play({ anyErrorsFatal: true }), ['a', 'b'], 1, 2)).to.match(/any_errors_fatal: b/);
    states.get('a')!.failed = true;
    expect(judgeBatch(ctx, play({}), ['a', 'b'], 0, 2)).to.match(/every host of batch 1\/2 failed/);
    expect(judgeBatch(ctx, play({}), ['a', 'b'], 1, 2)).to.equal(undefined);
  });
});
