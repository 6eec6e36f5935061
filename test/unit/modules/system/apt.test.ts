// apt plans from canned dpkg-query / apt-cache output: idempotency, check-mode forecasts, cache age, locks, removal.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseAptArgs } from '../../../../src/modules/system/apt-args.js';
import { aptModule } from '../../../../src/modules/system/apt.js';
import { AFTER_MARK, LOCK_HELD } from '../../../../src/modules/system/apt-script.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { bare, configFilesOnly, converged, noLists } from './fixtures/apt.js';
import { context, loc } from './fixtures/context.js';

function plan(raw: Record<string, unknown>, probe: ExecResult) {
  return aptModule.plan(parseAptArgs(raw, loc), probe, context());
}

describe('apt module', () => {
  describe('idempotency', () => {
    it('changes nothing when the package is installed', () => {
      const p = plan({ name: 'redis-server' }, converged);
      expect(p.changes).to.deep.equal([]);
      expect(p.steps).to.deep.equal([]);
      expect(p.failure).to.equal(undefined);
      expect(p.data).to.deep.include({ installed: [], removed: [], cache_updated: false });
    });

    it('does not count (nor run) a cache update when nothing else changes', () => {
      const p = plan({ name: ['redis-server'], update_cache: true }, converged);
      expect(p.changes).to.deep.equal([]);
      expect(p.steps).to.have.length(0);
    });

    it('leaves an installed package alone with state: present even when a newer candidate exists', () => {
      expect(plan({ name: 'bash' }, converged).changes).to.deep.equal([]);
    });
  });

  describe('on a bare host', () => {
    it('forecasts the versions from apt candidates, in one apt-get call', () => {
      const p = plan({ name: ['redis-server', 'redis-tools'], update_cache: true, cache_valid_time: 3600 }, bare);
      expect(p.changes).to.deep.equal(['install redis-server 5:7.0.15-1~deb12u10', 'install redis-tools 5:7.0.15-1~deb12u10']);
      expect(p.data).to.deep.include({ installed: ['redis-server', 'redis-tools'], cache_updated: true });
      expect(p.data?.packages).to.deep.equal({
        'redis-server': { installed: null, candidate: '5:7.0.15-1~deb12u10' },
        'redis-tools': { installed: null, candidate: '5:7.0.15-1~deb12u10' },
      });
      expect(p.steps).to.have.length(1);
      const script = p.steps[0]!.script;
      expect(script.match(/rb_apt -y/g)).to.have.length(1);
      expect(script).to.include('rb_apt -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install redis-server redis-tools');
      expect(script).to.include('export DEBIAN_FRONTEND=noninteractive');
      expect(script).to.include('rb_apt -q update');
    });

    it('waits for the dpkg lock with apt-get\'s DPkg::Lock::Timeout (300 s by default, lock_timeout to change)', () => {
      const def = plan({ name: 'redis-server' }, bare).steps[0]!.script;
      expect(def).to.include('-o DPkg::Lock::Timeout="$rb_left"');
      expect(def).to.include('rb_deadline=$(( $(date +%s) + 300 ))');
      const short = plan({ name: 'redis-server', lock_timeout: 30 }, bare).steps[0]!.script;
      expect(short).to.include('rb_deadline=$(( $(date +%s) + 30 ))');
      expect(short).to.include('still held after 30 s');
    });

    it('skips the cache update when the lists are younger than cache_valid_time', () => {
      const script = plan({ name: 'redis-server', cache_valid_time: 86400 }, bare).steps[0]!.script;
      expect(script).not.to.include('update');
    });

    it('passes install_recommends through as APT::Install-Recommends', () => {
      expect(plan({ name: 'redis-server', install_recommends: false }, bare).steps[0]!.script).to.include('-o APT::Install-Recommends=no install redis-server');
    });
  });

  describe('packages apt has no candidate for', () => {
    it('plans the install after a cache update when update_cache is set and the lists are missing', () => {
      const p = plan({ name: 'redis-server', update_cache: true }, noLists);
      expect(p.failure).to.equal(undefined);
      expect(p.changes).to.deep.equal(['install redis-server (version known once the package lists are updated)']);
      expect(p.steps[0]!.script).to.include('rb_apt -q update');
    });

    it('fails, forecastably, naming update_cache when the host has no lists', () => {
      const p = plan({ name: 'redis-server' }, noLists);
      expect(p.steps).to.deep.equal([]);
      expect(p.failure?.needs).to.deep.equal([{ kind: 'package-lists' }]);
      expect(p.provides).to.deep.equal([{ kind: 'package', name: 'redis-server' }]);
      expect(p.failure?.msg).to.match(/no installation candidate for redis-server .*none yet.*update_cache: true/);
    });

    it('fails for an unknown package when the lists are fresh', () => {
      const p = plan({ name: ['php-redis', 'nosuchpkg'], cache_valid_time: 3600 }, converged);
      expect(p.failure?.msg).to.match(/^no installation candidate for nosuchpkg /);
      expect(p.changes).to.deep.equal([]);
    });
  });

  describe('latest, pins and removal', () => {
    it('upgrades to the candidate with state: latest', () => {
      const p = plan({ name: 'bash', state: 'latest' }, converged);
      expect(p.changes).to.deep.equal(['upgrade bash 5.2.15-2+b8 -> 5.2.15-2+b13']);
      expect(p.data?.upgraded).to.deep.equal(['bash']);
    });

    it('honours name=version pins, globs included', () => {
      expect(plan({ name: 'redis-server=5:7.0.15-1~deb12u1*' }, converged).changes).to.deep.equal([]);
      const p = plan({ name: 'redis-server=5:7.0.15-1~deb12u7' }, converged);
      expect(p.changes).to.deep.equal(['change redis-server 5:7.0.15-1~deb12u10 -> 5:7.0.15-1~deb12u7']);
      expect(p.steps[0]!.script).to.include(`--allow-downgrades install 'redis-server=5:7.0.15-1~deb12u7'`);
    });

    it('removes installed packages and ignores absent ones', () => {
      const p = plan({ name: ['redis-server', 'ufw'], state: 'absent' }, converged);
      expect(p.changes).to.deep.equal(['remove redis-server 5:7.0.15-1~deb12u10']);
      expect(p.steps[0]!.script).to.include(' remove redis-server || exit $?');
      expect(p.data?.removed).to.deep.equal(['redis-server']);
    });

    it('purges leftover configuration files only when purge is set', () => {
      expect(plan({ name: 'redis-server', state: 'absent' }, configFilesOnly).changes).to.deep.equal([]);
      const p = plan({ name: 'redis-server', state: 'absent', purge: true }, configFilesOnly);
      expect(p.changes).to.deep.equal(['purge the configuration files left by redis-server']);
      expect(p.steps[0]!.script).to.include('--purge remove redis-server');
    });
  });

  describe('update_cache alone', () => {
    it('is a change only when the lists are older than cache_valid_time', () => {
      expect(plan({ update_cache: true, cache_valid_time: 3600 }, converged).changes).to.deep.equal([]);
      const p = plan({ update_cache: true, cache_valid_time: 600 }, converged);
      expect(p.changes).to.deep.equal(['update the apt package lists (package lists 17 min old, cache_valid_time 600 s)']);
      expect(p.steps[0]!.script).to.include('rb_apt -q update');
      expect(p.steps[0]!.script).not.to.include('install');
    });
  });

  describe('after apply', () => {
    it('reports the installed versions from the step output', () => {
      const p = plan({ name: ['redis-server', 'redis-tools'] }, bare);
      const stdout = `Setting up redis-server ...\n${AFTER_MARK}\nredis-server\tinstall ok installed\t5:7.0.15-1~deb12u10\nredis-tools\tinstall ok installed\t5:7.0.15-1~deb12u10\n`;
      const after = p.afterApply!([{ stdout, stderr: '', code: 0 }]);
      expect(after.failed).to.equal(undefined);
      expect((after.data?.packages as Record<string, unknown>)['redis-tools']).to.deep.equal({ installed: '5:7.0.15-1~deb12u10', candidate: '5:7.0.15-1~deb12u10' });
    });

    it('says the lock is held, and by whom, when the wait ran out', () => {
      const p = plan({ name: 'redis-server', lock_timeout: 30 }, bare);
      const stderr = 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\nrunbook: the apt/dpkg lock is still held after 30 s\n';
      const after = p.afterApply!([{ stdout: '', stderr, code: LOCK_HELD }]);
      expect(after.failed).to.equal('the dpkg/apt lock is still held by process 4242 (unattended-upgr) after waiting 30 s; wait for the other package manager to finish (or raise lock_timeout) and run again');
    });

    it('names the holder runbook found in /proc/locks when apt does not', () => {
      const p = plan({ name: 'redis-server', lock_timeout: 3 }, bare);
      const stderr = 'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\nrunbook: lock holder: process 917 (perl)\nrunbook: the apt/dpkg lock is still held after 3 s\n';
      const after = p.afterApply!([{ stdout: '', stderr, code: LOCK_HELD }]);
      expect(after.failed).to.equal('the dpkg/apt lock is still held by process 917 (perl) after waiting 3 s; wait for the other package manager to finish (or raise lock_timeout) and run again');
    });

    it('fails when apt-get succeeded but the package is not installed', () => {
      const p = plan({ name: 'redis-server' }, bare);
      const after = p.afterApply!([{ stdout: `${AFTER_MARK}\nredis-server\t\n`, stderr: '', code: 0 }]);
      expect(after.failed).to.match(/redis-server is not installed/);
    });
  });

  describe('arguments', () => {
    it('accepts a comma-separated string and the pkg alias', () => {
      expect(parseAptArgs({ pkg: 'redis-server, redis-tools' }, loc).packages.map((p) => p.name)).to.deep.equal(['redis-server', 'redis-tools']);
    });

    it('makes cache_valid_time imply update_cache, as Ansible does', () => {
      expect(parseAptArgs({ name: 'x', cache_valid_time: 60 }, loc).updateCache).to.equal(true);
    });

    it('rejects bad names, pins with latest, and a task with nothing to do', () => {
      expect(() => parseAptArgs({ name: 'Redis Server' }, loc)).to.throw(InputError, /not a Debian package name/);
      expect(() => parseAptArgs({ name: 'bash=5.2', state: 'latest' }, loc)).to.throw(InputError, /needs state: present/);
      expect(() => parseAptArgs({ state: 'present' }, loc)).to.throw(InputError, /'name' is required/);
      expect(() => parseAptArgs({ name: 'x', state: 'installedd' }, loc)).to.throw(InputError, /must be one of/);
    });
  });

  it('fails plainly on a host without apt-get', () => {
    const stdout = '\n@@runbook-section@@ env\nnow=1\nlists=0\n\n@@runbook-section@@ dpkg\n\n@@runbook-section@@ policy\n\n@@runbook-section@@ .end\n';
    const p = plan({ name: 'x' }, { stdout, stderr: '', code: 0 });
    expect(p.failure).to.deep.equal({ msg: 'apt-get is not installed on this host: the apt module manages Debian and Ubuntu packages' });
  });
});

