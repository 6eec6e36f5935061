// A hostile host on real lab hosts: its /etc/os-release holds a template. Gathered facts are data, so
// the template'd file gets that text literally, never a secret meant for the play (an -e value here),
// and a nested range planted the same way does not keep the controller busy.
// A host printing a condition under `that: "{{ out.stdout }}"` gets a refusal, never an evaluation.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook } from './support/runbook.js';

const SECRET = 'Sup3r-S3cret-db-pw';
const BOMB = '{{#each (range 100000)}}{{#each (range 100000)}}x{{/each}}{{/each}}';

/** Replaces /etc/os-release (a link to /usr/lib/os-release on Debian) by a file whose VERSION_CODENAME is `codename`. */
function plant(codename: string): string {
  return [
    'set -e',
    "sed '/^VERSION_CODENAME=/d' /usr/lib/os-release > /tmp/os-release.new",
    `printf '%s\\n' ${JSON.stringify(`VERSION_CODENAME='${codename}'`)} >> /tmp/os-release.new`,
    'rm -f /etc/os-release && mv /tmp/os-release.new /etc/os-release',
  ].join('\n');
}

describe('data from a hostile host on real hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'hostile1', groups: ['app'] }, { name: 'hostile2', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-host-data-'));
    const hosts: Record<string, unknown> = {};
    for (const h of lab.hosts) hosts[h.name] = { ansible_host: h.address };
    writeFileSync(join(work, 'inventory.yml'), stringify({ all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile }, hosts } }));
    writeFileSync(join(work, 'release.conf.hbs'), 'release={{ ansible_distribution_release }}\ncodename={{ ansible_facts.distribution_release }}\ndb={{ db_host }}\n');
    writeFileSync(
      join(work, 'site.yml'),
      [
        '- hosts: all',
        '  vars:',
        '    db_host: db.internal',
        '  tasks:',
        '    - name: write the release file',
        '      template: { src: release.conf.hbs, dest: /etc/release.conf, mode: "0644" }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(work, 'cond.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - command: cat /etc/hostile-condition',
        '      register: said',
        '      changed_when: false',
        '    - name: condition from the host',
        '      assert: { that: "{{ said.stdout }}" }',
        '      ignore_errors: true',
        '',
      ].join('\n'),
    );
    for (const h of ['hostile1', 'hostile2']) {
      const wrote = await onHost(lab, h, "printf '%s\\n' 'some_secret is defined' > /etc/hostile-condition");
      expect(wrote.code, wrote.stderr).to.equal(0);
    }
    const planted = await onHost(lab, 'hostile1', plant('{{ some_secret }}'));
    expect(planted.code, planted.stderr).to.equal(0);
    const bomb = await onHost(lab, 'hostile2', plant(BOMB));
    expect(bomb.code, bomb.stderr).to.equal(0);
  });

  after(() => {
    // The lab is this file's own (no other test asks for these host names); the run's teardown removes it.
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a template using the planted codename writes the literal {{ some_secret }}, never the -e secret; the nested range stays text', async () => {
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', join(work, 'inventory.yml'), '--json', '-e', `some_secret=${SECRET}`]);
    expect(run.code, describeRun(run)).to.equal(0);
    const one = await onHost(lab, 'hostile1', 'cat /etc/release.conf');
    expect(one.stdout).to.equal('release={{ some_secret }}\ncodename={{ some_secret }}\ndb=db.internal\n');
    const two = await onHost(lab, 'hostile2', 'cat /etc/release.conf');
    expect(two.stdout).to.equal(`release=${BOMB}\ncodename=${BOMB}\ndb=db.internal\n`);
    expect(run.stdout + run.stderr).not.to.include(SECRET);
  });

  it('a condition the host printed is refused, not evaluated (evaluated, it would tell the host that some_secret exists)', async () => {
    const run = await runbook(['apply', join(work, 'cond.yml'), '-i', join(work, 'inventory.yml'), '--json', '-e', `some_secret=${SECRET}`]);
    expect(run.code, describeRun(run)).to.equal(0);
    const refusals = run.stdout.match(/came from a host/g) ?? [];
    expect(refusals.length, describeRun(run)).to.be.at.least(2);
    expect(run.stdout + run.stderr).not.to.include(SECRET);
  });
});
