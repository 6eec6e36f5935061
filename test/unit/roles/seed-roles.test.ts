// The seed job's roles: every variable documented with its default, and each config template
// rendered with a hostile password and passed through the very `validate:` command its task uses.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Vars } from '../../../src/core/types.js';
import { createTemplater } from '../../../src/template/index.js';

/** The repository root, found upwards from here: the same from test/ (tsx) and dist/test/ (compiled). */
function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROLES = join(repoRoot(), 'roles');
const SEED = ['firewall', 'redis_server', 'php_web', 'php_redis_client', 'session_test'];
const PASSWORD = `Pa$$ & = + ! @ % "quoted" \\ back ' single #;x`;

const yamlOf = (role: string, file: string): any => parse(readFileSync(join(ROLES, role, file), 'utf8'));
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function render(role: string, template: string, vars: Vars): string {
  const file = join(ROLES, role, 'templates', template);
  return createTemplater().renderText(readFileSync(file, 'utf8'), vars, file);
}

/** The `validate:` of the task writing `dest`, run as the template module runs it (%s is the candidate file). */
function validateWith(role: string, taskName: string, content: string): { rc: number | null; out: string } {
  const task = (yamlOf(role, 'tasks/main.yml') as any[]).find((t) => t.name === taskName);
  expect(task?.template?.validate, `validate of '${taskName}'`).to.be.a('string');
  const cmd = String(task.template.validate).split('%s').join('"$tmp"');
  const dir = mkdtempSync(join(tmpdir(), 'runbook-validate-'));
  try {
    writeFileSync(join(dir, 'candidate'), content);
    const r = spawnSync('sh', ['-c', `tmp="$1"; out=$( { ${cmd} ; } 2>&1 ); rc=$?; printf '%s' "$out"; exit $rc`, 'sh', join(dir, 'candidate')], { encoding: 'utf8' });
    return { rc: r.status, out: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('seed roles', () => {
  it('document every default in meta/argument_specs.yml, with the same value', () => {
    for (const role of SEED) {
      const defaults: Vars = yamlOf(role, 'defaults/main.yml') ?? {};
      const options: Record<string, any> = yamlOf(role, 'meta/argument_specs.yml').argument_specs.main.options;
      for (const [name, value] of Object.entries(defaults)) {
        expect(options, `${role}: ${name} is not in argument_specs`).to.have.property(name);
        expect(options[name].default, `${role}: default of ${name}`).to.deep.equal(value);
      }
      for (const [name, spec] of Object.entries(options)) {
        expect(spec.description, `${role}: ${name} has no description`).to.be.a('string');
        if (!(name in defaults)) expect(spec.required, `${role}: ${name} has neither a default nor required: true`).to.equal(true);
      }
      for (const file of ['tasks/main.yml', 'handlers/main.yml']) expect(readdirSync(join(ROLES, role, file.split('/')[0]!))).to.include('main.yml');
    }
  });

  it('require a secret redis_password of at least 16 characters wherever it is used', () => {
    for (const role of ['redis_server', 'php_redis_client', 'session_test']) {
      const spec = yamlOf(role, 'meta/argument_specs.yml').argument_specs.main.options.redis_password;
      expect(spec, role).to.include({ type: 'str', required: true, no_log: true, min_length: 16 });
    }
  });

  describe('redis_server: redis.conf', () => {
    const vars = { redis_bind: '10.0.0.10', redis_port: 6379, redis_password: PASSWORD, redis_maxmemory: '64mb', redis_maxmemory_policy: 'noeviction', redis_extra_settings: { timeout: 300 } };

    it('binds loopback and the private address and quotes the password', () => {
      const conf = render('redis_server', 'redis.conf.hbs', vars);
      expect(conf).to.match(/^bind 127\.0\.0\.1 -::1 10\.0\.0\.10$/m);
      expect(conf).to.include(`requirepass "Pa$$ & = + ! @ % \\"quoted\\" \\\\ back ' single #;x"\n`);
      expect(conf).to.match(/^maxmemory 64mb$/m).and.match(/^protected-mode yes$/m).and.match(/^timeout 300$/m);
      expect(render('redis_server', 'redis.conf.hbs', { ...vars, redis_bind: '' })).to.match(/^bind 127\.0\.0\.1 -::1$/m);
    });

    it('passes its validate command, which refuses a bad line naming it, and Redis accepts the password as written', function () {
      if (!have('redis-server') || !have('redis-cli')) this.skip();
      const conf = render('redis_server', 'redis.conf.hbs', vars);
      expect(validateWith('redis_server', 'write redis.conf', conf).rc).to.equal(0);
      const bad = validateWith('redis_server', 'write redis.conf', render('redis_server', 'redis.conf.hbs', { ...vars, redis_extra_settings: { 'no-such-directive': 'yes' } }));
      expect(bad.rc).not.to.equal(0);
      expect(bad.out).to.include('no-such-directive');

      const dir = mkdtempSync(join(tmpdir(), 'runbook-redis-conf-'));
      try {
        writeFileSync(join(dir, 'redis.conf'), conf);
        const script = `timeout 5 redis-server "$1/redis.conf" --port 0 --unixsocket "$1/s.sock" --dir "$1" --pidfile "$1/p" --logfile '' --daemonize no --supervised no --save '' >/dev/null 2>&1 & pid=$!
          for i in $(seq 50); do [ -S "$1/s.sock" ] && break; sleep 0.1; done
          redis-cli --no-auth-warning -s "$1/s.sock" ping; REDISCLI_AUTH="$2" redis-cli --no-auth-warning -s "$1/s.sock" ping; kill $pid; wait $pid`;
        const r = spawnSync('sh', ['-c', script, 'sh', dir, PASSWORD], { encoding: 'utf8' });
        expect(r.stdout.split("\n").filter(Boolean).slice(0, 2), r.stderr).to.deep.equal(['NOAUTH Authentication required.', 'PONG']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('php_redis_client: session ini', () => {
    const vars = { php_redis_address: '10.0.0.10', redis_port: 6379, redis_password: PASSWORD, php_redis_timeout: 2.5, php_redis_locking_enabled: true, php_redis_lock_expire: 30, php_redis_lock_wait_time: 50000, php_redis_lock_retries: 600 };

    it('writes a double-quoted save_path with the URL-encoded password and a timeout', () => {
      const ini = render('php_redis_client', 'session.ini.hbs', vars);
      expect(ini).to.match(/^session\.save_handler = redis$/m);
      expect(ini).to.match(/^session\.save_path = "tcp:\/\/10\.0\.0\.10:6379\?auth=[A-Za-z0-9%._~-]+&timeout=2\.5"$/m);
      expect(ini).to.match(/^redis\.session\.locking_enabled = 1$/m).and.match(/^redis\.session\.lock_retries = 600$/m);
    });

    it('passes its validate command, and PHP decodes the password exactly as written', function () {
      if (!have('php')) this.skip();
      const ini = render('php_redis_client', 'session.ini.hbs', vars);
      expect(validateWith('php_redis_client', 'sessions in Redis for PHP-FPM', ini)).to.deep.equal({ rc: 0, out: '' });
      expect(validateWith('php_redis_client', 'sessions in Redis for PHP-FPM', `${ini}\nbroken = "unterminated\n`).rc).not.to.equal(0);
      const dir = mkdtempSync(join(tmpdir(), 'runbook-ini-'));
      try {
        writeFileSync(join(dir, 'session.ini'), ini);
        const php = `parse_str(parse_url(ini_get("session.save_path"), PHP_URL_QUERY), $q); echo $q["auth"];`;
        const r = spawnSync('php', ['-c', join(dir, 'session.ini'), '-r', php], { encoding: 'utf8', env: { ...process.env, PHP_INI_SCAN_DIR: '' } });
        expect(r.stdout).to.equal(PASSWORD);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('php_web: site configs', () => {
    const vars = { php_web_listen_port: 80, php_web_listen_ipv6: true, php_web_server_name: '_', php_web_root: '/var/www/html', php_version: '8.2' };

    it('passes nginx to PHP-FPM of the detected version, and nginx -t validates it', function () {
      const site = render('php_web', 'nginx-site.conf.hbs', vars);
      expect(site).to.include('fastcgi_pass unix:/run/php/php8.2-fpm.sock;');
      if (!have('nginx')) this.skip();
      expect(validateWith('php_web', 'nginx site passing PHP to PHP-FPM', site).rc).to.equal(0);
      const bad = validateWith('php_web', 'nginx site passing PHP to PHP-FPM', site.replace('index index.php', 'indexx index.php'));
      expect(bad.rc).not.to.equal(0);
      expect(bad.out).to.include('indexx');
    });

    it('serves the web root with Apache, and apache2 -t validates it', function () {
      const site = render('php_web', 'apache-site.conf.hbs', vars);
      expect(site).to.include('DocumentRoot /var/www/html').and.include('${APACHE_LOG_DIR}');
      if (!have('apache2') || !have('apache2ctl')) this.skip();
      expect(validateWith('php_web', 'Apache site serving the web root', site).rc).to.equal(0);
      expect(validateWith('php_web', 'Apache site serving the web root', site.replace('DocumentRoot', 'DocumentRot')).rc).not.to.equal(0);
    });
  });
});