describe('apt default_release and policy_rc_d (issue 14)', () => {
  it('default_release reads candidates and installs with -t RELEASE', () => {
    const args = parseAptArgs({ name: 'redis-server', default_release: 'bookworm-backports' }, loc);
    expect(aptModule.probe(args, context()).script).to.include("apt-cache -t bookworm-backports policy redis-server");
    expect(plan({ name: 'redis-server', 'default-release': 'bookworm-backports' }, bare).steps[0]!.script).to.include('-t bookworm-backports install redis-server');
  });

  it('a release name with shell characters is refused', () => {
    expect(() => parseAptArgs({ name: 'redis-server', default_release: 'x; reboot' }, loc)).to.throw(InputError, /not a release name/);
  });

  it('policy_rc_d puts a policy-rc.d in place before apt-get and a trap puts the old state back', () => {
    const script = plan({ name: 'redis-server', policy_rc_d: 101 }, bare).steps[0]!.script;
    const install = script.indexOf('install redis-server');
    const policy = script.indexOf("printf '#!/bin/sh\\nexit %d\\n' 101 > /usr/sbin/policy-rc.d.new");
    expect(policy).to.be.greaterThan(-1).and.lessThan(install);
    expect(script.indexOf('trap rb_policy_restore EXIT')).to.be.lessThan(policy);
    expect(plan({ name: 'redis-server' }, bare).steps[0]!.script).not.to.include('policy-rc.d');
  });

  it('policy_rc_d changes nothing when nothing is installed', () => {
    expect(plan({ name: 'redis-server', policy_rc_d: 101 }, converged).steps).to.deep.equal([]);
  });
});
