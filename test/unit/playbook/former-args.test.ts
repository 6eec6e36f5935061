// Arguments an older Ansible took and ansible-core 2.14 refuses too (a spec's formerArgs): still
// refused, at the argument, with why and what to write instead rather than a list of names.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { fileModule } from '../../../src/modules/generic/file.js';
import { loadTree } from '../executor/yaml-play.js';

const caught = (f: () => unknown): InputError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('former Ansible arguments', () => {
  it("file's context=default is refused at load time, pointing at setype: _default", () => {
    const e = caught(() => loadTree({ 'site.yml': '- hosts: all\n  tasks:\n    - name: restore\n      file: path=/etc/exports context=default\n' }));
    expect(e.message).to.match(/module 'file' has no argument 'context'/);
    expect(e.hint).to.match(/setype: _default/);
    expect(e.loc?.line).to.equal(4);
  });

  it('and by the module itself, with the same hint', () => {
    const e = caught(() => fileModule.parse({ path: '/etc/exports', context: 'default' }, { file: 'x.yml', line: 1, col: 1 }));
    expect(e.hint).to.match(/ansible-core 2.14 refuses it too/);
  });

  it("get_url's sha256sum names checksum:", () => {
    const e = caught(() => loadTree({ 'site.yml': '- hosts: all\n  tasks:\n    - get_url: { url: "https://example.com/a", dest: /tmp/a, sha256sum: abc }\n' }));
    expect(e.hint).to.match(/checksum: sha256:DIGEST/);
  });

  it('SELinux arguments, _default included, load and are ignored', () => {
    const pb = loadTree({ 'site.yml': '- hosts: all\n  tasks:\n    - file: { path: /etc/exports, setype: _default, seuser: _default, serole: object_r, selevel: s0 }\n' });
    expect(pb.plays).to.have.length(1);
    expect(fileModule.parse({ path: '/etc/exports', setype: '_default', seuser: 'unconfined_u' }, { file: 'x.yml', line: 1, col: 1 })).to.not.have.property('setype');
  });
});
