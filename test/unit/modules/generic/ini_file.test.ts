// ini_file run for real on a php.ini-like file: set in place, create, remove, idempotent.
import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { iniFileModule } from '../../../../src/modules/generic/ini_file.js';
import { apply, fakeCtx, loc, planOnly, tempDir } from '../lib/local.js';

describe('modules/generic/ini_file', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  const phpIni = '[PHP]\nengine = On\n\n[Session]\nsession.save_handler = files\n;session.save_path = "/var/lib/php/sessions"\n';

  it('sets php.ini session options on the host, idempotently, keeping the mode', () => {
    const path = t.path('php.ini');
    writeFileSync(path, phpIni);
    chmodSync(path, 0o640);
    const save = { path, section: 'Session', option: 'session.save_path', value: '"tcp://10.0.0.1:6379?auth=a%26b"' };
    const handler = { path, section: 'Session', option: 'session.save_handler', value: 'redis' };
    for (const raw of [handler, save]) {
      const r = apply(iniFileModule, raw);
      expect(r.plan.changes).to.have.length(1);
      expect(r.results[0].code, r.results[0].stderr).to.equal(0);
    }
    expect(readFileSync(path, 'utf8')).to.equal(
      // The commented-out line is the one set, as Ansible 2.14 does.
      '[PHP]\nengine = On\n\n[Session]\nsession.save_handler = redis\nsession.save_path = "tcp://10.0.0.1:6379?auth=a%26b"\n',
    );
    expect(statSync(path).mode & 0o777).to.equal(0o640);
    for (const raw of [handler, save]) expect(apply(iniFileModule, raw).plan.changes).to.deep.equal([]);
  });

  it('creates the file by default, and diff shows before and after', () => {
    const path = t.path('new/app.ini');
    const r = apply(iniFileModule, { dest: path, section: 'main', option: 'k', value: 'v' });
    // A new file starts with a blank line, byte for byte as Ansible writes it.
    expect(r.plan.diffs).to.deep.equal([{ path, before: '', after: '\n[main]\nk = v\n' }]);
    expect(readFileSync(path, 'utf8')).to.equal('\n[main]\nk = v\n');
    const noCreate = planOnly(iniFileModule, { path: t.path('other.ini'), section: 's', option: 'k', value: 'v', create: false });
    expect(noCreate.failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('other.ini') }]);
  });

  it('removes an option', () => {
    const path = t.path('a.ini');
    writeFileSync(path, '[s]\nk = 1\nj = 2\n');
    const r = apply(iniFileModule, { path, section: 's', option: 'k', state: 'absent' }, fakeCtx({ diff: false }));
    expect(r.plan.diffs).to.equal(undefined);
    expect(readFileSync(path, 'utf8')).to.equal('[s]\nj = 2\n');
  });

  it('requires a value with state=present, an option for a value, and option or section to remove', () => {
    expect(() => iniFileModule.parse({ path: '/x', section: 's', option: 'k' }, loc)).to.throw(/'value' must be given/);
    expect(() => iniFileModule.parse({ path: '/x', section: 's' }, loc)).to.throw(/'value' must be given/);
    expect(() => iniFileModule.parse({ path: '/x', section: 's', value: '1' }, loc)).to.throw(/'value' needs 'option': name the option to set to '1' in section 's'/);
    expect(() => iniFileModule.parse({ path: '/x', value: '1' }, loc)).to.throw(/'value' needs 'option'/);
    expect(() => iniFileModule.parse({ path: '/x', state: 'absent' }, loc)).to.throw(/state=absent needs 'option' \(to remove it\) or 'section'/);
    expect(iniFileModule.parse({ path: '/x', section: 's', allow_no_value: true }, loc)).to.include({ section: 's', option: undefined });
    expect(iniFileModule.parse({ path: '/x', section: 's', state: 'absent' }, loc)).to.include({ state: 'absent' });
  });
});
