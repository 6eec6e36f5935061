// `--version` and `--syntax-check` stay fast (issue 6: under 0.3 s) by never loading SSH, Redis or
// Handlebars; this guards the lazy imports structurally (which packages load), not by timing.
// Runs the compiled CLI in dist/: build first.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function repoRoot(): string {
  // From test/unit/cli (tsx) or dist/test/unit/cli (compiled): up to the folder holding package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!readFileSafe(join(dir, 'package.json')).includes('"name": "runbook"')) dir = resolve(dir, '..');
  return dir;
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const ROOT = repoRoot();
const HEAVY = ['node-ssh', 'ssh2', 'ioredis', 'handlebars', 'diff', 'bullmq'];

/** Runs bin/runbook.js with a loader hook that appends every module URL it loads to a file; returns the packages loaded. */
function packagesLoaded(args: string[]): { code: number | null; stdout: string; stderr: string; packages: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-lazy-'));
  try {
    const log = join(dir, 'loaded.txt');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, join(ROOT, 'bin', 'runbook.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' },
    });
    const urls = readFileSafe(log).split('\n').filter(Boolean);
    const packages = [...new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => Boolean(p)))];
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CLI start-up loads only what the command needs', () => {
  it('--version loads commander and nothing heavy', () => {
    const r = packagesLoaded(['--version']);
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
    expect(r.packages).to.include('commander');
    expect(r.packages).to.not.include('yaml');
    for (const p of HEAVY) expect(r.packages, p).to.not.include(p);
  });

  it('--syntax-check of site.yml validates without loading SSH, Redis, Handlebars or diff', () => {
    const r = packagesLoaded(['apply', 'playbooks/site.yml', '-i', 'inventory/production.yml', '--syntax-check']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('playbook: playbooks/site.yml');
    // The hook saw the loader at work (yaml parsed the playbook), so an empty list is not a pass.
    expect(r.packages).to.include('yaml');
    for (const p of HEAVY) expect(r.packages, p).to.not.include(p);
  });

  it('a local run (no --queue) loads neither BullMQ nor a Redis client (issue 15)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-lazy-local-'));
    try {
      writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    here: { ansible_connection: local }\n');
      writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: say\n      debug: { msg: hi }\n');
      const r = packagesLoaded(['apply', join(dir, 'pb.yml'), '-i', join(dir, 'inv.yml')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('ok=1');
      expect(r.packages).to.include('yaml');
      expect(r.packages).to.not.include('bullmq');
      expect(r.packages).to.not.include('ioredis');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--syntax-check still rejects a playbook with an unknown module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-lazy-bad-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), '- hosts: all\n  tasks:\n    - name: typo\n      copyy: { src: a, dest: b }\n');
      const r = packagesLoaded(['apply', join(dir, 'bad.yml'), '-i', 'inventory/production.yml', '--syntax-check']);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain('bad.yml:4:7').and.contain("unknown module 'copyy'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
