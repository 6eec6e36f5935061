import { expect } from 'chai';
import { loadInventory } from '../../../src/inventory/load.js';
import { expectInputError, fixture, inputError } from '../yaml/helpers.js';

const bad = (name: string): string => fixture('inventory', 'bad', name);

describe('inventory errors', () => {
  it('a misspelt group key gets a did-you-mean at the key', () => {
    const e = expectInputError(() => loadInventory(bad('unknown-key.yml')), bad('unknown-key.yml'), 4, 7, "unknown key 'host' in group 'web'");
    expect(e.hint).to.equal("did you mean 'hosts'?");
  });

  it('hosts written as a list is refused with how to write it', () => {
    const e = expectInputError(() => loadInventory(bad('hosts-list.yml')), bad('hosts-list.yml'), 5, 9, 'must be a mapping');
    expect(e.hint).to.contain('web1:');
  });

  it('a host listed twice in one group is refused at the second', () => {
    expectInputError(() => loadInventory(bad('dup-host.yml')), bad('dup-host.yml'), 4, 5, "host 'web2' is listed twice in group 'web'");
  });

  it('a duplicate YAML key is refused', () => {
    expectInputError(() => loadInventory(bad('dup-key.yml')), bad('dup-key.yml'), 5, 7, "duplicate key 'ansible_port'");
  });

  it('a group that contains itself through children is refused', () => {
    expectInputError(() => loadInventory(bad('loop.yml')), bad('loop.yml'), 7, 13, "group 'a' as a child of 'b' makes a loop");
  });

  it('a zero-padded range with unequal widths is refused', () => {
    expectInputError(() => loadInventory(bad('range.yml')), bad('range.yml'), 3, 5, 'same width');
  });

  it('YAML syntax errors point at the line', () => {
    const e = inputError(() => loadInventory(bad('syntax.yml')));
    expect(e.loc?.file).to.equal(bad('syntax.yml'));
    expect(e.loc?.line).to.be.oneOf([4, 5]);
    expect(e.message).to.contain('YAML syntax error');
  });

  it('a YAML list is not an inventory', () => {
    expectInputError(() => loadInventory(bad('list.yml')), bad('list.yml'), 1, 1, 'must be a mapping of group names');
  });

  it('an unknown INI section suffix gets a did-you-mean', () => {
    const e = expectInputError(() => loadInventory(bad('section.ini')), bad('section.ini'), 4, 1, "unknown section type ':child'");
    expect(e.hint).to.equal("did you mean 'children'?");
  });

  it('an INI host variable without = points at its column', () => {
    expectInputError(() => loadInventory(bad('hostvar.ini')), bad('hostvar.ini'), 2, 28, "found 'ansible_port'");
  });

  it('[group:vars] for an undeclared group is refused', () => {
    expectInputError(() => loadInventory(bad('vars-undeclared.ini')), bad('vars-undeclared.ini'), 4, 1, '[db:vars]');
  });

  it('an unquoted octal in group_vars is YAML 1.1 octal, as Ansible reads it', () => {
    const inv = loadInventory(bad('group-vars-octal/hosts.yml'));
    expect(inv.hostVars(inv.hosts[0]!).file_mode).to.equal(0o644);
  });

  it('a missing inventory says how to give one', () => {
    const e = inputError(() => loadInventory(bad('nope.yml')));
    expect(e.message).to.contain('inventory not found');
  });
});
