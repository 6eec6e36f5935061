// apt_repository plans from canned source files: Ansible's file names, a line counted wherever it is, atomic writes, apt-get update after a change.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseAptRepositoryArgs, planAptRepository, suggestFilename } from '../../../../src/modules/system/apt-repository.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const LAB = 'deb [trusted=yes] file:/opt/runbook-repo ./';
const VENDOR = 'deb [signed-by=/etc/apt/keyrings/vendor.asc] https://apt.example.org/debian bookworm main';

/** The probe's output for source files given as path -> lines. */
function host(files: Record<string, string[]>) {
  const text = Object.entries(files).map(([path, lines]) => [`file\t${path}\t644`, ...lines.map((l) => `line\t${l}`)].join('\n')).join('\n');
  return sections({ sources: `${text}\n` });
}

const plan = (raw: Record<string, unknown>, files: Record<string, string[]>) => planAptRepository(parseAptRepositoryArgs(raw, loc), host(files), true);

describe('modules/system/apt_repository', () => {
  const names: [string, string][] = [
    ['deb http://archive.canonical.com/ubuntu hardy partner', 'archive_canonical_com_ubuntu.list'],
    [VENDOR, 'apt_example_org_debian.list'],
    [LAB, 'file_opt_runbook_repo.list'],
    ['deb https://user:pw@repo.example.org/x stable main', 'repo_example_org_x.list'],
    ['deb-src   http://deb.debian.org/debian   bookworm main', 'deb_debian_org_debian.list'],
  ];
  for (const [repo, file] of names) it(`names the file of '${repo}' as Ansible does: ${file}`, () => expect(suggestFilename(repo)).to.equal(file));

  it('adds a missing line to its own file, mode 0644, then updates the lists', () => {
    const p = plan({ repo: VENDOR }, { '/etc/apt/sources.list': [LAB] });
    expect(p.changes).to.deep.equal([`add '${VENDOR}' to /etc/apt/sources.list.d/apt_example_org_debian.list`]);
    expect(p.steps).to.have.length(2);
    expect(p.steps[0]!.stdin?.toString()).to.equal(`${VENDOR}\n`);
    expect(p.steps[0]!.script).to.contain('dest=/etc/apt/sources.list.d/apt_example_org_debian.list').and.to.contain('chmod 0644');
    expect(p.steps[1]!.script).to.contain('rb_apt -q update');
    expect(p.diffs).to.deep.equal([{ path: '/etc/apt/sources.list.d/apt_example_org_debian.list', before: '', after: `${VENDOR}\n` }]);
    expect(p.provides).to.deep.include({ kind: 'package-lists' });
    expect(p.data).to.deep.include({ repo: VENDOR, state: 'present', sources_added: ['/etc/apt/sources.list.d/apt_example_org_debian.list'] });
  });

  it('changes nothing when the line is in any source file, whitespace aside', () => {
    expect(plan({ repo: LAB }, { '/etc/apt/sources.list': [`deb  [trusted=yes]   file:/opt/runbook-repo ./ # the lab`] }).changes).to.deep.equal([]);
    expect(plan({ repo: VENDOR, filename: 'vendor' }, { '/etc/apt/sources.list.d/other.list': [VENDOR] }).changes).to.deep.equal([]);
  });

  it('enables a commented-out copy where it is, keeping the other lines', () => {
    const p = plan({ repo: VENDOR, update_cache: false }, { '/etc/apt/sources.list': ['# comment', `# ${VENDOR}`, LAB] });
    expect(p.changes).to.deep.equal([`enable '${VENDOR}' in /etc/apt/sources.list`]);
    expect(p.steps).to.have.length(1);
    expect(p.steps[0]!.stdin?.toString()).to.equal(`# comment\n${VENDOR}\n${LAB}\n`);
  });

  it('appends to an existing file named by filename, keeping its mode', () => {
    const p = plan({ repo: VENDOR, filename: 'vendor', mode: '0600', update_cache: false }, { '/etc/apt/sources.list.d/vendor.list': ['deb http://x.example.org/d bookworm main'] });
    expect(p.steps[0]!.stdin?.toString()).to.equal(`deb http://x.example.org/d bookworm main\n${VENDOR}\n`);
    expect(p.steps[0]!.script).to.contain('chmod 644');
  });

  it('removes the line from every file, and a file left empty', () => {
    const p = plan({ repo: VENDOR, state: 'absent' }, { '/etc/apt/sources.list': [LAB, VENDOR], '/etc/apt/sources.list.d/vendor.list': [`# ${VENDOR}`] });
    expect(p.changes).to.deep.equal([`remove '${VENDOR}' from /etc/apt/sources.list`, `remove /etc/apt/sources.list.d/vendor.list (its only line was '${VENDOR}')`]);
    expect(p.steps[0]!.stdin?.toString()).to.equal(`${LAB}\n`);
    expect(p.steps[1]!.script).to.equal('rm -f -- /etc/apt/sources.list.d/vendor.list');
    expect(p.steps[2]!.script).to.contain('apt-get');
  });

  it('removes nothing that is not there', () => {
    expect(plan({ repo: VENDOR, state: 'absent' }, { '/etc/apt/sources.list': [LAB] })).to.deep.include({ changes: [], steps: [] });
  });

  it('retries apt-get update as update_cache_retries says', () => {
    const p = plan({ repo: VENDOR, update_cache_retries: 3, update_cache_retry_max_delay: 4 }, {});
    expect(p.steps[1]!.script).to.contain('[ "$rb_try" -lt 3 ]').and.to.contain('[ "$rb_delay" -le 4 ] || rb_delay=4');
    const failed = p.afterApply!([{ stdout: 'dest_file=/x\n', stderr: '', code: 0 }, { stdout: '', stderr: 'E: The repository is not signed.\n', code: 1 }]);
    expect(failed.failed).to.match(/the source was added, but apt-get update failed:\nE: The repository is not signed/);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseAptRepositoryArgs({ repo: 'ppa:deadsnakes/ppa' }, loc)).to.throw(InputError, /PPA repositories .* are not supported: they are Launchpad's, for Ubuntu only/);
    expect(() => parseAptRepositoryArgs({ repo: 'http://example.org bookworm main' }, loc)).to.throw(InputError, /is not a source line/);
    expect(() => parseAptRepositoryArgs({ repo: `# ${VENDOR}` }, loc)).to.throw(InputError, /is not a source line/);
    expect(() => parseAptRepositoryArgs({ repo: VENDOR, filename: '../x' }, loc)).to.throw(InputError, /plain file name/);
    expect(() => parseAptRepositoryArgs({ repo: VENDOR, update_cach: true }, loc)).to.throw(InputError, /has no argument 'update_cach'/);
  });
});
