// Role installs from real local sources made here: a git repository with a branch, a tag and
// commits, a tarball, a folder. Checks pinning, the marker, idempotence, --force and errors.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { rolesCommand } from '../../../src/cli/roles.js';
import { installRoles, readMarker } from '../../../src/galaxy/install.js';
import { loadRequirements } from '../../../src/galaxy/requirements.js';
import { ROOT } from '../schema/support.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
}

function writeRole(dir: string, marker: string): void {
  mkdirSync(join(dir, 'tasks'), { recursive: true });
  writeFileSync(join(dir, 'tasks', 'main.yml'), `- name: ${marker}\n  debug: { msg: ${marker} }\n`);
}

describe('roles install (requirements.yml)', () => {
  let dir: string;
  let repo: string;
  let firstSha: string;
  let rolesDir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-galaxy-'));
    repo = join(dir, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeRole(repo, 'one');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    firstSha = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'tag', 'v1.0');
    writeRole(repo, 'two');
    git(repo, 'commit', '-q', '-am', 'two');
    git(repo, 'branch', 'stable');
    writeRole(repo, 'three');
    git(repo, 'commit', '-q', '-am', 'three');
    rolesDir = join(dir, 'roles');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tasks = (role: string): string => readFileSync(join(rolesDir, role, 'tasks', 'main.yml'), 'utf8');
  const reqFile = (text: string): string => {
    const file = join(dir, 'requirements.yml');
    writeFileSync(file, text);
    return file;
  };

  it('checks out a tag, a branch, a commit and the default branch of a git repository', async () => {
    const file = reqFile([
      `- { src: ${repo}, scm: git, version: v1.0, name: tagged }`,
      `- { src: ${repo}, scm: git, version: stable, name: branch }`,
      `- { src: ${repo}, scm: git, version: ${firstSha}, name: commit }`,
      `- { src: 'git+file://${repo}', name: head }`,
    ].join('\n'));
    const results = await installRoles(loadRequirements(file, dir), rolesDir);
    expect(results.map((r) => r.status)).to.deep.equal(['installed', 'installed', 'installed', 'installed']);
    expect(tasks('tagged')).to.contain('one');
    expect(tasks('branch')).to.contain('two');
    expect(tasks('commit')).to.contain('one');
    expect(tasks('head')).to.contain('three');
    expect(existsSync(join(rolesDir, 'tagged', '.git'))).to.equal(false);
    expect(readMarker(join(rolesDir, 'tagged'))).to.include({ src: repo, version: 'v1.0' });
    expect(readdirSync(rolesDir).sort()).to.deep.equal(['branch', 'commit', 'head', 'tagged']);
  });

  it('installs from a tarball and a folder, with the roles: form, and reports a re-run unchanged', async () => {
    const staging = join(dir, 'staging');
    writeRole(join(staging, 'packed-1.2'), 'packed');
    const tarball = join(dir, 'packed-1.2.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', staging, 'packed-1.2']);
    const folder = join(dir, 'plain');
    writeRole(folder, 'plain');
    const file = reqFile(`roles:\n  - src: file://${tarball}\n    name: packed\n    version: '1.2'\n  - src: ./plain\n`);
    const out: string[] = [];
    await rolesCommand('install', { roleFile: file, rolesPath: rolesDir }, dir, (t) => out.push(t));
    expect(tasks('packed')).to.contain('packed');
    expect(tasks('plain')).to.contain('plain');
    expect(out.join('')).to.contain('2 installed, 0 unchanged');

    writeRole(join(rolesDir, 'plain'), 'edited locally');
    out.length = 0;
    await rolesCommand('install', { roleFile: file, rolesPath: rolesDir }, dir, (t) => out.push(t));
    expect(out.join('')).to.contain('ok: packed (1.2) already installed').and.contain('0 installed, 2 unchanged');
    expect(tasks('plain')).to.contain('edited locally');

    out.length = 0;
    await rolesCommand('install', { roleFile: file, rolesPath: rolesDir, force: true }, dir, (t) => out.push(t));
    expect(out.join('')).to.contain('2 installed, 0 unchanged');
    expect(tasks('plain')).to.not.contain('edited locally');
  });

  it('reinstalls when the pinned version changes, and leaves no temporary folder behind', async () => {
    await installRoles(loadRequirements(reqFile(`- { src: ${repo}, scm: git, version: v1.0, name: r }`), dir), rolesDir);
    const again = await installRoles(loadRequirements(reqFile(`- { src: ${repo}, scm: git, version: stable, name: r }`), dir), rolesDir);
    expect(again[0]!.status).to.equal('installed');
    expect(tasks('r')).to.contain('two');
    expect(readdirSync(rolesDir)).to.deep.equal(['r']);
  });

  it('fails clearly on a version the repository does not have, and installs nothing half-way', async () => {
    const file = reqFile(`- src: ${repo}\n  scm: git\n  version: v9.9\n  name: r\n`);
    const err = await installRoles(loadRequirements(file, dir), rolesDir).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).describe()).to.contain(`${file}:3:12: version 'v9.9' not found in ${repo}`);
    expect(readdirSync(rolesDir)).to.deep.equal([]);
  });

  it('reports bad entries with file:line:col before installing anything', () => {
    const bad = (text: string): string => {
      try {
        loadRequirements(reqFile(text), dir);
      } catch (e) {
        return (e as InputError).describe();
      }
      throw new Error('expected an error');
    };
    expect(bad(`- src: ${repo}\n  scm: git\n- src: ${repo}\n  scm: git\n  verison: v1\n`)).to.contain('requirements.yml:5:3: unknown key \'verison\'');
    expect(bad(`- src: ${repo}\n  scm: svn\n`)).to.contain(":2:8: scm 'svn' is not supported");
    expect(bad(`- src: ${repo}\n  scm: git\n  version: 1.0\n`)).to.contain(':3:12: version must be a string').and.contain("quote it");
    expect(bad('- src: ./missing\n')).to.contain(':1:8: ./missing not found');
    expect(bad('- src: geerlingguy.nginx\n')).to.contain('does not download from Galaxy');
    expect(bad(`- { src: ${repo}, scm: git }\n- { src: ${repo}, scm: git }\n`)).to.contain(":2:3: role 'repo' is listed twice");
    expect(bad(`- name: x\n`)).to.contain(':1:3: a role entry needs src:');
    expect(bad(`- { src: ${repo}, scm: git, version: --upload-pack=x }\n`)).to.contain('is not a branch, tag or commit');
    expect(existsSync(rolesDir)).to.equal(false);
  });

  it('through the CLI: a bad entry is exit 1 naming file:line:col, with nothing installed', () => {
    writeRole(join(dir, 'plain'), 'plain');
    reqFile('- src: ./plain\n- src: ./plain\n  name: other\n  scm: hg\n');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'runbook.js'), 'roles', 'install', '-r', 'requirements.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain(`${join(dir, 'requirements.yml')}:4:8: scm 'hg' is not supported`);
    expect(existsSync(join(dir, 'roles'))).to.equal(false);
  });
});
