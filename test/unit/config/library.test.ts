// Where custom modules are configured (Ansible's DEFAULT_MODULE_PATH): ANSIBLE_LIBRARY over the
// config file's `library`, else Ansible's default folders.
import { expect } from 'chai';
import { join } from 'node:path';
import { readAnsibleCfg } from '../../../src/config/ansible-cfg.js';
import { libraryPath } from '../../../src/config/settings.js';

describe('config: the custom module path (library)', () => {
  const env = { HOME: '/home/u' };

  it("ansible.cfg's library is read, relative to the file and ~ to HOME, with no warning", () => {
    const config = readAnsibleCfg('[defaults]\nlibrary = ./mods:~/more\n', '/p/ansible.cfg', env);
    expect(config.library).to.deep.equal(['/p/mods', '/home/u/more']);
    expect(config.warnings ?? []).to.deep.equal([]);
    expect(libraryPath(config, env, '/cwd')).to.deep.equal(['/p/mods', '/home/u/more']);
  });

  it('ANSIBLE_LIBRARY wins (relative entries from cwd); without either, Ansible\'s defaults', () => {
    const config = readAnsibleCfg('[defaults]\nlibrary = ./mods\n', '/p/ansible.cfg', env);
    expect(libraryPath(config, { ...env, ANSIBLE_LIBRARY: 'lib:/abs' }, '/cwd')).to.deep.equal(['/cwd/lib', '/abs']);
    expect(libraryPath({}, env, '/cwd')).to.deep.equal([join('/home/u', '.ansible/plugins/modules'), '/usr/share/ansible/plugins/modules']);
  });
});
