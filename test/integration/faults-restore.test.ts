// Issue 7's config faults on real lab hosts, after the seed job converged them: a redis.conf that
// validates but makes Redis fail to start is put back by the handler; configs that do not validate
// (redis.conf, PHP ini, nginx and Apache sites) never replace the old ones; session_test says plainly
// that Redis is down or refused the password; an undefined template variable fails only its host.
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunEvent } from '../../src/executor/events.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { REPO, describeRun, runbook, type CliRun } from './support/runbook.js';

/** The same hosts as secrets-ps.test.ts: run in one mocha process, both files share one lab. */
const RESTORE_LAB_HOSTS = [
  { name: 'redis1', groups: ['redis'] },
  { name: 'web1', groups: ['web'] },
  { name: 'web2', groups: ['web'] },
];
const WEB = ['web1', 'web2'];
const SITE = join(REPO, 'playbooks/site.yml');

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;

function results(run: CliRun, host: string, task: RegExp): HostResultEvent[] {
  return run.events.filter((e): e is HostResultEvent => e.type === 'host_result' && e.host === host && task.test(e.task));
}

function onlyResult(run: CliRun, host: string, task: RegExp): HostResultEvent {
  const found = results(run, host, task);
  expect(found, `${host}: one result of ${task}\n${describeRun(run)}`).to.have.length(1);
  return found[0]!;
}

function password(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let pw = '&=+!@%';
  while (pw.length < 24) pw += alphabet[randomInt(alphabet.length)];
  return pw;
}

