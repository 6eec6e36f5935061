import { expect } from 'chai';
import { canColor, canRedraw, termSize } from '../../../src/output/tty.js';

describe('output/tty', () => {
  it('redraws on a terminal, not on a pipe nor a dumb terminal; NO_COLOR keeps the live view', () => {
    expect(canRedraw({ isTTY: true }, {})).to.equal(true);
    expect(canRedraw({ isTTY: true }, { NO_COLOR: '1' })).to.equal(true);
    expect(canRedraw({ isTTY: true }, { TERM: 'dumb' })).to.equal(false);
    expect(canRedraw({}, {})).to.equal(false);
    expect(canRedraw({ isTTY: false }, { TERM: 'xterm-256color' })).to.equal(false);
  });

  it('colours on a terminal unless NO_COLOR or TERM=dumb', () => {
    expect(canColor({ isTTY: true }, { TERM: 'xterm' })).to.equal(true);
    expect(canColor({ isTTY: true }, { NO_COLOR: '1' })).to.equal(false);
    expect(canColor({ isTTY: true }, { TERM: 'dumb' })).to.equal(false);
    expect(canColor({}, {})).to.equal(false);
  });

  it('falls back to 80x24 when the stream does not know its size', () => {
    expect(termSize({})).to.deep.equal({ columns: 80, rows: 24 });
    expect(termSize({ columns: 0, rows: 0 })).to.deep.equal({ columns: 80, rows: 24 });
    expect(termSize({ columns: 132, rows: 50 })).to.deep.equal({ columns: 132, rows: 50 });
  });
});
