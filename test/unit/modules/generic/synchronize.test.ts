// synchronize: arguments and the task's connection mapped to rsync's argv (a table), the messages
// when rsync is missing on either side, the itemized output read as changed, and a real local rsync.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import {
  NO_RSYNC_CONTROLLER,
  noRsyncHost,
  parseSynchronizeArgs,
  rsyncArgv,
  runSynchronize,
  sshCommand,
  syncOutcome,
  synchronizeModule,
} from '../../../../src/modules/generic/synchronize.js';
import type { ConnectionSpec, Transport } from '../../../../src/transport/types.js';
import { actionCtx, localTransport } from '../lib/action-ctx.js';
import { loc, tempDir } from '../lib/local.js';

const conn: ConnectionSpec = {
  name: 'web1', connection: 'ssh', address: '10.0.0.5', port: 2222, user: 'deploy',
  privateKeyFile: '/keys/id_ed25519', knownHostsFile: '/lab/known hosts', hostKeyChecking: true, connectTimeoutMs: 10_000,
};
const SSH = "--rsh=ssh -S none -o BatchMode=yes -o ConnectTimeout=10 -o Port=2222 -i /keys/id_ed25519 -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=/lab/known hosts'";
const OUT = '--out-format=<<CHANGED>>%i %n%L';

