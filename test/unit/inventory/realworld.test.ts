// The real-world INI fixture (test/fixtures/inventory-realworld): [all:children] with children three
// levels deep, ranges of names and addresses, inline host vars, [group:vars], yes/no, group_vars as files
// and folders, host_vars as a file and a folder, ansible_python_interpreter. The lab test runs it too.
import { expect } from 'chai';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory/load.js';
import { connectionSpecFor } from '../../../src/transport/spec.js';
import { REPO } from '../../integration/support/runbook.js';

const FILE = join(REPO, 'test/fixtures/inventory-realworld/hosts.ini');
const WEB = ['web01.prod.example.com', 'web02.prod.example.com', 'web03.prod.example.com'];

describe('inventory: the real-world INI fixture', () => {
  const inv = loadInventory(FILE);

  it('expands name and address ranges, and nests prod > app > web > web_blue under [all:children]', () => {
    expect(inv.hosts).to.deep.equal([
      'bastion.example.com', 'lb01.prod.example.com', ...WEB, 'db-a.prod.example.com', 'db-b.prod.example.com', '10.0.12.1', '10.0.12.2', '10.0.12.3',
    ]);
    expect(inv.groups.web_blue).to.deep.equal(WEB.slice(0, 2));
    expect(inv.groups.web).to.deep.equal(WEB);
    expect(inv.groups.app).to.deep.equal([...WEB, '10.0.12.1', '10.0.12.2', '10.0.12.3']);
    expect(inv.groups.prod).to.have.length(9);
    expect(inv.groups.ungrouped).to.deep.equal(['bastion.example.com']);
    expect(inv.groupNames('web01.prod.example.com')).to.deep.equal(['app', 'prod', 'web', 'web_blue']);
    expect(inv.match('web:&prod:!web_green')).to.deep.equal(WEB.slice(0, 2));
  });

  it('reads yes/no as booleans, inline host vars over group_vars, deeper groups over shallower ones', () => {
    const web01 = inv.hostVars('web01.prod.example.com');
    expect(web01).to.include({
      ntp_enabled: true, deploy_enabled: true, http_port: 8080, color: 'blue', site_name: 'shop',
      nginx_worker_processes: 'auto', environment_name: 'production', server_id: 1,
    });
    expect(web01).to.not.have.property('canary');
    expect(inv.hostVars('web03.prod.example.com')).to.include({ canary: true, http_port: 8081, color: 'app-default' });
    expect(inv.hostVars('db-a.prod.example.com')).to.include({ ansible_become: false, backup: true, color: 'none' });
  });

  it('lets a group_vars file beat the [group:vars] section of the inventory file, as Ansible does', () => {
    expect(inv.hostVars('10.0.12.2').monitoring).to.equal(true);
  });

  it('merges a group_vars folder by file name and a host_vars folder', () => {
    const web02 = inv.hostVars('web02.prod.example.com');
    expect(web02).to.include({ nginx_user: 'nginx', server_id: 2, maintenance: false });
    expect(web02.app_users).to.deep.equal([{ name: 'alice', shell: '/bin/bash' }, { name: 'bob', shell: '/bin/sh' }]);
  });

  it('keeps ansible_python_interpreter, which runbook needs not, and connects with the rest', () => {
    const vars = inv.hostVars('bastion.example.com');
    expect(vars.ansible_python_interpreter).to.equal('/usr/bin/python3');
    const spec = connectionSpecFor('bastion.example.com', vars, { user: 'ops' });
    expect(spec).to.include({ address: 'bastion.example.com', port: 2222, user: 'ops', connection: 'ssh' });
  });
});
