// zfs plans from canned `zfs list` / `zfs get` output (no lab: the lab hosts have no zfs kernel
// module): create (file system, volume, snapshot, clone), set only the properties that differ,
// destroy, and arguments refused at the task's file:line:col.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { InputError } from '../../../../src/core/errors.js';
import { parseZfsArgs, planZfs, zfsProbe } from '../../../../src/modules/system/zfs.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const host = (exists: boolean, shown = '', exact = '', zfs = true) =>
  sections({ zfs: `${zfs ? 'zfs=yes\n' : ''}${exists ? 'exists=yes\n' : ''}`, shown, exact });
const scripts = (raw: Record<string, unknown>, probe: ReturnType<typeof host>) => planZfs(parseZfsArgs(raw, loc), probe).steps.map((s) => s.script);

describe('modules/system/zfs', () => {
  it('creates a missing file system with its parents and properties (booleans as on/off)', () => {
    expect(scripts({ name: 'rpool/var/log/httpd', state: 'present', extra_zfs_properties: { setuid: false, quota: '10G' } }, host(false)))
      .to.deep.equal(["zfs create -p -o setuid=off -o quota=10G rpool/var/log/httpd"]);
  });

  it('a volsize makes a volume; a name with @ is a snapshot; origin makes a clone', () => {
    expect(scripts({ name: 'rpool/smallvol', state: 'present', extra_zfs_properties: { volsize: '10M', volblocksize: '8K' } }, host(false)))
      .to.deep.equal(['zfs create -p -V 10M -b 8K rpool/smallvol']);
    expect(scripts({ name: 'rpool/ansible@mysnapshot', state: 'present' }, host(false))).to.deep.equal(['zfs snapshot rpool/ansible@mysnapshot']);
    expect(scripts({ name: 'rpool/cloned', state: 'present', origin: 'rpool/fs@snap' }, host(false))).to.deep.equal(['zfs clone -p rpool/fs@snap rpool/cloned']);
  });

  it('sets only the properties that differ, whether written as shown or as exact numbers (idempotent)', () => {
    const props = { quota: '10G', snapdir: 'visible', compression: 'lz4' };
    const shown = 'quota\t10G\nsnapdir\thidden\ncompression\toff\n';
    const exact = 'quota\t10737418240\nsnapdir\thidden\ncompression\toff\n';
    const plan = planZfs(parseZfsArgs({ name: 'rpool/ansible', state: 'present', extra_zfs_properties: props }, loc), host(true, shown, exact));
    expect(plan.steps.map((s) => s.script)).to.deep.equal(['zfs set snapdir=visible rpool/ansible', 'zfs set compression=lz4 rpool/ansible']);
    expect(plan.changes[0]).to.equal('set snapdir=visible on rpool/ansible (was hidden)');
    expect(scripts({ name: 'rpool/ansible', state: 'present', extra_zfs_properties: { quota: 10737418240 } }, host(true, shown, exact))).to.deep.equal([]);
    expect(scripts({ name: 'rpool/ansible', state: 'present' }, host(true))).to.deep.equal([]);
  });

  it('destroys with dependents, and only what exists', () => {
    expect(scripts({ name: 'rpool/oldfs@oldsnapshot', state: 'absent' }, host(true))).to.deep.equal(['zfs destroy -R rpool/oldfs@oldsnapshot']);
    expect(scripts({ name: 'rpool/oldfs', state: 'absent' }, host(false))).to.deep.equal([]);
  });

  it('fails naming the package when the host has no zfs command', () => {
    const plan = planZfs(parseZfsArgs({ name: 'rpool/x', state: 'present' }, loc), host(false, '', '', false));
    expect(plan.failure?.msg).to.match(/no zfs command on the host/);
    expect(plan.failure?.needs).to.deep.equal([{ kind: 'package', name: 'zfsutils-linux' }]);
  });

  it('its probe is valid sh and quotes the names', () => {
    const probe = zfsProbe(parseZfsArgs({ name: 'rpool/a b'.replace(' ', '_'), state: 'present', extra_zfs_properties: { quota: '1G', 'com.example:owner': 'ops' } }, loc));
    expect(probe).to.contain("zfs get -H -p -o property,value quota,com.example:owner rpool/a_b");
    expect(spawnSync('/bin/sh', ['-n', '-c', probe], { encoding: 'utf8' }).stderr).to.equal('');
  });

  it('refuses bad arguments at the task, with its file:line:col; a property as an argument says where it goes', () => {
    expect(() => parseZfsArgs({ name: 'rpool/x' }, loc)).to.throw(InputError, /'state' is required/);
    expect(() => parseZfsArgs({ name: 'rpool/x; rm -rf /', state: 'present' }, loc)).to.throw(InputError, /not a ZFS dataset name/);
    expect(() => parseZfsArgs({ name: 'rpool/x', state: 'present', origin: 'rpool/fs' }, loc)).to.throw(InputError, /not a snapshot/);
    expect(() => parseZfsArgs({ name: 'rpool/x', state: 'present', extra_zfs_properties: { 'Bad Name': 'x' } }, loc)).to.throw(InputError, /not a ZFS property name/);
    try {
      parseZfsArgs({ name: 'rpool/ansible', state: 'present', quota: '10G' }, loc);
      expect.fail('no error');
    } catch (err) {
      expect((err as InputError).describe()).to.match(/^roles\/test\/tasks\/main.yml:3:3: module 'zfs' has no argument 'quota'\n  hint: .*write extra_zfs_properties: \{ quota: VALUE \}/);
    }
  });
});
