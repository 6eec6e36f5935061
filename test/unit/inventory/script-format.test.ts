// Executable inventory scripts: --list JSON with _meta.hostvars, old-style --host, failures as input errors.
import { expect } from 'chai';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { isInventoryScript } from '../../../src/inventory/script-format.js';

const here = dirname(fileURLToPath(import.meta.url));
// Unit tests also run compiled from dist/test/unit/inventory; the fixtures stay in the source tree.
const FIXTURES = join(here.includes('/dist/') ? join(here, '../../../..') : join(here, '../../..'), 'test/fixtures/inventory-script');

describe('inventory/script-format', () => {
  let dir: string;
  /** A copy with the execute bit set, so the test does not depend on how the checkout kept file modes. */
  const script = (name: string): string => {
    const file = join(dir, name);
    copyFileSync(join(FIXTURES, name), file);
    chmodSync(file, 0o755);
    return file;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-invscript-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the script with --list and reads groups, children, group vars and _meta.hostvars', () => {
    const inv = loadInventory(script('cloud.sh'));
    expect(inv.hosts).to.include.members(['web1', 'web2', 'db1']);
    expect(inv.groups.web).to.deep.equal(['web1', 'web2']);
    expect(inv.groups.db).to.deep.equal(['db1']);
    expect(inv.groups.europe).to.deep.equal(['web1', 'web2', 'db1']);
    expect(inv.match('europe:&db')).to.deep.equal(['db1']);
    const web1 = inv.hostVars('web1');
    expect(web1).to.include({ ansible_host: '10.0.0.11', http_port: 8080, region: 'eu-west-1', ansible_user: 'deploy' });
    expect(inv.hostVars('db1')).to.include({ ansible_host: '10.0.0.21', primary: true, region: 'eu-west-1' });
    expect(inv.hostVars('db1')).to.not.have.property('http_port');
  });

  it('asks --host NAME for each host when the script prints no _meta', () => {
    const inv = loadInventory(script('no-meta.sh'));
    expect(inv.groups.app).to.deep.equal(['app1', 'app2']);
    expect(inv.hostVars('app2')).to.include({ ansible_host: '192.0.2.2' });
  });

  it('a failing script is an input error with its exit status and stderr', () => {
    const file = script('broken.sh');
    expect(() => loadInventory(file)).to.throw(InputError, /exited with status 3: ERROR: no credentials found/);
  });

  it('a script printing something else than JSON is an input error', () => {
    const file = join(dir, 'notjson.sh');
    writeFileSync(file, '#!/bin/sh\necho "web1 web2"\n', { mode: 0o755 });
    expect(() => loadInventory(file)).to.throw(InputError, /did not print valid JSON/);
  });

  it('an executable YAML or INI file is still read, not run', () => {
    const yml = join(dir, 'hosts.yml');
    writeFileSync(yml, 'all:\n  hosts:\n    h1:\n', { mode: 0o755 });
    expect(isInventoryScript(yml)).to.equal(false);
    expect(loadInventory(yml).hosts).to.include('h1');
    const plain = join(dir, 'cloud-readonly.sh');
    copyFileSync(join(FIXTURES, 'cloud.sh'), plain);
    chmodSync(plain, 0o644);
    expect(isInventoryScript(plain)).to.equal(false);
  });

  it('a script inside an inventory directory is run beside the static files', () => {
    const mixed = mkdtempSync(join(dir, 'mixed-'));
    copyFileSync(join(FIXTURES, 'cloud.sh'), join(mixed, 'cloud.sh'));
    chmodSync(join(mixed, 'cloud.sh'), 0o755);
    writeFileSync(join(mixed, 'static.ini'), '[bastions]\nbastion1 ansible_host=10.0.0.1\n');
    const inv = loadInventory(mixed);
    expect(inv.groups.bastions).to.deep.equal(['bastion1']);
    expect(inv.groups.web).to.deep.equal(['web1', 'web2']);
  });
});
