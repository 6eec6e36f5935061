// pyinfra-style cases: arguments and a canned probe output in, the exact plan out.
import { HOST_PATH_FUNCTIONS } from '../../../../src/modules/lib/host-path.js';
import { expect } from 'chai';
import { commandModule } from '../../../../src/modules/generic/command.js';
import { fileModule } from '../../../../src/modules/generic/file.js';
import { iniFileModule } from '../../../../src/modules/generic/ini_file.js';
import { lineinfileModule } from '../../../../src/modules/generic/lineinfile.js';
import type { HostThing, RemoteModule } from '../../../../src/modules/types.js';
import { fakeCtx, loc } from '../lib/local.js';

/** What the probe would print on a host, section by section. */
function probeOutput(sections: Record<string, string>): { stdout: string; stderr: string; code: number } {
  const body = Object.entries(sections).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Case {
  name: string;
  module: RemoteModule;
  args: Record<string, unknown>;
  probe: Record<string, string>;
  changes: string[];
  scripts?: string[];
  diff?: { before: string; after: string };
  failure?: { msg: string; needs?: HostThing[] };
}

const cases: Case[] = [
  {
    name: 'file absent removes an existing directory',
    module: fileModule,
    args: { path: '/srv/old', state: 'absent' },
    probe: { path: 'stat=directory|755|0|0|root|root|4096|1700000000\nparent=dir\n', accounts: '' },
    changes: ['remove /srv/old'],
    scripts: [`rb_locate /srv/old 0 || { printf '%s\\n' "\${rb_why:-cannot enter the directory of /srv/old}" >&2; exit 1; }\nrm -rf -- "$rb_name"`],
  },
  {
    name: 'file directory with owner creates and chowns',
    module: fileModule,
    args: { path: '/var/lib/app', state: 'directory', owner: 'app', group: 'app', mode: '0750' },
    probe: { path: 'parent=dir\n', accounts: 'uid=999\ngid=999\n' },
    changes: ['create directory /var/lib/app'],
    scripts: [`rb_on_mkdir() { chown app:app . && chmod 00750 .; }\nrb_mkdirs=1\nrb_enter /var/lib/app || { printf '%s\\n' "\${rb_why:-cannot create /var/lib/app}" >&2; exit 1; }\nset -e\nchown app:app .\nchmod 00750 .`],
  },
  {
    name: 'file directory with an owner that a package would create needs that user',
    module: fileModule,
    args: { path: '/var/lib/redis', state: 'directory', owner: 'redis' },
    probe: { path: 'parent=dir\n', accounts: 'uid=\n' },
    changes: [],
    failure: { msg: "user 'redis' does not exist on the host", needs: [{ kind: 'user', name: 'redis' }] },
  },
  {
    name: 'lineinfile replaces the matched line and shows the diff',
    module: lineinfileModule,
    args: { path: '/etc/redis/redis.conf', regexp: '^bind ', line: 'bind 10.0.0.5' },
    probe: {
      file: 'stat=regular file|640|101|102|redis|redis|31|1700000000\nsha1=x\nparent=dir\n',
      'file.content': `read\n${b64('port 6379\nbind 127.0.0.1 -::1\n')}\n`,
      accounts: '',
    },
    changes: ['/etc/redis/redis.conf: line replaced'],
    diff: { before: 'port 6379\nbind 127.0.0.1 -::1\n', after: 'port 6379\nbind 10.0.0.5\n' },
  },
  {
    name: 'ini_file on a php.ini that no package has installed yet needs that file',
    module: iniFileModule,
    args: { path: '/etc/php/8.2/fpm/php.ini', section: 'Session', option: 'session.save_handler', value: 'redis', create: false },
    probe: { file: 'parent=missing\n', 'file.content': '', accounts: '' },
    changes: [],
    failure: { msg: 'Destination /etc/php/8.2/fpm/php.ini does not exist !', needs: [{ kind: 'path', path: '/etc/php/8.2/fpm/php.ini' }] },
  },
  {
    name: 'command with creates that exists does nothing',
    module: commandModule,
    args: { cmd: 'creates=/etc/ssl/done /usr/bin/make-cert' },
    probe: { paths: 'creates=1\n' },
    changes: [],
  },
  {
    name: 'command runs the quoted argv with stdin closed',
    module: commandModule,
    args: { cmd: `/usr/bin/redis-cli -h 10.0.0.5 "config get" '*'` },
    probe: {},
    changes: [`run: /usr/bin/redis-cli -h 10.0.0.5 "config get" '*'`],
    scripts: [`exec /usr/bin/redis-cli -h 10.0.0.5 'config get' '*' </dev/null`],
  },
];

describe('modules/generic canned probe cases', () => {
  for (const c of cases) {
    it(c.name, () => {
      const args = c.module.parse(c.args, loc);
      const plan = c.module.plan(args, probeOutput(c.probe), fakeCtx());
      expect(plan.changes).to.deep.equal(c.changes);
      if (c.failure) expect(plan.failure).to.deep.equal(c.failure);
      else expect(plan.failure).to.equal(undefined);
      // The shared path functions (host-path.ts) are tested on their own; here, what follows them.
      if (c.scripts) expect(plan.steps.map((s) => s.script.replace(`${HOST_PATH_FUNCTIONS}\n`, ''))).to.deep.equal(c.scripts);
      if (c.diff) expect(plan.diffs).to.deep.equal([{ path: String(c.args.path), ...c.diff }]);
      if (c.changes.length === 0) expect(plan.steps).to.deep.equal([]);
    });
  }
});
