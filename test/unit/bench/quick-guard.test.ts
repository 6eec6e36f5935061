// bench:quick's guard: counts fail past +25% of the committed figures, CPU figures only warn and only past 2x.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareQuick, type QuickFigures } from '../../../bench/quick-guard.js';

const base: QuickFigures = { roundTripsPerTask: 1, hostProcessesPerTask: 12, cpuMsPerHostTask: 4, startupCpuS: 0.12, syntaxCheckCpuS: 0.3, applyStartupCpuS: 0.5 };

describe('bench:quick regression guard', () => {
  it('passes figures equal to or within 25% of the committed counts', () => {
    expect(compareQuick(base, base)).to.deep.equal([]);
    expect(compareQuick(base, { ...base, hostProcessesPerTask: 15 })).to.deep.equal([]);
  });

  it('fails a count that grew more than 25%: one more round trip per task, or 16 host processes for 12', () => {
    expect(compareQuick(base, { ...base, roundTripsPerTask: 2 })).to.deep.equal([{ figure: 'roundTripsPerTask', committed: 1, now: 2, level: 'fail' }]);
    expect(compareQuick(base, { ...base, hostProcessesPerTask: 16 }).map((f) => f.level)).to.deep.equal(['fail']);
  });

  it('only warns on CPU, and only past twice the committed figure (machines differ)', () => {
    expect(compareQuick(base, { ...base, cpuMsPerHostTask: 7.9, startupCpuS: 0.2 })).to.deep.equal([]);
    const findings = compareQuick(base, { ...base, cpuMsPerHostTask: 9, startupCpuS: 0.25, syntaxCheckCpuS: 0.61, applyStartupCpuS: 1.01 });
    expect(findings.map((f) => [f.figure, f.level])).to.deep.equal([['cpuMsPerHostTask', 'warn'], ['startupCpuS', 'warn'], ['syntaxCheckCpuS', 'warn'], ['applyStartupCpuS', 'warn']]);
  });

  it('skips a figure the committed file does not have', () => {
    expect(compareQuick({ roundTripsPerTask: 1 }, { ...base, hostProcessesPerTask: 100 })).to.deep.equal([]);
  });

  it('reads the committed bench/results/quick.json, which has every figure', () => {
    const file = fileURLToPath(new URL('../../../../bench/results/quick.json', import.meta.url));
    const committed = (JSON.parse(readFileSync(file, 'utf8')) as { figures: QuickFigures }).figures;
    for (const key of Object.keys(base)) expect(committed[key as keyof QuickFigures], key).to.be.a('number');
    expect(compareQuick(committed, committed)).to.deep.equal([]);
  });
});