describe('config faults on real hosts: restore on a failed restart, validation, session_test, undefined variables', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let secrets: string;
  let pw: string;
  const outputs: string[] = [];

  /** A playbook of roles from the repo, in our work dir (found through --roles-path). */
  function rolesPlaybook(name: string, hosts: string, roles: string[]): string {
    const file = join(work, name);
    writeFileSync(file, stringify([{ name, hosts, become: true, roles }]));
    return file;
  }

  async function apply(playbook: string, ...extra: string[]): Promise<CliRun> {
    const run = await runbook(['apply', playbook, '-i', inventory, '--roles-path', join(REPO, 'roles'), '--json', ...extra]);
    outputs.push(run.stdout, run.stderr);
    return run;
  }

  async function sha(host: string, file: string): Promise<string> {
    const r = await onHost(lab, host, `sha1sum < '${file}'; stat -c '%U:%G %a' '${file}'`);
    expect(r.code, `${host} ${file}: ${r.stderr}`).to.equal(0);
    return r.stdout;
  }

  /** redis-cli on redis1 with the password on stdin (REDISCLI_AUTH, never argv). */
  async function redisCli(args: string): Promise<string> {
    const r = await onHost(lab, 'redis1', `IFS= read -r REDISCLI_AUTH && export REDISCLI_AUTH && redis-cli -h 127.0.0.1 ${args}`, { input: `${pw}\n` });
    return `${r.stdout}${r.stderr}`.trim();
  }

  before(async function () {
    this.timeout(1_800_000);
    lab = await getLab({ hosts: RESTORE_LAB_HOSTS });
    work = mkdtempSync(join(tmpdir(), 'runbook-faults-restore-'));
    const doc = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    doc.all.hosts.web2 = { ...doc.all.hosts.web2, php_web_server: 'apache' };
    // Only web1 defines the variable the motd template needs (the undefined-variable test).
    doc.all.hosts.web1 = { ...doc.all.hosts.web1, motd_owner: 'ops team' };
    inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify(doc));
    pw = password();
    secrets = join(work, 'secrets.yml');
    writeFileSync(secrets, stringify({ redis_password: pw }), { mode: 0o600 });
    const run = await apply(SITE, '-e', `@${secrets}`);
    expect(run.code, describeRun(run)).to.equal(0);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the converge left no kept copy behind: its handlers succeeded, so the previous contents were dropped', async () => {
    for (const host of ['redis1', ...WEB]) {
      const r = await onHost(lab, host, 'ls -A /var/lib/runbook/backup 2>/dev/null; true');
      expect(r.stdout.trim(), host).to.equal('');
    }
  });

  it('copies an earlier run left behind (its host failed before its handlers) are removed by the next run that takes the host lock', async () => {
    // What a run leaves when web1 fails after a notifying task: a kept copy no handler will use.
    const made = await onHost(lab, 'web1', "mkdir -p -m 0700 /var/lib/runbook/backup && echo 'port 1' > /var/lib/runbook/backup/app.conf.Ab12Cd34 && echo x > /var/lib/runbook/backup/.env.Ef56Gh78 && ls -A /var/lib/runbook/backup");
    expect(made.stdout.trim().split('\n')).to.have.members(['app.conf.Ab12Cd34', '.env.Ef56Gh78']);
    const run = await apply(SITE, '-e', `@${secrets}`, '--limit', 'web1');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap.web1).to.include({ changed: 0, failed: 0 });
    expect((await onHost(lab, 'web1', 'ls -A /var/lib/runbook/backup')).stdout.trim(), 'no orphan copy left').to.equal('');
  });

  describe('a redis.conf that validates but keeps Redis from starting', () => {
    it('is restored by the handler: Redis runs on the old config, the run fails saying so; a re-run with the good value converges', async () => {
      const before = await sha('redis1', '/etc/redis/redis.conf');
      const pidBefore = (await onHost(lab, 'redis1', 'systemctl show -p MainPID --value redis-server')).stdout.trim();
      const play = rolesPlaybook('redis.yml', 'redis', ['redis_server']);
      // 10.99.99.99 is no address of redis1: the throwaway validation server (no TCP port) starts
      // fine, the real one cannot bind.
      const run = await apply(play, '-e', `@${secrets}`, '-e', 'redis_bind=10.99.99.99');
      expect(run.code, describeRun(run)).to.equal(2);
      expect(run.recap.redis1).to.include({ failed: 1 });
      // The new file passed validation and replaced the old one...
      expect(onlyResult(run, 'redis1', /write redis\.conf/).status).to.equal('changed');
      // ...then the handler failed, restored it and restarted Redis on it.
      const handler = onlyResult(run, 'redis1', /restart redis/);
      expect(handler.handler).to.equal(true);
      expect(handler.status).to.equal('failed');
      const msg = handler.msg ?? '';
      expect(msg, msg).to.include("'redis_server : restart redis' failed after a change, so runbook restored what the tasks notifying it changed: /etc/redis/redis.conf (changed by 'redis_server : write redis.conf')");
      expect(msg, msg).to.include('then ran it again, and it succeeded: the service is back on its old config');
      expect(msg, msg).to.match(/the first failure: service redis-server\.service failed to restart/);
      // The tasks after the handler did not run on the failed host.
      expect(results(run, 'redis1', /authenticated PING/)).to.deep.equal([]);

      expect(await sha('redis1', '/etc/redis/redis.conf'), 'redis.conf: old content, owner and mode').to.equal(before);
      expect((await onHost(lab, 'redis1', 'systemctl is-active redis-server')).stdout.trim()).to.equal('active');
      const pidAfter = (await onHost(lab, 'redis1', 'systemctl show -p MainPID --value redis-server')).stdout.trim();
      expect(pidAfter, 'a new Redis process').to.not.equal(pidBefore);
      expect(await redisCli('CONFIG GET bind')).to.not.include('10.99.99.99');
      expect(await redisCli('PING')).to.equal('PONG');
      expect((await onHost(lab, 'redis1', 'ls -A /var/lib/runbook/backup')).stdout.trim(), 'the kept copy was used up').to.equal('');

      const rerun = await apply(play, '-e', `@${secrets}`);
      expect(rerun.code, describeRun(rerun)).to.equal(0);
      expect(rerun.recap.redis1).to.include({ changed: 0, failed: 0 });
    });
  });

  describe('configs that fail validation never replace the old ones', () => {
    it('redis.conf: a bad maxmemory is refused by redis-server, the old file stays and Redis keeps running', async () => {
      const before = await sha('redis1', '/etc/redis/redis.conf');
      const pid = (await onHost(lab, 'redis1', 'systemctl show -p MainPID --value redis-server')).stdout.trim();
      const run = await apply(rolesPlaybook('redis.yml', 'redis', ['redis_server']), '-e', `@${secrets}`, '-e', 'redis_maxmemory=lots');
      expect(run.code, describeRun(run)).to.equal(2);
      const write = onlyResult(run, 'redis1', /write redis\.conf/);
      expect(write.status).to.equal('failed');
      expect(write.msg).to.match(/^validation failed \(exit 1\): [\s\S]*maxmemory[\s\S]*\(the old file is unchanged\)$/);
      expect(results(run, 'redis1', /restart redis/), 'no handler ran').to.deep.equal([]);
      expect(await sha('redis1', '/etc/redis/redis.conf')).to.equal(before);
      expect((await onHost(lab, 'redis1', 'systemctl show -p MainPID --value redis-server')).stdout.trim(), 'Redis was not restarted').to.equal(pid);
      expect((await onHost(lab, 'redis1', "ls -A /etc/redis | grep -c runbook-tmp; true")).stdout.trim()).to.equal('0');
    });

    it('PHP ini (PHP-FPM on web1, mod_php on web2): a syntax error is refused by php -c, the old files stay', async () => {
      const version = (await onHost(lab, 'web1', "php -r 'echo PHP_MAJOR_VERSION, \".\", PHP_MINOR_VERSION;'")).stdout.trim();
      const ini = { web1: `/etc/php/${version}/fpm/conf.d/99-runbook-session.ini`, web2: `/etc/php/${version}/apache2/conf.d/99-runbook-session.ini` };
      const before = { web1: await sha('web1', ini.web1), web2: await sha('web2', ini.web2) };
      // A stray double quote ends session.save_path's quoted string early: PHP's ini parser refuses the line.
      const bad = join(work, 'bad-ini.yml');
      writeFileSync(bad, stringify({ php_redis_address: '10.0.0.1"' }));
      const run = await apply(rolesPlaybook('php.yml', 'web', ['php_redis_client']), '-e', `@${secrets}`, '-e', `@${bad}`);
      expect(run.code, describeRun(run)).to.equal(2);
      for (const [host, task] of [['web1', /sessions in Redis for PHP-FPM/], ['web2', /sessions in Redis for Apache's mod_php/]] as const) {
        const r = onlyResult(run, host, task);
        expect(r.status, host).to.equal('failed');
        expect(r.msg, host).to.match(/^validation failed \(exit 1\): PHP: {1,2}syntax error[\s\S]*\(the old file is unchanged\)$/);
        expect(await sha(host, ini[host]), host).to.equal(before[host]);
      }
    });

    it('nginx site (nginx -t on a minimal nginx.conf including it) and Apache site (apache2 -t on the whole config plus it): refused, old files stay', async () => {
      const site = { web1: '/etc/nginx/sites-available/runbook-php', web2: '/etc/apache2/sites-available/000-default.conf' };
      const before = { web1: await sha('web1', site.web1), web2: await sha('web2', site.web2) };
      // Two words where one path belongs: nginx's root and Apache's DocumentRoot take one argument.
      const bad = join(work, 'bad-root.yml');
      writeFileSync(bad, stringify({ php_web_root: '/srv/runbook bad-root' }));
      try {
        const run = await apply(rolesPlaybook('web.yml', 'web', ['php_web']), '-e', `@${bad}`);
        expect(run.code, describeRun(run)).to.equal(2);
        const nginx = onlyResult(run, 'web1', /nginx site/);
        expect(nginx.status).to.equal('failed');
        expect(nginx.msg).to.match(/^validation failed \(exit 1\): [\s\S]*invalid number of arguments in "root" directive[\s\S]*\(the old file is unchanged\)$/);
        const apache = onlyResult(run, 'web2', /Apache site/);
        expect(apache.status).to.equal('failed');
        expect(apache.msg).to.match(/^validation failed \(exit 1\): [\s\S]*DocumentRoot takes one argument[\s\S]*\(the old file is unchanged\)$/);
        for (const host of WEB) expect(await sha(host, site[host as 'web1' | 'web2']), host).to.equal(before[host as 'web1' | 'web2']);
        expect((await onHost(lab, 'web1', 'systemctl is-active nginx')).stdout.trim()).to.equal('active');
        expect((await onHost(lab, 'web2', 'systemctl is-active apache2')).stdout.trim()).to.equal('active');
      } finally {
        for (const host of WEB) await onHost(lab, host, "rm -rf '/srv/runbook bad-root'");
      }
    });
  });

  describe('session_test', () => {
    const sessionPlay = () => rolesPlaybook('session.yml', 'web', ['session_test']);

    it('with Redis stopped: fails saying Redis is not reachable, not with a count mismatch', async () => {
      await onHost(lab, 'redis1', 'systemctl stop redis-server');
      try {
        const run = await apply(sessionPlay(), '-e', `@${secrets}`);
        expect(run.code, describeRun(run)).to.equal(2);
        const check = onlyResult(run, 'web1', /one session shared/);
        expect(check.status).to.equal('failed');
        expect(check.msg).to.match(/^Redis at redis1:6379 is not reachable: cannot open a tunnel through redis1 to 127\.0\.0\.1:6379: .*Connection refused.*; is redis-server running there/);
        expect(check.msg).to.not.match(/count|PHPSESSID|Stack trace/);
      } finally {
        await onHost(lab, 'redis1', 'systemctl start redis-server');
      }
    });

    it('with a wrong password: fails saying Redis refused it, and neither password appears in any output', async () => {
      const wrong = `Wr0ng-${password()}`;
      const run = await apply(sessionPlay(), '-e', `redis_password=${wrong}`);
      expect(run.code, describeRun(run)).to.equal(2);
      const check = onlyResult(run, 'web1', /one session shared/);
      expect(check.status).to.equal('failed');
      expect(check.msg).to.match(/^Redis at redis1:6379 refused the password \(WRONGPASS\): WRONGPASS invalid username-password pair/);
      for (const text of [run.stdout, run.stderr]) {
        expect(text).to.not.include(wrong);
        expect(text).to.not.include(pw);
      }
      // The human output says the same.
      const human = await runbook(['apply', sessionPlay(), '-i', inventory, '--roles-path', join(REPO, 'roles'), '-e', `redis_password=${wrong}`]);
      outputs.push(human.stdout, human.stderr);
      expect(human.code).to.equal(2);
      expect(human.stdout).to.include('Redis at redis1:6379 refused the password (WRONGPASS)');
      expect(human.stdout + human.stderr).to.not.include(wrong);
    });

    it('with Redis back and the right password: passes again', async () => {
      const run = await apply(sessionPlay(), '-e', `@${secrets}`);
      expect(run.code, describeRun(run)).to.equal(0);
      expect(onlyResult(run, 'web1', /one session shared/).msg).to.match(/^one session across web1, web2: web1=1 web2=2 web1=3 web2=4/);
    });
  });

  describe('an undefined variable in a template', () => {
    it('fails only the host that lacks it, naming template:line:col and the variable; its old file is untouched', async () => {
      mkdirSync(join(work, 'templates'), { recursive: true });
      writeFileSync(join(work, 'templates/motd.hbs'), '# Managed by runbook\nowner: {{motd_owner}}\nhost: {{inventory_hostname}}\n');
      const play = join(work, 'motd.yml');
      writeFileSync(play, stringify([{ hosts: 'web', gather_facts: false, tasks: [{ name: 'motd', template: { src: 'motd.hbs', dest: '/etc/runbook-motd', mode: '0644' } }] }]));
      for (const host of WEB) await onHost(lab, host, `printf 'old %s\\n' ${host} > /etc/runbook-motd`);
      const run = await apply(play);
      expect(run.code, describeRun(run)).to.equal(2);
      expect(onlyResult(run, 'web1', /motd/).status).to.equal('changed');
      const fail = onlyResult(run, 'web2', /motd/);
      expect(fail.status).to.equal('failed');
      expect(fail.msg).to.match(/templates\/motd\.hbs:2:\d+: undefined variable 'motd_owner'/);
      expect((await onHost(lab, 'web1', 'cat /etc/runbook-motd')).stdout).to.equal('# Managed by runbook\nowner: ops team\nhost: web1\n');
      expect((await onHost(lab, 'web2', 'cat /etc/runbook-motd; ls -A /etc | grep -c runbook-tmp; true')).stdout).to.equal('old web2\n0\n');
    });
  });

  describe('after all of the above', () => {
    it('never printed the Redis password in any run', () => {
      expect(outputs.length).to.be.greaterThan(10);
      const forms = [pw, encodeURIComponent(pw), JSON.stringify(pw).slice(1, -1)];
      const leaks = outputs.flatMap((o, i) => forms.filter((f) => o.includes(f)).map((f) => `output #${i} holds form #${forms.indexOf(f)}`));
      expect(leaks).to.deep.equal([]);
    });
  });
});
