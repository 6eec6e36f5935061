// What templates derive from a secret is masked too: the encodings the helpers produce, chained or not.
import { expect } from 'chai';
import { MASK, SecretSet } from '../../../src/secrets/mask.js';
import { createTemplater } from '../../../src/template/index.js';

const PW = 'Bec0me-Pw+x/y=z!';

function run(template: string): { out: string; masked: string } {
  const secrets = new SecretSet();
  secrets.add(PW);
  const t = createTemplater(undefined, secrets);
  const out = String(t.render(template, { pw: PW, user: 'deploy' }));
  return { out, masked: secrets.mask(out) };
}

describe('secrets derived by template helpers', () => {
  for (const helper of ['b64encode', 'upper', 'lower', 'quote', 'urlencode', 'json', 'trim']) {
    it(`{{${helper} pw}} is masked`, () => {
      const { out, masked } = run(`x={{${helper} pw}}.`);
      expect(out).to.not.include(MASK);
      // quote and json keep their quotes around the mask
      expect(masked).to.match(/^x=['"]?\*{8}['"]?\.$/);
    });
  }

  it('chained helpers and a secret inside a larger text are masked', () => {
    expect(run('{{b64encode (upper pw)}}').masked).to.equal(MASK);
    expect(run('{{b64encode (concat user ":" pw)}}').masked).to.equal(MASK);
    expect(run('{{replace pw "!" "?"}}').masked).to.equal(MASK);
    expect(run('Basic {{b64encode (concat user ":" pw)}}').masked).to.equal(`Basic ${MASK}`);
  });

  it('leaves counts, tests and one-character pieces alone (they would mask everything)', () => {
    expect(run('{{length pw}} {{eq pw "x"}} {{first pw}}').masked).to.equal('16 false B');
  });

  it('masks the base64, upper and lower forms of a secret that never went through a template', () => {
    const s = new SecretSet();
    s.add(PW);
    const b64 = Buffer.from(PW).toString('base64');
    expect(s.mask(`${b64} ${PW.toUpperCase()} ${PW.toLowerCase()} ${b64.replace(/=+$/, '')}`)).to.equal(`${MASK} ${MASK} ${MASK} ${MASK}`);
    expect(s.contains(`a ${PW.toUpperCase()} b`)).to.equal(true);
    expect(s.contains('nothing here')).to.equal(false);
  });
});
