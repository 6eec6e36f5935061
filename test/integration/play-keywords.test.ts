// Play and task keywords from issues 19 and 14 on real lab hosts (one lab for the whole file):
// environment merged over play, block and task, through sudo, its values never on a command line;
// vars_files naming the hosts' gathered facts.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/executor/events.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, type CliRun } from './support/runbook.js';

type HostResult = Extract<RunEvent, { type: 'host_result' }>;

/** The result lines of one task on one host, in order (one per loop item). */
export function results(run: CliRun, task: string, host: string): HostResult[] {
  return run.events.filter((e): e is HostResult => e.type === 'host_result' && e.task === task && e.host === host);
}

describe('play and task keywords on lab hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  const HOSTS = ['kw1', 'kw2'];

  before(async function () {
    this.timeout(1_800_000);
    lab = await getLab({ hosts: HOSTS.map((name) => ({ name, groups: ['kw'] })) });
    work = mkdtempSync(join(tmpdir(), 'runbook-keywords-'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Writes `files` into the work folder and applies `playbook` to the lab. */
  function apply(files: Record<string, string>, playbook: string, ...args: string[]): Promise<CliRun> {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text, { mode: 0o600 });
    return runbook(['apply', join(work, playbook), '-i', lab.inventoryFile, '--json', ...args]);
  }

  describe('environment', () => {
    const secret = `env-secret-${process.pid}-${Date.now()}`;
    const files = {
      'secret.yml': `secret: ${secret}\n`,
      'env.yml': `
- hosts: kw
  gather_facts: false
  vars_files: [secret.yml]
  environment: { RB_PLAY: play, RB_SECRET: "{{ secret }}", RB_WHO: "{{ inventory_hostname }}" }
  tasks:
    # ps, taken while this very task runs: its own command line, sudo's and sshd's are in it.
    - name: ps while the task runs
      shell: |
        d=$(mktemp -d); ps -ww -eo args= > "$d/ps"; printenv RB_SECRET > "$d/pat"
        grep -c -F -f "$d/pat" "$d/ps" || true
        grep -c 'runbook-[0-9a-f]' "$d/ps" || true
        rm -rf "$d"
    - block:
        - name: through sudo
          shell: printf '%s|%s|%s|%s' "$(id -un)" "$RB_PLAY" "$RB_BLOCK" "$RB_TASK"
          environment: { RB_TASK: "two\\nlines" }
      become: true
      become_user: deploy
      environment: { RB_BLOCK: block, RB_PLAY: block-wins }
    - name: command expands the task environment in its argv, as Ansible's run_command does
      command: echo $RB_WHO
    - name: a module with stdin of its own
      copy: { content: "from {{ inventory_hostname }}\\n", dest: /var/tmp/kw-env-copy }
`,
    };

    it('merges play, block and task on the host, through sudo, and no ps line holds a value', async () => {
      const run = await apply(files, 'env.yml');
      expect(run.code, describeRun(run)).to.equal(0);
      for (const host of HOSTS) {
        const [matches, markers] = results(run, 'ps while the task runs', host)[0]!.stdout!.trim().split('\n');
        expect(Number(markers), `${host}: ps saw runbook's command lines`).to.be.greaterThan(0);
        expect(matches, `${host}: ps lines holding the secret`).to.equal('0');
        expect(results(run, 'through sudo', host)[0]!.stdout).to.equal('deploy|block-wins|block|two\nlines');
        expect(results(run, 'command expands the task environment in its argv, as Ansible\'s run_command does', host)[0]!.stdout).to.equal(`${host}\n`);
        expect((await onHost(lab, host, 'cat /var/tmp/kw-env-copy')).stdout).to.equal(`from ${host}\n`);
      }
      expect(run.stdout + run.stderr).not.to.include(secret);
    });
  });

  describe('until and loop_control', () => {
    const files = {
      'retry.yml': `
- hosts: kw
  gather_facts: false
  tasks:
    - name: fresh counter
      file: { path: /var/tmp/kw-count, state: absent }
    - name: count to two
      shell: n=$(cat /var/tmp/kw-count 2>/dev/null || echo 0); echo $((n + 1)) > /var/tmp/kw-count; echo $n
      register: r
      until: r.stdout == '2'
      retries: 4
      delay: 0
    - name: attempts on the host
      copy: { content: "{{ r.attempts }}\\n", dest: /var/tmp/kw-attempts }
    - name: where each item stands
      copy: { content: "{{ ansible_loop.index }}/{{ ansible_loop.length }} {{ ansible_loop.last }} {{ i }}\\n", dest: "/var/tmp/kw-item-{{ item }}" }
      loop: [a, b]
      loop_control: { extended: true, index_var: i, pause: 0.2, label: "item {{ item }}" }
`,
    };

    it('retries on the host until the condition holds, registers attempts, and gives ansible_loop to each item', async () => {
      const run = await apply(files, 'retry.yml');
      expect(run.code, describeRun(run)).to.equal(0);
      for (const host of HOSTS) {
        expect((await onHost(lab, host, 'cat /var/tmp/kw-attempts /var/tmp/kw-item-a /var/tmp/kw-item-b')).stdout).to.match(/^3\n1\/2 false 0\n2\/2 true 1\n$/i); // Handlebars prints true, Jinja2 True
        expect(run.events.filter((e) => e.type === 'host_retry' && e.host === host).length).to.equal(2);
        expect(results(run, 'where each item stands', host).map((e) => e.item)).to.deep.equal(['item a', 'item b']);
      }
    });
  });

  describe('connection: local', () => {
    it("a play's tasks run on the controller, a task's connection: ssh in it reaches the host", async () => {
      const files = {
        'local.yml': `
- hosts: kw
  gather_facts: false
  connection: local
  tasks:
    - name: on the controller
      copy: { content: "{{ inventory_hostname }}\\n", dest: "${work}/local-{{ inventory_hostname }}" }
    - name: on the host
      copy: { content: "remote\\n", dest: "${work}/local-{{ inventory_hostname }}" }
      connection: ssh
`,
      };
      // The same path on the host: it must exist there afterwards only through the ssh task.
      for (const host of HOSTS) await onHost(lab, host, `mkdir -p ${work}; rm -f ${work}/local-${host}`);
      const run = await apply(files, 'local.yml');
      expect(run.code, describeRun(run)).to.equal(0);
      for (const host of HOSTS) {
        expect(readFileSync(join(work, `local-${host}`), 'utf8')).to.equal(`${host}\n`);
        expect((await onHost(lab, host, `cat ${work}/local-${host}`)).stdout).to.equal('remote\n');
      }
    });
  });

  describe('lookup loops', () => {
    it('with_sequence and with_fileglob copy controller files to the host; a re-run changes nothing', async () => {
      mkdirSync(join(work, 'files/conf.d'), { recursive: true });
      for (const n of ['a', 'b']) writeFileSync(join(work, `files/conf.d/${n}.conf`), `${n}\n`);
      writeFileSync(join(work, 'files/conf.d/skip.txt'), 'no\n');
      const files = {
        'lookups.yml': `
- hosts: kw
  gather_facts: false
  tasks:
    - name: folders
      file: { path: "/var/tmp/kw-seq/{{ item }}", state: directory }
      with_sequence: start=1 end=2 format=d%02d
    - name: configs
      copy: { src: "{{ item }}", dest: /var/tmp/kw-seq/d01/ }
      with_fileglob: conf.d/*.conf
`,
      };
      for (const host of HOSTS) await onHost(lab, host, 'rm -rf /var/tmp/kw-seq');
      const first = await apply(files, 'lookups.yml');
      expect(first.code, describeRun(first)).to.equal(0);
      const again = await apply(files, 'lookups.yml');
      expect(again.code, describeRun(again)).to.equal(0);
      for (const host of HOSTS) {
        expect((await onHost(lab, host, 'cd /var/tmp/kw-seq && find . | sort')).stdout).to.equal('.\n./d01\n./d01/a.conf\n./d01/b.conf\n./d02\n');
        expect(again.recap[host]!.changed).to.equal(0);
      }
    });
  });

  describe('vars_files naming host facts', () => {
    it("each host reads the first file its gathered facts name, from the controller; a re-run changes nothing", async () => {
      mkdirSync(join(work, 'vars'), { recursive: true });
      const files = {
        'vars/Debian.yml': 'family_line: "family {{ ansible_os_family }}"\n',
        'vars/Debian-kw1.yml': 'which: kw1-specific\n',
        'vars/defaults.yml': 'which: defaults\n',
        'facts-vars.yml': `
- hosts: kw
  vars_files:
    - "vars/{{ ansible_os_family }}.yml"
    - ["vars/{{ ansible_distribution }}-{{ inventory_hostname }}.yml", vars/defaults.yml]
  tasks:
    - name: what each host read
      copy: { content: "{{ family_line }}/{{ which }}\\n", dest: /var/tmp/kw-vars-files }
`,
      };
      for (const host of HOSTS) await onHost(lab, host, 'rm -f /var/tmp/kw-vars-files');
      const first = await apply(files, 'facts-vars.yml');
      expect(first.code, describeRun(first)).to.equal(0);
      expect((await onHost(lab, 'kw1', 'cat /var/tmp/kw-vars-files')).stdout).to.equal('family Debian/kw1-specific\n');
      expect((await onHost(lab, 'kw2', 'cat /var/tmp/kw-vars-files')).stdout).to.equal('family Debian/defaults\n');
      const again = await apply(files, 'facts-vars.yml');
      expect(again.code, describeRun(again)).to.equal(0);
      for (const host of HOSTS) expect(again.recap[host]!.changed).to.equal(0);
    });
  });
});
