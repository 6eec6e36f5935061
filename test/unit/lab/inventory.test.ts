// The inventory and secrets a lab writes must read back as Ansible and runbook expect.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AWKWARD_CHARS, ensureSecrets, inventoryYaml } from '../../../src/lab/inventory.js';

describe('lab/inventory', () => {
  it('writes an Ansible YAML inventory with addresses, groups, key and known_hosts', () => {
    const text = inventoryYaml(
      [
        { name: 'redis1', groups: ['redis'], address: '10.77.0.11' },
        { name: 'web1', groups: ['web', 'php'], address: '10.77.0.12' },
        { name: 'spare', groups: [], address: '10.77.0.13' },
      ],
      '/lab/id_ed25519',
      '/lab/known_hosts',
    );
    const inv = parse(text);
    expect(inv.all.vars).to.deep.equal({
      ansible_user: 'root',
      ansible_ssh_private_key_file: '/lab/id_ed25519',
      ssh_known_hosts_file: '/lab/known_hosts',
    });
    expect(inv.all.hosts.web1).to.deep.equal({ ansible_host: '10.77.0.12' });
    expect(inv.all.hosts.spare).to.deep.equal({ ansible_host: '10.77.0.13' });
    expect(Object.keys(inv.all.children)).to.deep.equal(['redis', 'web', 'php']);
    expect(Object.keys(inv.all.children.php.hosts)).to.deep.equal(['web1']);
  });

  it('makes a 24-char redis_password holding & = + ! @ % that survives YAML, and keeps an existing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-lab-secrets-'));
    try {
      const file = join(dir, 'secrets.yml');
      await ensureSecrets(file);
      const password: string = parse(await readFile(file, 'utf8')).redis_password;
      expect(password).to.have.length(24);
      for (const c of AWKWARD_CHARS) expect(password).to.include(c);
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
      await writeFile(file, 'redis_password: kept-by-the-user-1234\n');
      await ensureSecrets(file);
      expect(parse(await readFile(file, 'utf8')).redis_password).to.equal('kept-by-the-user-1234');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
