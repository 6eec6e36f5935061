// The generated shell scripts: valid POSIX sh, and (with fake apt-get/systemctl on PATH) the lock wait and the start check behave.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptProbeScript } from '../../../../src/modules/system/apt-probe.js';
import { LOCK_HELD, aptStepScript } from '../../../../src/modules/system/apt-script.js';
import { serviceProbeScript } from '../../../../src/modules/system/service-probe.js';
import { NOT_RUNNING, serviceFailure, systemdActionScript, sysvActionScript } from '../../../../src/modules/system/service-script.js';
import { setupProbeScript } from '../../../../src/modules/system/setup-probe.js';
import { ufwProbeScript } from '../../../../src/modules/system/ufw-probe.js';

function sh(script: string, env: Record<string, string> = {}, args: string[] = ['-c', script]) {
  const r = spawnSync('/bin/sh', args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function fakeBin(dir: string, name: string, body: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

describe('system module scripts', () => {
  it('are valid POSIX sh', () => {
    const scripts = [
      aptProbeScript([{ name: 'redis-server' }, { name: 'libc6:i386' }]),
      aptStepScript({ update: true, command: { verb: 'install', options: ['-o', 'APT::Install-Recommends=no'], targets: ['redis-server'] }, report: ['redis-server'], lockTimeout: 300 }),
      serviceProbeScript('php8.2-fpm'),
      serviceProbeScript(undefined),
      systemdActionScript('redis-server.service', 'restart', true),
      sysvActionScript('redis-server', 'start'),
      ufwProbeScript(),
      setupProbeScript(),
    ];
    for (const script of scripts) {
      const r = sh('', {}, ['-n', '-c', script]);
      expect(r.stderr, script).to.equal('');
      expect(r.code).to.equal(0);
    }
  });

  describe('with fake commands on PATH', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'runbook-system-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function fakeAptGet(failures: number): void {
      fakeBin(dir, 'apt-get', [
        `n=$(cat ${dir}/count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${dir}/count`,
        `echo "$*" >> ${dir}/args`,
        `if [ $n -le ${failures} ]; then echo 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)' >&2; exit 100; fi`,
        'echo "Setting up fake"',
      ].join('\n'));
    }

    it('retries apt-get while another process holds the lock, then succeeds', () => {
      fakeAptGet(1);
      const script = aptStepScript({ update: false, command: { verb: 'install', options: [], targets: ['runbook-fake'] }, report: [], lockTimeout: 60 });
      const r = sh(script, { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code).to.equal(0);
      const calls = readFileSync(join(dir, 'args'), 'utf8').trim().split('\n');
      expect(calls).to.have.length(2);
      expect(calls[1]).to.match(/^-o DPkg::Lock::Timeout=\d+ -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install runbook-fake$/);
    });

    it('gives up after lock_timeout with its own exit status, keeping apt\'s message', () => {
      fakeAptGet(1000);
      const script = aptStepScript({ update: false, command: { verb: 'install', options: [], targets: ['runbook-fake'] }, report: [], lockTimeout: 1 });
      const r = sh(script, { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code).to.equal(LOCK_HELD);
      expect(r.stderr).to.include('It is held by process 4242 (apt-get)');
      expect(r.stderr).to.include('runbook: the apt/dpkg lock is still held after 1 s');
    });

    it('reports a unit that failed after start, with its journal', () => {
      fakeBin(dir, 'systemctl', 'case "$1" in start) exit 0 ;; is-active) echo failed; exit 3 ;; esac');
      fakeBin(dir, 'journalctl', 'echo "redis-server[7]: Bad directive"');
      const r = sh(systemdActionScript('redis-server.service', 'start', false), { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code).to.equal(NOT_RUNNING);
      expect(serviceFailure('redis-server', r)).to.equal('service redis-server.service failed to start (state: failed)\nlast journal lines (journalctl -u redis-server -n 20):\nredis-server[7]: Bad directive');
    });

    it('trusts systemctl\'s failure even when the unit still shows active (a failed reload)', () => {
      fakeBin(dir, 'systemctl', 'case "$1" in reload) echo "Job for nginx.service failed." >&2; exit 1 ;; is-active) echo active ;; esac');
      fakeBin(dir, 'journalctl', 'echo "nginx: [emerg] unknown directive"');
      const r = sh(systemdActionScript('nginx.service', 'reload', false), { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code).to.equal(NOT_RUNNING);
      expect(serviceFailure('nginx', r)).to.match(/^service nginx.service failed to reload \(state: active\)\nJob for nginx.service failed.\n/);
    });

    it('clears a start limit hit by a crash loop and starts once more (a restored config after a failed restart)', () => {
      fakeBin(dir, 'systemctl', [
        `echo "$@" >> ${dir}/calls`,
        'case "$1" in',
        `  restart) if [ -e ${dir}/reset ]; then exit 0; fi; echo "Job for redis-server.service failed." >&2; exit 1 ;;`,
        '  show) echo start-limit-hit ;;',
        `  reset-failed) touch ${dir}/reset ;;`,
        '  is-active) echo active ;;',
        'esac',
      ].join('\n'));
      const r = sh(systemdActionScript('redis-server.service', 'restart', false), { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code, r.stderr).to.equal(0);
      expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).to.deep.equal([
        'restart redis-server.service',
        'show -p Result --value redis-server.service',
        'reset-failed redis-server.service',
        'restart redis-server.service',
        'is-active redis-server.service',
      ]);
    });

    it('waits while a unit is activating', () => {
      fakeBin(dir, 'systemctl', [
        'case "$1" in restart) exit 0 ;; esac',
        `n=$(cat ${dir}/n 2>/dev/null || echo 0); echo $((n + 1)) > ${dir}/n`,
        'if [ "$n" -lt 2 ]; then echo activating; exit 3; fi; echo active',
      ].join('\n'));
      const r = sh(systemdActionScript('php8.2-fpm.service', 'restart', false), { PATH: `${dir}:${process.env.PATH}` });
      expect(r.code).to.equal(0);
      expect(readFileSync(join(dir, 'n'), 'utf8').trim()).to.equal('3');
    });
  });
});
