import { expect } from 'chai';
import { palette } from '../../../src/output/colors.js';
import { recapLine } from '../../../src/output/recap-line.js';

const zero = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

describe('output/recap-line', () => {
  it('matches Ansible byte for byte', () => {
    expect(recapLine('web1', { ...zero, ok: 3, changed: 1 }, palette(false))).to.equal(
      'web1                       : ok=3    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
    );
    expect(recapLine('a-very-long-host-name.example.com', { ...zero, ok: 12345 }, palette(false))).to.equal(
      'a-very-long-host-name.example.com : ok=12345 changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
    );
  });

  it('colours the host by its worst result and only non-zero counters', () => {
    const failed = recapLine('web1', { ...zero, ok: 1, failed: 1 }, palette(true));
    expect(failed.startsWith('\x1b[31mweb1\x1b[39m')).to.equal(true);
    expect(failed).to.contain('\x1b[31mfailed=1   \x1b[39m');
    expect(failed).to.contain(' changed=0    ');
    expect(recapLine('web1', { ...zero, changed: 1 }, palette(true)).startsWith('\x1b[33mweb1')).to.equal(true);
    expect(recapLine('web1', { ...zero, ok: 1 }, palette(true)).startsWith('\x1b[32mweb1')).to.equal(true);
    expect(recapLine('web1', { ...zero, unreachable: 1 }, palette(true)).startsWith('\x1b[31mweb1')).to.equal(true);
  });
});
