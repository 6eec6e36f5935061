// --check tells the truth about the real run: each case runs with --check on a fresh lab host,
// then for real on another fresh host. A case that fails for real fails in --check at the same
// task; a case that succeeds for real is green in --check and leaves the host as it was.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, type CliRun } from './support/runbook.js';

interface Case {
  name: string;
  tasks: Record<string, unknown>[];
  /** The task the real run fails at; none: the real run succeeds. */
  failsAt?: string;
  /** Per-task status expected in --check (task name -> status), beyond "not failed". */
  checkStatus?: Record<string, string>;
  /** Per-task status expected in the real run. */
  realStatus?: Record<string, string>;
  /** Shell test that holds on a fresh host and must still hold after --check (nothing created). */
  untouched: string;
}

const CASES: Case[] = [
  {
    name: 'a package that does not exist, after an unrelated change',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/x', state: 'directory' } },
      { name: 'install nosuch', apt: { name: 'nosuch-package-xyz' } },
    ],
    failsAt: 'install nosuch',
    untouched: '[ ! -e /tmp/x ]',
  },
  {
    name: 'a unit that does not exist, with no package forecast',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/x', state: 'directory' } },
      { name: 'start nosuch', service: { name: 'nosuch-unit-xyz', state: 'started' } },
    ],
    failsAt: 'start nosuch',
    untouched: '[ ! -e /tmp/x ]',
  },
  {
    name: 'an unknown owner, with no user forecast',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/x', state: 'directory' } },
      { name: 'owned file', copy: { content: 'a\n', dest: '/tmp/x/owned', owner: 'nosuchuser' } },
    ],
    failsAt: 'owned file',
    untouched: '[ ! -e /tmp/x ]',
  },
  {
    name: 'a link to a missing src nobody creates',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/x', state: 'directory' } },
      { name: 'link it', file: { src: '/tmp/nosuch-src', dest: '/tmp/x/link', state: 'link' } },
    ],
    failsAt: 'link it',
    untouched: '[ ! -e /tmp/x ]',
  },
  {
    name: 'create: no on a missing file',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/x', state: 'directory' } },
      { name: 'edit it', lineinfile: { path: '/tmp/x/missing.conf', line: 'a=1', create: false } },
    ],
    failsAt: 'edit it',
    untouched: '[ ! -e /tmp/x ]',
  },
  {
    name: 'files, links and edits that depend on what earlier tasks create',
    tasks: [
      { name: 'make a directory', file: { path: '/tmp/app', state: 'directory' } },
      { name: 'write into it', copy: { content: 'a=0\n', dest: '/tmp/app/current.conf' } },
      { name: 'link to it', file: { src: '/tmp/app/current.conf', dest: '/tmp/app.conf', state: 'link' } },
      { name: 'edit it', lineinfile: { path: '/tmp/app/current.conf', line: 'a=1', regexp: '^a=', create: false } },
      { name: 'run in it', command: { cmd: 'cat current.conf', chdir: '/tmp/app' }, register: 'r' },
      { name: 'use the output', copy: { content: 'seen: {{ r.stdout }}\n', dest: '/tmp/app/seen' } },
      { name: 'run unless done', command: { cmd: 'touch /tmp/app/done', creates: '/tmp/app/done' } },
    ],
    checkStatus: { 'write into it': 'changed', 'link to it': 'changed', 'edit it': 'changed', 'run in it': 'skipped', 'use the output': 'changed', 'run unless done': 'changed' },
    untouched: '[ ! -e /tmp/app ] && [ ! -e /tmp/app.conf ]',
  },
  {
    name: 'a package, then its config directory, its user, its unit',
    tasks: [
      { name: 'install redis', apt: { name: 'redis-server' } },
      { name: 'extra config', copy: { content: '# extra\n', dest: '/etc/redis/extra.conf', owner: 'redis', group: 'redis', mode: '0640' } },
      { name: 'edit its config', lineinfile: { path: '/etc/redis/redis.conf', line: '# managed', create: false } },
      { name: 'redis running', service: { name: 'redis-server', state: 'started', enabled: true } },
    ],
    checkStatus: { 'install redis': 'changed', 'extra config': 'changed', 'edit its config': 'changed', 'redis running': 'changed' },
    untouched: '[ ! -e /etc/redis ] && ! id redis >/dev/null 2>&1',
  },
  {
    // ~ and $HOME are the remote user's, expanded on the host (root's /root/.profile exists on a fresh host).
    name: 'creates: ~/.profile and $HOME: expanded on the host as Ansible does',
    tasks: [
      { name: 'unless profile', command: { cmd: 'touch /tmp/profile-ran', creates: '~/.profile' } },
      { name: 'make in home', command: { cmd: 'touch $HOME/rb-made', creates: '~/rb-made' } },
      { name: 'make in home again', command: { cmd: 'touch ${HOME}/rb-made', creates: '$HOME/rb-made' } },
    ],
    checkStatus: { 'unless profile': 'ok', 'make in home': 'changed' },
    realStatus: { 'unless profile': 'ok', 'make in home': 'changed', 'make in home again': 'ok' },
    untouched: '[ -e /root/.profile ] && [ ! -e /tmp/profile-ran ] && [ ! -e /root/rb-made ]',
  },
];

function statuses(run: CliRun): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of run.events) if (e.type === 'host_result') out.set(e.task, e.status);
  return out;
}

describe('--check forecasts agree with the real run', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'fc1', groups: ['fc'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-check-forecast-'));
    const host = lab.hosts[0]!;
    writeFileSync(join(work, 'inventory.yml'), stringify({
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        hosts: { fc1: { ansible_host: host.address } },
      },
    }));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const playbook = join(work, `case${i}.yml`);
      writeFileSync(playbook, stringify([{ hosts: 'all', gather_facts: false, tasks: c.tasks }]));
      const apply = (...args: string[]) => runbook(['apply', playbook, '-i', join(work, 'inventory.yml'), '--json', ...args]);

      await resetHost(lab, 'fc1');
      expect((await onHost(lab, 'fc1', c.untouched)).code, 'a fresh host').to.equal(0);
      const check = await apply('--check');
      const checked = statuses(check);
      expect((await onHost(lab, 'fc1', c.untouched)).code, '--check changed nothing').to.equal(0);

      await resetHost(lab, 'fc1');
      const real = await apply();
      const ran = statuses(real);

      if (c.failsAt) {
        expect(real.code, describeRun(real)).to.equal(2);
        expect(ran.get(c.failsAt), 'the real run fails there').to.equal('failed');
        expect(check.code, `--check must fail too\n${describeRun(check)}\n${check.stdout}`).to.equal(2);
        expect(checked.get(c.failsAt), '--check fails at the same task').to.equal('failed');
      } else {
        expect(real.code, describeRun(real)).to.equal(0);
        expect(check.code, describeRun(check)).to.equal(0);
        for (const [task, status] of Object.entries(c.checkStatus ?? {})) expect(checked.get(task), `--check: ${task}`).to.equal(status);
        for (const [task, status] of Object.entries(c.realStatus ?? {})) expect(ran.get(task), `real run: ${task}`).to.equal(status);
      }
    });
  });
});
