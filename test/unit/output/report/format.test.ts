import { expect } from 'chai';
import { formatDuration, percent, tickStep } from '../../../../src/output/report/format.js';

describe('output/report/format', () => {
  it('formats durations in ms, s, then min', () => {
    expect([0, 999, 1000, 4249, 59_949, 60_000, 185_400].map(formatDuration)).to.deep.equal(['0 ms', '999 ms', '1.0 s', '4.2 s', '59.9 s', '1 min 00 s', '3 min 05 s']);
  });

  it('clamps percentages to the track and survives an empty run', () => {
    expect([percent(1, 3), percent(5, 4), percent(-1, 4), percent(1, 0)]).to.deep.equal(['33.333%', '100.000%', '0.000%', '0.000%']);
  });

  it('picks 1-2-5 tick steps giving at most 8 intervals', () => {
    for (const [total, step] of [[1, 1], [160, 20], [9_000, 2_000], [61_000, 10_000], [400_000, 50_000]] as const) {
      expect(tickStep(total), String(total)).to.equal(step);
      expect(total / tickStep(total)).to.be.at.most(8);
    }
  });
});
