// Issue 4's "Done when", proved on fresh lab hosts: the seed job converges, shares sessions, keeps Redis closed and its password secret.
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { HostCounters } from '../../src/executor/events.js';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { getCounter } from './support/counter-page.js';
import { parseHumanRecap } from './support/human-recap.js';
import { describeRun, runbook, type CliRun } from './support/runbook.js';
import { SEED_APPLY } from './support/seed-apply.js';
import { probeTcp } from './support/tcp-probe.js';

const HOSTS = [
  { name: 'redis1', groups: ['redis'] },
  { name: 'web1', groups: ['web'] },
  { name: 'web2', groups: ['web'] },
  { name: 'outsider', groups: ['other'] },
];
const NAMES = HOSTS.map((h) => h.name);
const WEB = ['web1', 'web2'];

/**
 * The issue asks for `& = + ! @ %`; "any printable character" must arrive intact, so the password
 * also holds quotes, a backslash, `$`, `#`, `;` and a space (what ini files, redis.conf and shells mangle).
 */
const AWKWARD = `&=+!@%"'\\$#; `;

/** 24 characters: every awkward one, the rest random letters and digits, shuffled. */
function awkwardPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const chars = [...AWKWARD];
  while (chars.length < 24) chars.push(alphabet[randomInt(alphabet.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Where JSON's escaping of `s` differs from `s` (quotes, backslashes), --json output escapes it once more. */
const jsonBody = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The spellings of the password a leak could take: raw, URL-encoded (both flavours, either hex case), JSON-escaped (once and twice), shell-quoted. */
function leakForms(pw: string): string[] {
  const uri = encodeURIComponent(pw);
  const strict = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const forms = [
    pw,
    uri,
    strict,
    strict.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ v: pw }).toString().slice(2),
    pw.replace(/'/g, `'\\''`),
    pw.replace(/[\\"$`]/g, '\\$&'),
  ];
  return [...new Set(forms.flatMap((f) => [f, jsonBody(f), jsonBody(jsonBody(f))]))];
}

