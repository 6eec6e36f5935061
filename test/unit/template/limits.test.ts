// Bounds on rendering: an endless or enormous template fails naming the template and the limit it hit
// (and how to raise it) instead of hanging the controller or filling its memory.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { createTemplater } from '../../../src/template/index.js';
import { DEFAULT_RENDER_LIMITS, renderLimitsFromEnv } from '../../../src/template/limits.js';

// Prints nothing, so only the time limit can stop it (the size limit cannot win the race on a busy machine).
const NESTED_RANGE = '{{#each (range 100000)}}{{#each (range 100000)}}{{/each}}{{/each}}';

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an error');
}

describe('template/limits', () => {
  const small = createTemplater({ timeMs: 200, maxChars: 5000 });
  const slow = createTemplater({ timeMs: 200, maxChars: Number.MAX_SAFE_INTEGER });

  it('a nested range in a template file stops at the time limit, naming the file and how to raise it', () => {
    const err = thrown(() => slow.renderText(`a\n${NESTED_RANGE}\n`, {}, 'roles/app/templates/app.conf.hbs'));
    expect(err.message).to.match(/template roles\/app\/templates\/app\.conf\.hbs: rendering took longer than 0\.2 s, the limit for one template/);
    expect(err.loc).to.deep.equal({ file: 'roles/app/templates/app.conf.hbs', line: 1, col: 1 });
    expect(err.hint).to.include('RUNBOOK_TEMPLATE_TIMEOUT');
  });

  it('a playbook value is bounded too, and names where it is', () => {
    const loc = { file: 'site.yml', line: 4, col: 12 };
    const err = thrown(() => slow.render(NESTED_RANGE, {}, loc));
    expect(err.message).to.match(/longer than 0\.2 s/);
    expect(err.loc).to.deep.equal(loc);
  });

  it('output over the size limit fails, from a loop and from one large variable', () => {
    const loop = thrown(() => small.renderText('{{#each (range 1000)}}0123456789{{/each}}', {}, 'big.hbs'));
    expect(loop.message).to.match(/template big\.hbs: the rendered text is larger than 5000 bytes/);
    expect(loop.hint).to.include('RUNBOOK_TEMPLATE_MAX_BYTES');
    const one = thrown(() => small.renderText('v={{ v }}\n', { v: 'x'.repeat(6000) }, 'var.hbs'));
    expect(one.message).to.match(/larger than 5000 bytes/);
  });

  it('within the limits, templates render as before (nested loops included)', () => {
    expect(small.renderText('{{#each (range 3)}}{{#each (range 2)}}x{{/each}};{{/each}}', {}, 'ok.hbs')).to.equal('xx;xx;xx;');
    expect(small.render('{{ v }}', { v: [1, 2] })).to.deep.equal([1, 2]);
  });

  it('the limits come from RUNBOOK_TEMPLATE_TIMEOUT and RUNBOOK_TEMPLATE_MAX_BYTES; a bad value is an error', () => {
    expect(renderLimitsFromEnv({})).to.deep.equal(DEFAULT_RENDER_LIMITS);
    expect(renderLimitsFromEnv({ RUNBOOK_TEMPLATE_TIMEOUT: '60', RUNBOOK_TEMPLATE_MAX_BYTES: '1000' })).to.deep.equal({ timeMs: 60_000, maxChars: 1000 });
    expect(() => renderLimitsFromEnv({ RUNBOOK_TEMPLATE_TIMEOUT: 'soon' })).to.throw(InputError, /RUNBOOK_TEMPLATE_TIMEOUT must be a whole number/);
  });
});