const table: [string, Record<string, unknown>, { check?: boolean }, string[]][] = [
  ['push with Ansible\'s defaults', {}, {}, ['--delay-updates', '-F', '--compress', '--archive', SSH, OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['--check is a dry run', {}, { check: true }, ['--delay-updates', '-F', '--compress', '--dry-run', '--archive', SSH, OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['delete, checksum, no compression, extra options', { delete: true, checksum: true, compress: false, rsync_opts: ['--exclude=.git', '--exclude=*.tmp'] }, {}, ['--delay-updates', '-F', '--delete-after', '--checksum', '--archive', SSH, '--exclude=.git', '--exclude=*.tmp', OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['archive with parts turned off', { owner: false, group: false, perms: false }, {}, ['--delay-updates', '-F', '--compress', '--archive', '--no-perms', '--no-owner', '--no-group', SSH, OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['no archive: only the parts asked for', { archive: false, recursive: true, times: true, delay_updates: false, compress: false }, {}, ['-F', '--recursive', '--times', SSH, OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['timeout, existing only, dirs, copy_links, partial, link_dest', { rsync_timeout: 30, existing_only: true, dirs: true, copy_links: true, partial: true, link_dest: ['/srv/prev'], compress: false }, {}, ['--delay-updates', '-F', '--timeout=30', '--existing', '--archive', '--dirs', '--copy-links', '--partial', '--link-dest=/srv/prev', SSH, OUT, '/ctl/site/', 'deploy@10.0.0.5:/srv/site/']],
  ['pull: the host is the source', { mode: 'pull', src: '/var/log/app/', dest: 'logs/', compress: false }, {}, ['--delay-updates', '-F', '--archive', SSH, OUT, 'deploy@10.0.0.5:/var/log/app/', '/ctl/logs/']],
  ['rsync_path and no remote user', { rsync_path: 'sudo rsync', set_remote_user: false, compress: false }, {}, ['--delay-updates', '-F', '--archive', SSH, '--rsync-path=sudo rsync', OUT, '/ctl/site/', '10.0.0.5:/srv/site/']],
];

describe('modules/generic/synchronize', () => {
  describe("rsync's command line", () => {
    for (const [what, raw, o, argv] of table) {
      it(what, () => {
        const a = parseSynchronizeArgs({ src: 'site/', dest: '/srv/site/', ...raw }, loc);
        expect(rsyncArgv(a, conn, { check: o.check ?? false, localSrc: '/ctl/site/', localDest: '/ctl/logs/' }).argv).to.deep.equal(argv);
      });
    }

    it("uses the task's port, key and known_hosts, or dest_port and private_key; no host key file when checking is off", () => {
      const a = parseSynchronizeArgs({ src: 'a', dest: 'b', dest_port: 22, private_key: '/other/key' }, loc);
      expect(sshCommand(conn, a)).to.contain('-o Port=22 -i /other/key');
      expect(sshCommand({ ...conn, hostKeyChecking: false, privateKeyFile: undefined }, parseSynchronizeArgs({ src: 'a', dest: 'b' }, loc)))
        .to.equal('ssh -S none -o BatchMode=yes -o ConnectTimeout=10 -o Port=2222 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null');
    });

    it('runs rsync under sudo on the host with become, and refuses what ssh cannot do without a prompt', () => {
      const a = parseSynchronizeArgs({ src: 'a', dest: 'b' }, loc);
      expect(rsyncArgv(a, conn, { check: false, become: { user: 'root' }, localSrc: '/a', localDest: '' }).argv).to.include('--rsync-path=sudo -n rsync');
      expect(rsyncArgv(a, conn, { check: false, become: { user: 'app' }, localSrc: '/a', localDest: '' }).argv).to.include('--rsync-path=sudo -n -u app rsync');
      expect(() => rsyncArgv(a, conn, { check: false, become: { user: 'root', password: 'pw' }, localSrc: '/a', localDest: '' })).to.throw(/cannot give a sudo password/);
      expect(() => sshCommand({ ...conn, privateKeyFile: undefined, password: 'pw' }, a)).to.throw(/SSH keys .* only.*use copy/);
      expect(() => sshCommand({ ...conn, jump: [{ address: 'b', port: 22, user: 'u' }] }, a)).to.throw(/ProxyJump/);
      expect(() => sshCommand({ ...conn, privateKeyFile: "/it's" }, a)).to.throw(/single quote/);
    });

    it('a local connection needs no ssh', () => {
      const a = parseSynchronizeArgs({ src: 'a', dest: '/b', compress: false }, loc);
      expect(rsyncArgv(a, { ...conn, connection: 'local' }, { check: false, localSrc: '/ctl/a', localDest: '' }).argv).to.deep.equal(['--delay-updates', '-F', '--archive', OUT, '/ctl/a', '/b']);
    });
  });

  describe('rsync missing', () => {
    it('on the controller: a clear error naming copy', async () => {
      const out = await runSynchronize(parseSynchronizeArgs({ src: '/a', dest: '/b' }, loc), actionCtx({}, { connection: conn }), { rsync: 'rb-no-such-rsync' });
      expect(out.failed).to.equal(NO_RSYNC_CONTROLLER);
      expect(out.failed).to.match(/rsync on the controller.*use the copy module/);
    });

    it('on the host: a clear error naming copy, before anything is sent', async () => {
      const scripts: string[] = [];
      const noRsync: Transport = { ...localTransport, exec: (s) => (scripts.push(s), Promise.resolve({ stdout: 'no\n', stderr: '', code: 0 })) };
      const out = await runSynchronize(parseSynchronizeArgs({ src: '/a', dest: '/b' }, loc), actionCtx({}, { connection: conn, transport: noRsync, host: 'web1' }), { rsync: process.execPath });
      expect(out.failed).to.equal(noRsyncHost('web1'));
      expect(out.failed).to.equal('synchronize needs rsync on the host web1, and it is not installed there: install it first (apt: name=rsync), or use the copy module to send files instead');
      expect(scripts).to.deep.equal(['command -v rsync >/dev/null 2>&1 && echo yes || echo no']);
    });
  });

  it("reads changed from rsync's itemized output", () => {
    expect(syncOutcome({ code: 0, stdout: '', stderr: '' }, 'rsync x')).to.deep.equal({ changed: false, msg: '', data: { rc: 0, cmd: 'rsync x', stdout_lines: [] } });
    const out = syncOutcome({ code: 0, stdout: '<<CHANGED>>>f+++++++++ a.txt\n<<CHANGED>>*deleting   old.txt\n', stderr: '' }, 'rsync x');
    expect(out).to.deep.include({ changed: true, msg: '>f+++++++++ a.txt\n*deleting   old.txt\n' });
    expect(out.data!.stdout_lines).to.deep.equal(['>f+++++++++ a.txt', '*deleting   old.txt']);
    expect(syncOutcome({ code: 23, stdout: '', stderr: 'rsync: link_stat failed\n' }, 'rsync x')).to.deep.include({ changed: false, failed: 'rsync: link_stat failed' });
  });

  describe('with the real rsync on this machine (a local connection)', function () {
    const hasRsync = spawnSync('rsync', ['--version']).status === 0;
    let t: ReturnType<typeof tempDir>;
    beforeEach(function () {
      if (!hasRsync) this.skip();
      t = tempDir();
      mkdirSync(t.path('play/files/site'), { recursive: true });
      writeFileSync(t.path('play/files/site/index.html'), '<h1>hi</h1>\n');
      mkdirSync(t.path('dest'));
      writeFileSync(t.path('dest/stale.html'), 'old\n');
    });
    afterEach(() => t?.cleanup());

    it("pushes from the role's files, then reports ok; delete removes what src lacks; --check changes nothing", async () => {
      const ctx = (check = false) => actionCtx({}, { check, connection: { ...conn, connection: 'local' }, playbookDir: t.path('play'), findFile: (p) => t.path(`play/files/${p}`) });
      const a = synchronizeModule.parse({ src: 'site/', dest: `${t.path('dest')}/`, delete: true }, loc);
      const dry = await synchronizeModule.run(a, ctx(true));
      expect(dry.changed).to.equal(true);
      expect(existsSync(t.path('dest/index.html'))).to.equal(false);
      expect(existsSync(t.path('dest/stale.html'))).to.equal(true);
      const first = await synchronizeModule.run(a, ctx());
      expect(first.changed, first.failed).to.equal(true);
      expect(readFileSync(t.path('dest/index.html'), 'utf8')).to.equal('<h1>hi</h1>\n');
      expect(existsSync(t.path('dest/stale.html'))).to.equal(false);
      expect(first.data!.stdout_lines).to.include('*deleting   stale.html');
      const again = await synchronizeModule.run(a, ctx());
      expect(again.changed).to.equal(false);
    });
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseSynchronizeArgs({ src: 'a' }, loc)).to.throw(InputError, /'dest' is required/);
    expect(() => parseSynchronizeArgs({ src: 'a', dest: 'b', mode: 'both' }, loc)).to.throw(InputError, /mode/);
    expect(() => parseSynchronizeArgs({ src: 'a', dest: 'b', delete: true, recursive: false }, loc)).to.throw(InputError, /delete: yes needs recursive/);
    expect(() => parseSynchronizeArgs({ src: 'a', dest: 'b', dest_port: 70000 }, loc)).to.throw(InputError, /at most 65535/);
    expect(() => synchronizeModule.parse({ src: 'a', dest: 'b', rsync_opt: [] }, loc)).to.throw(InputError, /has no argument 'rsync_opt'/);
  });
});
