// Package modules on one lab host (package, dpkg_selections, debconf, apt_key, apt_repository, pip):
// --check on a bare host forecasts and changes nothing, the real run converges (apt-get update sees
// a local file: repository added by apt_repository, a virtualenv gets a wheel served from a local
// directory: the host has no network), a second run reports changed=0, and state: absent undoes it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { KEY_ONE, KEY_ONE_FPR } from '../unit/modules/system/fixtures/pgp-keys.js';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const REPO_LINE = 'deb [signed-by=/etc/apt/keyrings/rbtest.gpg trusted=yes] file:/srv/rbrepo ./';
const VENV = '/opt/rbvenv';

const TASKS = [
  { name: 'python3-venv, with apt found by probing', package: { name: 'python3-venv', state: 'present' } },
  { name: 'held at its version', dpkg_selections: { name: 'python3-venv', selection: 'hold' } },
  { name: 'a debconf answer', debconf: { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'Europe' } },
  { name: 'a preseeded password', debconf: { name: 'rbtest', question: 'rbtest/secret', vtype: 'password', value: 's3cret-pw' } },
  { name: 'the repository key, for signed-by', apt_key: { data: KEY_ONE, keyring: '/etc/apt/keyrings/rbtest.gpg' } },
  { name: 'a local repository', apt_repository: { repo: REPO_LINE, filename: 'rbrepo' } },
  { name: 'a wheel into a virtualenv', pip: { name: 'rbdemo', version: '0.1', virtualenv: VENV, extra_args: '--no-index --find-links /srv/wheels' } },
];

const UNDO = [
  { name: 'no hold', dpkg_selections: { name: 'python3-venv', selection: 'install' } },
  { name: 'key gone', apt_key: { id: KEY_ONE_FPR, keyring: '/etc/apt/keyrings/rbtest.gpg', state: 'absent' } },
  { name: 'repository gone', apt_repository: { repo: REPO_LINE, state: 'absent' } },
  { name: 'wheel gone', pip: { name: 'rbdemo', virtualenv: VENV, state: 'absent' } },
];

/** What the tasks change, in one line each. */
const STATE = [
  `printf 'venv=%s\\n' "$(dpkg-query -W -f='\${Status}' python3-venv 2>/dev/null)"`,
  `printf 'sel=%s\\n' "$(dpkg --get-selections python3-venv 2>/dev/null | awk '{print $2}')"`,
  `printf 'tz=%s\\n' "$(debconf-show tzdata | grep 'tzdata/Areas:')"`,
  `printf 'sources=%s\\n' "$(ls /etc/apt/sources.list.d)"`,
  `printf 'keyrings=%s\\n' "$(ls /etc/apt/keyrings)"`,
  `printf 'rbvenv=%s\\n' "$(ls ${VENV} 2>&1 | head -n 1)"`,
].join('\n');

/** A wheel of a one-module package, built on the controller with python3's zipfile (no setuptools needed). */
function buildWheel(dir: string): string {
  const script = `
import base64, hashlib, sys, zipfile
files = {
  'rbdemo/__init__.py': 'VERSION = "0.1"\\n',
  'rbdemo-0.1.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: rbdemo\\nVersion: 0.1\\n',
  'rbdemo-0.1.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: runbook-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = ''.join('%s,sha256=%s,%d\\n' % (n, base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b'=').decode(), len(c)) for n, c in files.items())
files['rbdemo-0.1.dist-info/RECORD'] = record + 'rbdemo-0.1.dist-info/RECORD,,\\n'
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for n, c in files.items(): z.writestr(n, c)
`;
  const path = join(dir, 'rbdemo-0.1-py3-none-any.whl');
  const r = spawnSync('python3', ['-c', script, path]);
  if (r.status !== 0) throw new Error(`building the test wheel failed: ${r.stderr.toString()}`);
  return path;
}

