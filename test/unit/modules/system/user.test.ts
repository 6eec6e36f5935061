// user plans from canned getent output: a table of arguments and host facts mapped to the commands
// Ansible 2.14's user module would run (useradd / usermod / userdel / chpasswd / chage), or none.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { InputError } from '../../../../src/core/errors.js';
import { parseUserArgs, planUser, userModule, userProbe } from '../../../../src/modules/system/user.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { planOnly, sh } from '../lib/local.js';
import { loc } from './fixtures/context.js';

const HASH = `$6$saltsalt$${'a'.repeat(86)}`;
const OTHER = `$6$saltsalt$${'b'.repeat(86)}`;
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

interface Host {
  /** The account: uid:gid:comment:home:shell; undefined: no such account. */
  passwd?: string;
  shadow?: { hash?: string; min?: number; max?: number; expires?: number };
  /** Groups that exist (name -> gid), and those listing the account as a member. */
  groups?: Record<string, number>;
  memberOf?: string[];
  home?: { new?: boolean; parent?: boolean; old?: boolean };
  key?: { file: string; private?: boolean; public?: boolean };
}

/** The probe's output for such a host. */
function host(h: Host): ExecResult {
  const parts: Record<string, string> = {};
  if (h.passwd !== undefined) {
    const [uid, gid, comment, home, shell] = h.passwd.split(':');
    parts.passwd = `uid=${uid}\ngid=${gid}\ncomment=${comment}\nhome=${home}\nshell=${shell}\n`;
  } else parts.passwd = '';
  if (h.shadow) {
    const pw = h.shadow.hash ?? '!';
    parts.shadow = `locked=${pw.startsWith('!') ? 1 : 0}\nmin=${h.shadow.min ?? 0}\nmax=${h.shadow.max ?? 99999}\nexpires=${h.shadow.expires ?? ''}\npw_sha=${sha(pw.replace(/^!+/, ''))}  -\n`;
  }
  parts.groups = [...Object.entries(h.groups ?? {}).map(([g, gid]) => `group=${g}:${gid}\n`), ...(h.memberOf ?? []).map((g) => `member=${g}\n`)].join('');
  parts.home = `${h.home?.new ? 'new=1\n' : ''}${h.home?.parent ? 'parent=1\n' : ''}${h.home?.old ?? h.passwd !== undefined ? 'old=1\n' : ''}`;
  if (h.key) parts.key = `file=${h.key.file}\n${h.key.private ? 'private=1\n' : ''}${h.key.public ? 'public=1\npub=ssh-ed25519 AAAA app@h\nfingerprint=256 SHA256:xx app@h (ED25519)\n' : ''}`;
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const APP = '1001:1001:App:/home/app:/bin/sh';
const READBACK = /^getent passwd app \|/;

/** Steps as text; the readback (getent passwd after a change) shown as READBACK, stdin after ' <<< '. */
function commands(raw: Record<string, unknown>, h: Host): string[] {
  const plan = planUser(parseUserArgs(raw, loc), host(h));
  expect(plan.failure, plan.failure?.msg).to.equal(undefined);
  return plan.steps.map((s) => (READBACK.test(s.script) ? 'READBACK' : s.script.startsWith('rb_p=') ? 'KEYGEN' : s.script.startsWith('mkdir -p --') && s.script.includes('\n') ? 'MKHOME' : `${s.script}${s.stdin !== undefined ? ` <<< ${String(s.stdin).trim()}` : ''}`));
}

const table: [string, Record<string, unknown>, Host, string[]][] = [
  ['creates a missing account with a home', { name: 'app' }, {}, ['useradd -m app', 'READBACK']],
  ['creates a system account without a home', { name: 'app', system: true, create_home: false, shell: '/usr/sbin/nologin' }, {}, ['useradd -s /usr/sbin/nologin -M -r app', 'READBACK']],
  ['createhome is create_home', { name: 'app', createhome: false }, {}, ['useradd -M app', 'READBACK']],
  ['creates with uid, group, groups, comment, home', { name: 'app', uid: 2001, group: 'web', groups: 'a, b', comment: 'The App', home: '/srv/app' }, { groups: { web: 33, a: 5, b: 6 }, home: { parent: true } }, ["useradd -u 2001 -g web -G a,b -c 'The App' -d /srv/app -m app", 'READBACK']],
  ['makes a missing parent of home first', { name: 'app', home: '/data/homes/app' }, {}, ['mkdir -p -- /data/homes', 'useradd -d /data/homes/app -m app', 'READBACK']],
  ['uses -N when a group of its name exists', { name: 'app' }, { groups: { app: 1005 } }, ['useradd -N -m app', 'READBACK']],
  ['sets a new account\'s password through chpasswd\'s stdin', { name: 'app', password: HASH }, {}, ['useradd -m app', `chpasswd -e <<< app:${HASH}`, 'READBACK']],
  ['locks a new account\'s password with its hash', { name: 'app', password: HASH, password_lock: true }, {}, ['useradd -m app', `chpasswd -e <<< app:!${HASH}`, 'READBACK']],
  ['expires a new account', { name: 'app', expires: 1735689600 }, {}, ['useradd -e 2025-01-01 -m app', 'READBACK']],
  ['ages a new account\'s password', { name: 'app', password_expire_max: 90, password_expire_min: 1 }, {}, ['useradd -m app', 'chage -m 1 -M 90 app', 'READBACK']],
  ['generates a new account\'s key', { name: 'app', generate_ssh_key: true }, { key: { file: '/home/app/.ssh/id_rsa' } }, ['useradd -m app', 'KEYGEN', 'READBACK']],
  ['leaves an account as described alone', { name: 'app', uid: 1001, shell: '/bin/sh', comment: 'App', home: '/home/app' }, { passwd: APP, home: { new: true, parent: true, old: true } }, []],
  ['leaves a system: account that exists as a normal one alone', { name: 'app', system: true }, { passwd: APP }, []],
  ['changes what differs in one usermod', { name: 'app', uid: 1002, shell: '/bin/bash', comment: 'App 2' }, { passwd: APP }, ["usermod -u 1002 -c 'App 2' -s /bin/bash app"]],
  ['changes the primary group by gid', { name: 'app', group: 'web' }, { passwd: APP, groups: { web: 33 } }, ['usermod -g 33 app']],
  ['sets the groups exactly', { name: 'app', groups: ['a', 'b'] }, { passwd: APP, groups: { a: 5, b: 6 }, memberOf: ['a', 'c'] }, ['usermod -G a,b app']],
  ['leaves the same groups alone', { name: 'app', groups: ['a', 'b'] }, { passwd: APP, groups: { a: 5, b: 6 }, memberOf: ['b', 'a'] }, []],
  ['appends only when a group is missing', { name: 'app', groups: ['a'], append: true }, { passwd: APP, groups: { a: 5 }, memberOf: ['c'] }, ['usermod -a -G a app']],
  ['append leaves other groups alone', { name: 'app', groups: ['a'], append: true }, { passwd: APP, groups: { a: 5 }, memberOf: ['a', 'c'] }, []],
  ["groups '' removes every supplementary group", { name: 'app', groups: '' }, { passwd: APP, memberOf: ['c'] }, ["usermod -G '' app"]],
  ['changes home without moving it, then creates it', { name: 'app', home: '/srv/app' }, { passwd: APP, home: { parent: true, old: true } }, ['usermod -d /srv/app app', 'MKHOME']],
  ['moves home', { name: 'app', home: '/srv/app', move_home: true }, { passwd: APP, home: { parent: true, old: true } }, ['usermod -d /srv/app -m app']],
  ['creates a missing home of an existing account, as Ansible does', { name: 'app' }, { passwd: APP, home: { old: false } }, ['MKHOME']],
  ['leaves a missing home alone with create_home: no', { name: 'app', create_home: false }, { passwd: APP, home: { old: false } }, []],
  ['sets a different password hash', { name: 'app', password: HASH }, { passwd: APP, shadow: { hash: OTHER } }, [`chpasswd -e <<< app:${HASH}`]],
  ['leaves the same hash alone', { name: 'app', password: HASH }, { passwd: APP, shadow: { hash: HASH } }, []],
  ['leaves the same hash alone when locked', { name: 'app', password: HASH }, { passwd: APP, shadow: { hash: `!${HASH}` } }, []],
  ['update_password: on_create leaves another hash alone', { name: 'app', password: HASH, update_password: 'on_create' }, { passwd: APP, shadow: { hash: OTHER } }, []],
  ['locks the password', { name: 'app', password_lock: true }, { passwd: APP, shadow: { hash: HASH } }, ['usermod -L app']],
  ['unlocks the password', { name: 'app', password_lock: false }, { passwd: APP, shadow: { hash: `!${HASH}` } }, ['usermod -U app']],
  ['does not unlock an account with no password at all (usermod -U would refuse)', { name: 'app', password_lock: false }, { passwd: APP, shadow: { hash: '!' } }, []],
  ['locks with a new hash in one chpasswd', { name: 'app', password: HASH, password_lock: true }, { passwd: APP, shadow: { hash: OTHER } }, [`chpasswd -e <<< app:!${HASH}`]],
  ['sets the expiry when the day differs', { name: 'app', expires: 1735689600 }, { passwd: APP, shadow: { hash: HASH, expires: 20000 } }, ['usermod -e 2025-01-01 app']],
  ['leaves the same expiry day alone', { name: 'app', expires: 1735689600 + 3600 }, { passwd: APP, shadow: { hash: HASH, expires: 20089 } }, []],
  ['removes an expiry with a negative value', { name: 'app', expires: -1 }, { passwd: APP, shadow: { hash: HASH, expires: 20089 } }, ["usermod -e '' app"]],
  ['changes password aging that differs', { name: 'app', password_expire_max: 90, password_expire_min: 0 }, { passwd: APP, shadow: { hash: HASH } }, ['chage -M 90 app']],
  ['generates a missing key', { name: 'app', generate_ssh_key: true }, { passwd: APP, key: { file: '/home/app/.ssh/id_rsa' } }, ['KEYGEN', 'READBACK']],
  ['leaves an existing key alone', { name: 'app', generate_ssh_key: true }, { passwd: APP, key: { file: '/home/app/.ssh/id_rsa', private: true, public: true } }, []],
  ['replaces an existing key with force', { name: 'app', generate_ssh_key: true, force: true }, { passwd: APP, key: { file: '/home/app/.ssh/id_rsa', private: true, public: true } }, ['KEYGEN', 'READBACK']],
  ['removes an account', { name: 'app', state: 'absent' }, { passwd: APP }, ['userdel app']],
  ['removes an account with its home, forced', { name: 'app', state: 'absent', remove: true, force: true }, { passwd: APP }, ['userdel -f -r app']],
  ['removes nothing that is not there', { name: 'app', state: 'absent', remove: true }, {}, []],
];

describe('modules/system/user', () => {
  for (const [what, raw, h, cmds] of table) {
    it(what, () => {
      expect(commands(raw, h)).to.deep.equal(cmds);
      const plan = planUser(parseUserArgs(raw, loc), host(h));
      expect(plan.changes.length > 0).to.equal(cmds.length > 0);
    });
  }

  it('refuses a group that does not exist, naming it for check-mode forecasts', () => {
    const plan = planUser(parseUserArgs({ name: 'app', groups: ['web', 'db'] }, loc), host({ groups: { web: 33 } }));
    expect(plan.steps).to.deep.equal([]);
    expect(plan.failure).to.deep.equal({ msg: 'Group db does not exist', needs: [{ kind: 'group', name: 'db' }] });
    expect(plan.provides).to.deep.include({ kind: 'user', name: 'app' });
  });

  it('provides the account and its home to check-mode forecasts, and reads back the uid useradd picked', () => {
    const plan = planUser(parseUserArgs({ name: 'app', generate_ssh_key: true, ssh_key_type: 'ed25519' }, loc), host({ key: { file: '/home/app/.ssh/id_ed25519' } }));
    expect(plan.provides).to.deep.equal([
      { kind: 'user', name: 'app' },
      { kind: 'path', path: '/home/app' },
      { kind: 'path', path: '/home/app/.ssh/id_ed25519' },
      { kind: 'path', path: '/home/app/.ssh/id_ed25519.pub' },
    ]);
    const back = 'uid=998\ngid=998\ncomment=\nhome=/home/app\nshell=/bin/sh\nkey_file=/home/app/.ssh/id_ed25519\npub=ssh-ed25519 AAAA c\nfingerprint=256 SHA256:x c (ED25519)\n';
    expect(plan.afterApply!([{ stdout: '', stderr: '', code: 0 }, { stdout: '', stderr: '', code: 0 }, { stdout: back, stderr: '', code: 0 }]).data).to.deep.include({
      name: 'app', state: 'present', uid: 998, group: 998, home: '/home/app', shell: '/bin/sh', system: false, create_home: true,
      ssh_key_file: '/home/app/.ssh/id_ed25519', ssh_public_key: 'ssh-ed25519 AAAA c', ssh_fingerprint: '256 SHA256:x c (ED25519)',
    });
  });

  it('returns what Ansible returns for an existing account, the password masked', () => {
    const plan = planUser(parseUserArgs({ name: 'app', password: HASH, groups: 'a,b' }, loc), host({ passwd: APP, shadow: { hash: HASH }, groups: { a: 5, b: 6 }, memberOf: ['a', 'b'] }));
    expect(plan.data).to.deep.equal({ name: 'app', state: 'present', groups: 'a,b', password: 'NOT_LOGGING_PASSWORD', append: false, move_home: false, uid: 1001, group: 1001, comment: 'App', home: '/home/app', shell: '/bin/sh' });
    expect(JSON.stringify(plan)).not.to.contain(HASH);
  });

  it('never puts the hash or the passphrase on a command line', () => {
    const a = parseUserArgs({ name: 'app', password: HASH, generate_ssh_key: true, ssh_key_passphrase: 'pass phrase!' }, loc);
    const plan = planUser(a, host({ key: { file: '/home/app/.ssh/id_rsa' } }));
    for (const s of plan.steps) expect(s.script).not.to.contain(HASH).and.not.to.contain('pass phrase!');
    expect(plan.steps.map((s) => s.stdin).filter(Boolean)).to.deep.equal([`app:${HASH}\n`, 'pass phrase!\n']);
    expect(userProbe(a)).not.to.contain(HASH);
    expect(userModule.noLogArgs).to.include.members(['password', 'ssh_key_passphrase']);
  });

  it('refuses a shadow it cannot read when the password is managed', () => {
    const probe = host({ passwd: APP });
    probe.stdout = probe.stdout.replace('@@runbook-section@@ groups', '@@runbook-section@@ shadow\nunreadable=1\n\n@@runbook-section@@ groups');
    expect(planUser(parseUserArgs({ name: 'app', password: HASH }, loc), probe).failure?.msg).to.match(/needs root \(become: yes\)/);
  });

  it('probes only what the task asks about', () => {
    expect(userProbe(parseUserArgs({ name: 'app', state: 'absent' }, loc))).not.to.contain('getent group').and.not.to.contain('shadow');
    expect(userProbe(parseUserArgs({ name: 'app' }, loc))).not.to.contain('shadow').and.not.to.contain('ssh-keygen');
    expect(userProbe(parseUserArgs({ name: 'app', password: HASH }, loc))).to.contain('getent shadow app').and.to.contain('sha256sum');
  });

  it('reads this machine with the real probe: root exists, a made-up account does not', () => {
    expect(planOnly(userModule, { name: 'root', uid: 0, create_home: false }).data).to.deep.include({ uid: 0, group: 0, home: '/root' });
    expect(planOnly(userModule, { name: 'root', uid: 0, create_home: false }).changes).to.deep.equal([]);
    expect(planOnly(userModule, { name: 'rb-no-such-user' }).changes).to.deep.equal(['create user rb-no-such-user']);
    expect(planOnly(userModule, { name: 'rb-no-such-user', groups: ['rb-no-such-group'] }).failure?.msg).to.equal('Group rb-no-such-group does not exist');
    expect(planOnly(userModule, { name: 'root', groups: ['root'], append: true, create_home: false }).changes).to.have.length.at.most(1);
  });

  it('the key step generates a key with a passphrase through askpass (as this machine\'s root)', function () {
    if (process.getuid?.() !== 0) this.skip();
    const dir = sh('mktemp -d').stdout.trim();
    try {
      const a = parseUserArgs({ name: 'root', generate_ssh_key: true, ssh_key_type: 'ed25519', ssh_key_file: `${dir}/k`, ssh_key_passphrase: 'open sesame', ssh_key_comment: 'c' }, loc);
      const plan = planUser(a, sh(userProbe(a)));
      const step = plan.steps.find((s) => s.script.startsWith('rb_p='))!;
      const r = sh(step.script, step.stdin);
      expect(r.code, r.stderr).to.equal(0);
      expect(sh(`ssh-keygen -y -P 'open sesame' -f ${dir}/k`).stdout).to.match(/^ssh-ed25519 \S+/);
      expect(sh(`ssh-keygen -y -P wrong -f ${dir}/k`).code).not.to.equal(0);
      expect(planUser(a, sh(userProbe(a))).changes).to.deep.equal([]);
    } finally {
      sh(`rm -rf ${dir}`);
    }
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseUserArgs({ name: '-rf' }, loc)).to.throw(InputError, /'-rf' is not a user name/);
    expect(() => parseUserArgs({ name: 'app', password: 'hunter2' }, loc)).to.throw(InputError, /password must be a crypt hash/);
    expect(() => parseUserArgs({ name: 'app', password: '!' }, loc)).not.to.throw();
    expect(() => parseUserArgs({ name: 'app', home: 'relative' }, loc)).to.throw(InputError, /home must be an absolute path/);
    expect(() => parseUserArgs({ name: 'app', shell: '/bin/sh:x' }, loc)).to.throw(InputError, /cannot hold ':'/);
    expect(() => parseUserArgs({ name: 'app', expires: 'soon' }, loc)).to.throw(InputError, /expires must be seconds since the epoch/);
    expect(() => parseUserArgs({ name: 'app', non_unique: true }, loc)).to.throw(InputError, /'uid' is required with non_unique=true/);
    expect(() => parseUserArgs({ name: 'app', groups: ['ok', 'a b'] }, loc)).to.throw(InputError, /'a b' is not a group name/);
    expect(() => userModule.parse({ name: 'app', shel: '/bin/sh' }, loc)).to.throw(InputError, /has no argument 'shel'/);
    expect(parseUserArgs({ user: 'app', local: true, login_class: 'x' }, loc).name).to.equal('app');
  });
});
