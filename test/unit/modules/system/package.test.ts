// package plans as apt does on Debian (from facts, use: or a probe for apt-get), and refuses other package managers.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { packageProbe, parsePackageArgs, planPackage } from '../../../../src/modules/system/package.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { bare, converged } from './fixtures/apt.js';
import { loc } from './fixtures/context.js';

/** apt's canned probe output with the package manager section the probe adds when facts do not tell. */
const detected = (mgr: string, apt: ExecResult): ExecResult => ({ ...apt, stdout: `\n@@runbook-section@@ pkgmgr\n${mgr}\n\n@@runbook-section@@ .end\n${apt.stdout}` });

const table: [string, Record<string, unknown>, Record<string, unknown>, ExecResult, string[] | RegExp][] = [
  ['installs with apt when the fact says apt', { name: 'redis-server', state: 'present' }, { ansible_pkg_mgr: 'apt' }, bare, ['install redis-server 5:7.0.15-1~deb12u10']],
  ['changes nothing that is installed', { name: 'redis-server', state: 'present' }, { ansible_pkg_mgr: 'apt' }, converged, []],
  ['probes for apt-get without facts', { name: ['redis-server', 'redis-tools'], state: 'present' }, {}, detected('apt-get', bare), ['install redis-server 5:7.0.15-1~deb12u10', 'install redis-tools 5:7.0.15-1~deb12u10']],
  ['use: apt needs no detection', { name: 'redis-server', state: 'installed', use: 'apt' }, {}, bare, ['install redis-server 5:7.0.15-1~deb12u10']],
  ["passes apt's own arguments through", { name: 'redis-server', state: 'absent', purge: true }, { ansible_pkg_mgr: 'apt' }, converged, ['purge redis-server 5:7.0.15-1~deb12u10']],
  ['refuses dnf from the facts', { name: 'httpd', state: 'present' }, { ansible_pkg_mgr: 'dnf' }, bare, /package manager 'dnf' is not supported: runbook's package module drives apt only/],
  ['refuses yum found on the host', { name: 'httpd', state: 'present' }, {}, detected('yum', bare), /package manager 'yum' is not supported/],
  ['loads yum arguments, and fails with them on an apt host', { name: 'redis', state: 'present', enablerepo: 'epel' }, { ansible_pkg_mgr: 'apt' }, bare, /enablerepo: yum\/dnf arguments that apt does not take/],
  ['loads Red Hat package names, and fails with them on an apt host', { name: ['make', 'libXpm-devel'], state: 'present' }, { ansible_pkg_mgr: 'apt' }, bare, /'libXpm-devel': not a Debian package name/],
  ['says dnf is not supported before naming the packages', { name: ['libXpm-devel'], state: 'present', disablerepo: '*' }, { ansible_pkg_mgr: 'dnf' }, bare, /package manager 'dnf' is not supported/],
  ['says when it finds no package manager', { name: 'httpd', state: 'present' }, {}, detected('', bare), /could not detect which package manager to use/],
];

describe('modules/system/package', () => {
  for (const [what, raw, vars, probe, expected] of table) {
    it(what, () => {
      const plan = planPackage(parsePackageArgs(raw, loc), probe, vars);
      if (expected instanceof RegExp) {
        expect(plan.failure?.msg).to.match(expected);
        expect(plan.steps).to.deep.equal([]);
      } else {
        expect(plan.failure).to.equal(undefined);
        expect(plan.changes).to.deep.equal(expected);
      }
    });
  }

  it('asks the host for its package manager only when neither facts nor use: tell', () => {
    expect(packageProbe(parsePackageArgs({ name: 'x', state: 'present' }, loc), {})).to.contain('pkgmgr').and.to.contain('apt-cache policy');
    expect(packageProbe(parsePackageArgs({ name: 'x', state: 'present' }, loc), { ansible_pkg_mgr: 'apt' })).not.to.contain('pkgmgr');
    expect(packageProbe(parsePackageArgs({ name: 'x', state: 'present', use: 'apt' }, loc), {})).not.to.contain('pkgmgr');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parsePackageArgs({ name: 'x' }, loc)).to.throw(InputError, /'state' is required/);
    expect(() => parsePackageArgs({ name: 'x', state: 'present', use: 'dnf' }, loc)).to.throw(InputError, /package manager 'dnf' is not supported/);
    expect(() => parsePackageArgs({ name: 'x', state: 'present', usee: 'apt' }, loc)).to.throw(InputError, /has no argument 'usee'/);
    expect(parsePackageArgs({ name: ['Bad Name', 'redis'], state: 'present' }, loc)).to.deep.include({ notDebian: ['Bad Name'], packages: [{ name: 'redis' }] });
    expect(parsePackageArgs({ name: 'libXpm-devel', state: 'present' }, loc)).to.deep.include({ notDebian: ['libXpm-devel'], packages: [] });
  });
});
