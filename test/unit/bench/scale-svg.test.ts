// The scale plot: one polyline per curve and panel, targets drawn, axes that hold every point.
import { expect } from 'chai';
import { connectRetries, curvePoints, type ScaleSample } from '../../../bench/scale.js';
import { niceMax, scaleSvg } from '../../../bench/scale-svg.js';

const sample = (hosts: number, phase: ScaleSample['phase'], cpuS: number, maxRssMb: number, wallS: number): ScaleSample => ({
  hosts, sample: 1, phase, cpuS, maxRssMb, wallS, changed: 0, retries: 0,
});

describe('bench: scale plot', () => {
  it('rounds an axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.2, 3.4, 7, 42, 0].map(niceMax)).to.deep.equal([0.5, 1, 2, 5, 10, 50, 1]);
  });

  it('turns medians per size into per host-task CPU and per host memory', () => {
    const points = curvePoints([sample(10, 'noop', 1, 80, 5), sample(10, 'noop', 3, 90, 7), sample(100, 'noop', 2, 100, 10), sample(100, 'converge', 9, 9, 9)], 10, 'noop');
    expect(points).to.deep.equal([
      { hosts: 10, cpuMsPerHostTask: 20, rssMbPerHost: 8.5, wallS: 6 },
      { hosts: 100, cpuMsPerHostTask: 2, rssMbPerHost: 1, wallS: 10 },
    ]);
  });

  it('draws three panels with a line per curve, the targets, and escapes the title', () => {
    const pts = [10, 100, 1000].map((hosts, i) => ({ hosts, cpuMsPerHostTask: 3 - i, rssMbPerHost: 1 / (i + 1), wallS: 10 ** i }));
    const svg = scaleSvg([{ label: 'no-op', colour: '#00f', points: pts }, { label: 'converge', colour: '#f80', points: pts }], 'runbook <at> scale & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
    expect(svg.trim().endsWith('</svg>')).to.equal(true);
    expect(svg.match(/<polyline /g)).to.have.length(6);
    expect(svg).to.include('target 0.5').and.include('target 0.25');
    expect(svg).to.include('runbook &lt;at&gt; scale &amp; more');
    // Every point inside its panel's plot area.
    for (const m of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)) {
      expect(Number(m[2])).to.be.within(28, 180);
      expect(Number(m[1]) % 300).to.be.within(46, 288);
    }
  });

  it('reads the retries the CLI reported on stderr', () => {
    expect(connectRetries('x\n[ssh] 12 handshake(s) dropped by the server (sshd MaxStartups?) were retried, 1000 connection(s) made\n')).to.equal(12);
    expect(connectRetries('nothing said')).to.equal(0);
  });
});
