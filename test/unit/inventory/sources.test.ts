// Several inventories at once, as Ansible reads -i: repeated -i, comma-separated paths (also in
// ansible.cfg's `inventory =`), and host lists (`-i web1,web2,`), merged in order into one inventory.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { readAnsibleCfg } from '../../../src/config/ansible-cfg.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { inventorySources } from '../../../src/inventory/sources.js';
import { scratchDir } from '../../support/temp-dir.js';

describe('inventory/sources: several inventories as one', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchDir('runbook-inv-sources-');
    writeFileSync(join(dir, 'web.ini'), '[web]\nweb1 ansible_host=10.0.0.1\nweb2\n');
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'hosts.yml'), 'all:\n  children:\n    db:\n      hosts:\n        db1: { ansible_host: 10.0.0.9 }\n    web:\n      hosts:\n        web1: { http_port: 8080 }\n');
    mkdirSync(join(dir, 'db', 'group_vars'));
    writeFileSync(join(dir, 'db', 'group_vars', 'web.yml'), 'from_db_dir: yes\n');
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'web.yml'), 'from_web_dir: yes\nfrom_db_dir: no\n');
  });

  it('merges repeated -i in order: hosts, groups, host vars, and group_vars beside each source', () => {
    const inv = loadInventory(inventorySources(['web.ini', 'db'], dir));
    expect(inv.hosts.sort()).to.deep.equal(['db1', 'web1', 'web2']);
    expect(inv.groups.web!.sort()).to.deep.equal(['web1', 'web2']);
    expect(inv.hostVars('web1')).to.deep.include({ ansible_host: '10.0.0.1', http_port: 8080, from_web_dir: true, from_db_dir: true });
  });

  it('reads a comma-separated list of paths as several sources', () => {
    const sources = inventorySources('web.ini,db', dir);
    expect(sources).to.deep.equal([{ kind: 'path', path: join(dir, 'web.ini') }, { kind: 'path', path: join(dir, 'db') }]);
  });

  it('reads names that are not files as a host list, ungrouped (Ansible: -i web1,web2,)', () => {
    const inv = loadInventory(inventorySources('app1,app2,', dir));
    expect(inv.hosts).to.deep.equal(['app1', 'app2']);
    expect(inv.groups.ungrouped).to.deep.equal(['app1', 'app2']);
  });

  it('refuses a list that mixes files and names that are not files, before anything runs', () => {
    expect(() => inventorySources('web.ini,nosuch.yml', dir)).to.throw(InputError, /mixes existing files with names that are not files: nosuch.yml/);
  });

  it('still refuses a host listed twice in one file', () => {
    writeFileSync(join(dir, 'twice.ini'), '[web]\nweb1\nweb1\n');
    expect(() => loadInventory(inventorySources('twice.ini', dir))).to.throw(InputError, /listed twice in group 'web'/);
  });

  it("ansible.cfg's inventory = a, b is a path list relative to the file", () => {
    const cfg = readAnsibleCfg('[defaults]\ninventory = web.ini, db\n', join(dir, 'ansible.cfg'), {});
    const inv = loadInventory(inventorySources(cfg.inventory!, dir));
    expect(inv.hosts.sort()).to.deep.equal(['db1', 'web1', 'web2']);
  });
});
