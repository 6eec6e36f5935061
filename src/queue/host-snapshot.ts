// A host's state between plays, as JSON in the run's Redis hash: what the next play's worker
// needs (facts, set_fact and registered values, include_vars), whichever worker that is. Host data
// is marked as host data again on the way back in, so it stays unrenderable.
import { fromHost } from '../core/host-data.js';
import { revealUnsafe } from '../core/unsafe.js';
import type { Vars } from '../core/types.js';
import { HostState } from '../executor/host-state.js';

interface Snapshot {
  facts: Vars;
  hostFacts: Vars;
  includedVars: Vars;
}

export function snapshotOf(st: HostState): string {
  const snap: Snapshot = { facts: revealUnsafe({ ...st.facts }), hostFacts: revealUnsafe({ ...st.hostFacts }), includedVars: revealUnsafe(st.includedVars) };
  return JSON.stringify(snap);
}

export function restoreHost(name: string, text: string | undefined): HostState {
  const st = new HostState(name);
  if (!text) return st;
  const snap = JSON.parse(text) as Snapshot;
  st.learnFacts(fromHost(snap.facts));
  st.learnHostFacts(fromHost(snap.hostFacts));
  st.learnIncludedVars(snap.includedVars);
  return st;
}
