// !unsafe and data from hosts: never rendered by the templater or the lazy vars, printed as plain text.
import { expect } from 'chai';
import { protectData, revealUnsafe, UnsafeText } from '../../../src/core/unsafe.js';
import { lazyVars } from '../../../src/executor/lazy-vars.js';
import { createTemplater } from '../../../src/template/index.js';
import { parseYaml } from '../../../src/yaml/load.js';

describe('core/unsafe', () => {
  const t = createTemplater();

  it('protectData wraps only strings holding {{, at any depth, and leaves the rest untouched', () => {
    const plain = { a: 'x', b: [1, 'y'] };
    expect(protectData(plain)).to.equal(plain);
    const p = protectData({ out: 'got {{ x }}', list: ['ok', '{{y}}'], n: 3 }) as any;
    expect(p.out).to.be.instanceOf(UnsafeText);
    expect(p.list[0]).to.equal('ok');
    expect(p.list[1]).to.be.instanceOf(UnsafeText);
    expect(revealUnsafe(p)).to.deep.equal({ out: 'got {{ x }}', list: ['ok', '{{y}}'], n: 3 });
  });

  it('the templater gives the text of !unsafe values and never renders it', () => {
    const doc = parseYaml('cmd: !unsafe "echo {{ x }}"\nlist: [!unsafe "{{ y }}", "{{ z }}"]\n', 'f.yml') as Record<string, unknown>;
    expect(t.render(doc, { z: 'zed' })).to.deep.equal({ cmd: 'echo {{ x }}', list: ['{{ y }}', 'zed'] });
    // Looked up through a variable, as a lone value and inside text.
    const raw = new UnsafeText('{{ secret_template }}');
    expect(t.render('{{ v }}', { v: raw })).to.equal('{{ secret_template }}');
    expect(t.render('[{{ v }}]', { v: raw })).to.equal('[{{ secret_template }}]');
    expect(t.renderText('v={{ v }}\n', { v: raw }, 'x.conf.hbs')).to.equal('v={{ secret_template }}\n');
    expect(JSON.stringify({ v: raw })).to.equal('{"v":"{{ secret_template }}"}');
  });

  it('lazy vars turn it back into text without rendering; a variable referring to it gets the text', () => {
    const vars = lazyVars({ u: new UnsafeText('{{ nope }}'), ref: '<{{ u }}>', deep: { list: [new UnsafeText('{{ n }}')] } }, (v, all) => t.render(v, all));
    expect(vars.u).to.equal('{{ nope }}');
    expect(vars.ref).to.equal('<{{ nope }}>');
    expect(vars.deep).to.deep.equal({ list: ['{{ n }}'] });
  });
});