describe('seed job on fresh lab hosts (issue 4)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let dir: string;
  let inventory: string;
  let secrets: string;
  let password: string;
  const runs: { label: string; run: CliRun }[] = [];

  const address = (name: string): string => {
    const host = lab.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no lab host ${name}`);
    return host.address;
  };

  /** Runs the README's apply command against our inventory and secrets, keeping the output for the leak check. */
  async function apply(label: string, extra: string[]): Promise<CliRun> {
    const run = await runbook([...SEED_APPLY, '-i', inventory, '-e', `@${secrets}`, ...extra]);
    runs.push({ label, run });
    return run;
  }

  /** The recap of a run, from --json events or from the human PLAY RECAP. */
  function recapOf(run: CliRun): Record<string, HostCounters> {
    return Object.keys(run.recap).length > 0 ? run.recap : parseHumanRecap(run.stdout);
  }

  function expectEveryHost(run: CliRun, check: (c: HostCounters, host: string) => void): void {
    const recap = recapOf(run);
    expect(Object.keys(recap).sort(), `recap hosts\n${describeRun(run)}`).to.deep.equal([...NAMES].sort());
    for (const host of NAMES) check(recap[host]!, host);
  }

  /** redis-cli on redis1 with the password on stdin (REDISCLI_AUTH, never in argv); args are our own constants. */
  async function redisCli(args: string): Promise<string> {
    const res = await onHost(lab, 'redis1', `IFS= read -r REDISCLI_AUTH && export REDISCLI_AUTH && redis-cli -h 127.0.0.1 ${args}`, {
      input: `${password}\n`,
    });
    expect(res.code, res.stderr).to.equal(0);
    return res.stdout.trim();
  }

  before(async () => {
    lab = await getLab({ hosts: HOSTS });
    dir = await mkdtemp(join(tmpdir(), 'runbook-seed-'));
    // The lab's connection vars as written, plus a LAMP web2 beside the default LEMP web1.
    const doc = parse(await readFile(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    doc.all.hosts.web2 = { ...doc.all.hosts.web2, php_web_server: 'apache' };
    inventory = join(dir, 'inventory.yml');
    await writeFile(inventory, stringify(doc));
    password = awkwardPassword();
    secrets = join(dir, 'secrets.yml');
    await writeFile(secrets, stringify({ redis_password: password }), { mode: 0o600 });
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('converges one Redis host, a LEMP and a LAMP web host and an outsider: exit 0, failed=0', async () => {
    const run = await apply('first converge (--json --diff)', ['--json', '--diff']);
    expect(run.code, describeRun(run)).to.equal(0);
    expectEveryHost(run, (c, host) => {
      expect(c.failed, host).to.equal(0);
      expect(c.unreachable, host).to.equal(0);
      expect(c.changed, `${host} was bare, so the first run changes it`).to.be.greaterThan(0);
    });
    // web2 really is the Apache one and web1 the nginx one.
    const web1 = await onHost(lab, 'web1', 'systemctl is-active nginx "php$(php -r \'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;\')-fpm"');
    expect(web1.stdout.split('\n').slice(0, 2)).to.deep.equal(['active', 'active']);
    const web2 = await onHost(lab, 'web2', 'systemctl is-active apache2; dpkg-query -W -f="${Status}" nginx 2>/dev/null || echo no-nginx');
    expect(web2.stdout.trim().split('\n')).to.deep.equal(['active', 'no-nginx']);
  });

  it('serves one session across web1, web2, web1, web2 (1, 2, 3, 4) and keeps it in Redis as count|i:5;', async () => {
    const path = '/test.php';
    const order = ['web1', 'web2', 'web1', 'web2'];
    const first = await getCounter(address(order[0]!), path);
    expect(first.status, first.body).to.equal(200);
    expect(first.sessionId, 'web1 starts a session (Set-Cookie PHPSESSID)').to.match(/^[A-Za-z0-9,-]+$/);
    const sid = first.sessionId!;
    const seen = [first];
    for (const host of order.slice(1)) seen.push(await getCounter(address(host), path, sid));
    expect(seen.map((a) => a.status)).to.deep.equal([200, 200, 200, 200]);
    expect(seen.map((a) => a.handler)).to.deep.equal(['redis', 'redis', 'redis', 'redis']);
    expect(seen.map((a) => a.count), seen.map((a) => a.body).join('---\n')).to.deep.equal([1, 2, 3, 4]);
    // No server replaced the session (a failed Redis read would start a new one).
    expect(seen.slice(1).map((a) => a.sessionId ?? sid)).to.deep.equal([sid, sid, sid]);
    expect(await redisCli(`GET PHPREDIS_SESSION:${sid}`)).to.equal('count|i:5;');
  });

  it('keeps Redis behind its password and the firewall, and every host open to SSH', async () => {
    const redis = address('redis1');
    // Without the password: NOAUTH, on loopback and from a web host over the private address.
    const local = await onHost(lab, 'redis1', 'redis-cli -h 127.0.0.1 PING');
    expect(local.stdout + local.stderr).to.match(/NOAUTH/);
    expect(await redisCli('PING')).to.equal('PONG');
    for (const web of WEB) {
      const tcp = await onHost(lab, web, `timeout 5 bash -c '</dev/tcp/${redis}/6379' && echo open`);
      expect(tcp.stdout.trim(), `${web} -> ${redis}:6379 ${tcp.stderr}`).to.equal('open');
      const cli = await onHost(lab, web, `timeout 5 redis-cli -h ${redis} -p 6379 PING`);
      expect(cli.stdout + cli.stderr, `${web} gets an answer from Redis, and it is NOAUTH`).to.match(/NOAUTH/);
    }
    // The outsider reaches redis1 (SSH answers) but not its Redis port.
    const outsiderSsh = await onHost(lab, 'outsider', `timeout 5 bash -c '</dev/tcp/${redis}/22' && echo open`);
    expect(outsiderSsh.stdout.trim(), 'control: outsider reaches redis1 on 22').to.equal('open');
    const outsider = await onHost(lab, 'outsider', `timeout 3 bash -c '</dev/tcp/${redis}/6379' 2>/dev/null; echo $?`);
    expect(outsider.stdout.trim(), 'outsider -> 6379 must time out (124) or be refused (1)').to.be.oneOf(['1', '124']);
    // The controller likewise: SSH yes, Redis no.
    expect(await probeTcp(redis, 22), 'control: the controller reaches redis1 on 22').to.equal('connected');
    expect(await probeTcp(redis, 6379)).to.be.oneOf(['timeout', 'refused']);
    // Every host, firewalled now, still takes new SSH connections.
    for (const host of NAMES) {
      const res = await onHost(lab, host, 'ufw status | head -1');
      expect(res.code, `${host}: ${res.stderr}`).to.equal(0);
      expect(res.stdout.trim(), host).to.equal('Status: active');
    }
  });

  it('changes nothing on a second run, and --check then reports nothing to change', async () => {
    const second = await apply('second run (human -v --diff)', ['-v', '--diff']);
    expect(second.code, describeRun(second) + second.stdout).to.equal(0);
    expectEveryHost(second, (c, host) => {
      expect(c.changed, `${host} changed on the second run\n${second.stdout}`).to.equal(0);
      expect(c.failed, host).to.equal(0);
    });
    const check = await apply('check after converge (human --check --diff)', ['--check', '--diff']);
    expect(check.code, describeRun(check) + check.stdout).to.equal(0);
    expectEveryHost(check, (c, host) => {
      expect(c.changed, `${host} would change in check mode\n${check.stdout}`).to.equal(0);
      expect(c.failed, host).to.equal(0);
    });
  });

  it('applies -e redis_maxmemory=64mb to the Redis host only, and Redis runs with it', async () => {
    const run = await apply('redis_maxmemory=64mb (--json --diff)', ['-e', 'redis_maxmemory=64mb', '--json', '--diff']);
    expect(run.code, describeRun(run)).to.equal(0);
    expectEveryHost(run, (c, host) => {
      expect(c.failed, host).to.equal(0);
      if (host === 'redis1') expect(c.changed, host).to.be.greaterThan(0);
      else expect(c.changed, `${host} is no Redis host`).to.equal(0);
    });
    expect(await redisCli('CONFIG GET maxmemory')).to.equal('maxmemory\n67108864');
  });

  it('with --check against fresh hosts: exits 0, lists what would change, and leaves them bare', async () => {
    for (const host of NAMES) await resetHost(lab, host);
    const mark = '/run/runbook-seed-check.mark';
    for (const host of NAMES) expect((await onHost(lab, host, `touch ${mark}`)).code, host).to.equal(0);

    const json = await apply('check on fresh hosts (--json --check --diff)', ['--json', '--check', '--diff']);
    expect(json.code, describeRun(json)).to.equal(0);
    expectEveryHost(json, (c, host) => {
      expect(c.failed, host).to.equal(0);
      expect(c.unreachable, host).to.equal(0);
      expect(c.changed, `${host} is bare: the job would change it`).to.be.greaterThan(0);
    });
    const wouldChange = (host: string, task: RegExp): string[] =>
      json.events.flatMap((e) => (e.type === 'host_result' && e.host === host && e.status === 'changed' && task.test(e.task) ? (e.changes ?? []) : []));
    for (const host of NAMES) expect(wouldChange(host, /ufw|firewall/i), `${host}: ufw would be installed and enabled`).to.not.be.empty;
    expect(wouldChange('redis1', /Redis/), 'redis1: Redis would be installed').to.not.be.empty;
    expect(wouldChange('web1', /nginx/i), 'web1: nginx would be installed').to.not.be.empty;
    expect(wouldChange('web2', /Apache/i), 'web2: Apache would be installed').to.not.be.empty;
    const sessionCheck = json.events.filter((e) => e.type === 'host_result' && /one session shared/.test(e.task));
    expect(sessionCheck.map((e) => e.type === 'host_result' && e.status)).to.satisfy((s: unknown[]) => s.length > 0 && s.every((x) => x === 'skipped'));

    const human = await apply('check on fresh hosts (human -v --check --diff)', ['-v', '--check', '--diff']);
    expect(human.code, describeRun(human) + human.stdout).to.equal(0);
    expectEveryHost(human, (c, host) => expect(c.changed, host).to.be.greaterThan(0));

    const bare = [
      'for p in redis-server redis-tools php-fpm php-redis nginx apache2 libapache2-mod-php ufw; do',
      '  case "$(dpkg-query -W -f=\'${Status}\' "$p" 2>/dev/null)" in *" installed") echo "installed: $p";; esac',
      'done',
      'for f in /etc/php /var/www/html/test.php /etc/redis /etc/nginx /etc/apache2 /etc/ufw/ufw.conf; do [ -e "$f" ] && echo "exists: $f"; done',
      'command -v ufw >/dev/null && echo "ufw: $(ufw status | head -1)"',
      `find /etc /usr /opt /srv /var/www /var/lib/dpkg /var/lib/apt -xdev -newer ${mark} 2>/dev/null | sed 's/^/written: /'`,
      'true',
    ].join('\n');
    for (const host of NAMES) {
      const res = await onHost(lab, host, bare);
      expect(res.code, `${host}: ${res.stderr}`).to.equal(0);
      expect(res.stdout.trim(), `${host} after two check runs`).to.equal('');
    }
  });

  it('never shows the password, raw, URL-encoded or JSON-escaped, in any output of any run', () => {
    expect(runs.map((r) => r.label)).to.have.length(6);
    const forms = leakForms(password);
    const leaks = runs.flatMap(({ label, run }) =>
      forms.flatMap((f) =>
        (['stdout', 'stderr'] as const).filter((s) => run[s].includes(f)).map((s) => `${label}: ${s} holds form #${forms.indexOf(f)}`),
      ),
    );
    // The message names the run and the form, never the password.
    expect(leaks).to.deep.equal([]);
    // The runs did print the tasks that handle it (the check above would pass on empty output too).
    for (const { label, run } of runs) expect(run.stdout, label).to.match(/redis|session/i);
    // And the first converge's diffs did list the files holding it, saying only that they changed.
    const diffs = (host: string, file: RegExp): string[] =>
      runs[0]!.run.events.flatMap((e) => (e.type === 'host_result' && e.host === host ? (e.diffs ?? []) : []).filter((d) => file.test(d.path)).map((d) => d.hidden ?? d.after));
    expect(diffs('redis1', /redis\.conf$/)).to.deep.equal(['the file will hold a secret']);
    for (const web of WEB) expect(diffs(web, /99-runbook-session\.ini$/), web).to.deep.equal(['the file will hold a secret']);
  });
});