/** A flat apt repository with one tiny package, built on the host with dpkg-deb (the host has no apt-ftparchive). */
const MAKE_REPO = `set -e
d=$(mktemp -d); chmod 755 "$d"; mkdir -p "$d/DEBIAN" "$d/usr/share/doc/rbhello"; chmod 755 "$d/DEBIAN"
printf 'Package: rbhello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: runbook tests <t@example.invalid>\\nDescription: a test package\\n' > "$d/DEBIAN/control"
mkdir -p /srv/rbrepo; dpkg-deb -b "$d" /srv/rbrepo/rbhello_1.0_all.deb >/dev/null; cd /srv/rbrepo
{ cat "$d/DEBIAN/control"; printf 'Filename: ./rbhello_1.0_all.deb\\nSize: %s\\nSHA256: %s\\n\\n' "$(stat -c %s rbhello_1.0_all.deb)" "$(sha256sum rbhello_1.0_all.deb | cut -d' ' -f1)"; } > Packages
rm -rf "$d"`;

describe('package modules on a lab host (package, dpkg_selections, debconf, apt_key, apt_repository, pip)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let play: string;

  const playbook = (name: string, tasks: unknown[]) => {
    const path = join(work, `${name}.yml`);
    writeFileSync(path, stringify([{ name, hosts: 'all', gather_facts: false, tasks }]));
    return path;
  };

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'pkg1', prefix: 'packages' }));
    play = playbook('site', TASKS);
  });

  after(() => cleanup());

  it('--check on a bare host forecasts every change and changes nothing', async () => {
    const before = (await onHost(lab, 'pkg1', STATE)).stdout;
    const run = await runbook(['apply', play, '-i', inventory, '--check', '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(TASKS.length);
    expect((await onHost(lab, 'pkg1', STATE)).stdout).to.equal(before);
    expect(before).to.match(/^venv=\nsel=\n/);
  });

  it('converges (apt-get update sees the new source, the virtualenv has the wheel), then a second run reports changed=0', async () => {
    const wheel = readFileSync(buildWheel(work)).toString('base64');
    const setup = await onHost(lab, 'pkg1', `${MAKE_REPO}\nmkdir -p /srv/wheels && base64 -d > /srv/wheels/rbdemo-0.1-py3-none-any.whl`, { input: wheel });
    expect(setup.code, setup.stderr).to.equal(0);
    const first = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(TASKS.length);
    const state = await onHost(lab, 'pkg1', [
      STATE,
      `apt-cache policy rbhello | grep Candidate`,
      `${VENV}/bin/python -c 'import rbdemo; print("rbdemo=" + rbdemo.VERSION)'`,
      'cat /etc/apt/sources.list.d/rbrepo.list',
      `grep -A2 'Name: rbtest/secret' /var/cache/debconf/passwords.dat | grep -c 's3cret-pw'`,
    ].join('\n'));
    expect(state.stdout).to.contain('venv=hold ok installed\nsel=hold\ntz=* tzdata/Areas: Europe\nsources=rbrepo.list\nkeyrings=rbtest.gpg\n');
    expect(state.stdout).to.contain('Candidate: 1.0').and.to.contain('rbdemo=0.1').and.to.contain(`${REPO_LINE}\n`);
    expect(state.stdout).to.match(/\n1\n$/);
    // The password never shows in runbook's output.
    expect(first.stdout).not.to.contain('s3cret-pw');
    const again = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('undoes it with state: absent (and selection install), then changed=0', async () => {
    const undo = playbook('undo', UNDO);
    const run = await runbook(['apply', undo, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(UNDO.length);
    const state = (await onHost(lab, 'pkg1', `${STATE}\n${VENV}/bin/pip list --format=freeze | grep -c rbdemo; apt-cache policy rbhello | grep -c Candidate`)).stdout;
    expect(state).to.contain('sel=install\n').and.to.contain('sources=\nkeyrings=\n');
    expect(state).to.match(/\n0\n0\n$/);
    const again = await runbook(['apply', undo, '-i', inventory, '--json']);
    expect(totalChanged(again), describeRun(again)).to.equal(0);
  });
});
