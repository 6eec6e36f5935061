// `--version` and `--syntax-check` stay fast (issue 6: under 0.3 s) by never loading SSH, Redis or
// Handlebars; this guards the lazy imports structurally (which packages load), not by timing.
// Runs the compiled CLI in dist/: build first.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
function packagesLoaded(args: string[], bundle = false): { code: number | null; stdout: string; stderr: string; packages: string[]; urls: string[] } {
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
      // The guard reads the unbundled graph, where every package shows as its own files; the bundle
      // (scripts/bundle.mjs) inlines the small ones, and has tests of its own below.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', RUNBOOK_BUNDLE: bundle ? '1' : '0' },
    });
    const urls = readFileSafe(log).split('\n').filter(Boolean);
    const packages = [...new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => Boolean(p)))];
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages, urls };
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

describe('the bundled CLI (dist/bundle, scripts/bundle.mjs)', () => {
  const bundled = join(ROOT, 'dist', 'bundle', 'cli', 'main.js');
  const compiled = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const fresh = (): boolean => existsSync(bundled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;

  before(function () {
    // `npm run build` (and so `npm test` and CI) makes it; a bare `tsc` does not, and then bin/runbook.js
    // runs dist/src, which the tests above cover.
    if (!fresh()) this.skip();
  });

  it('bin/runbook.js runs the bundle when it is current, and its chunks load only what the command needs', () => {
    const r = packagesLoaded(['apply', 'playbooks/site.yml', '-i', 'inventory/production.yml', '--syntax-check'], true);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('playbook: playbooks/site.yml');
    expect(r.urls.some((u) => u.includes('/dist/bundle/cli/'))).to.equal(true);
    expect(r.urls.some((u) => u.includes('/dist/src/'))).to.equal(false);
    // What stays outside the bundle is still loaded lazily: no SSH and no Redis for a syntax check.
    for (const p of ['node-ssh', 'ssh2', 'ioredis', 'bullmq']) expect(r.packages, p).to.not.include(p);
  });

  it('RUNBOOK_BUNDLE=0 runs the files tsc wrote', () => {
    const r = packagesLoaded(['--version']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.urls.some((u) => u.includes('/dist/src/cli/main.js'))).to.equal(true);
    expect(r.urls.some((u) => u.includes('/dist/bundle/'))).to.equal(false);
  });

  it('a local run through the bundle renders a Handlebars template and reports as the unbundled CLI does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-bundle-run-'));
    try {
      writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    here: { ansible_connection: local }\n');
      writeFileSync(join(dir, 't.hbs'), 'host {{inventory_hostname}}\n');
      writeFileSync(
        join(dir, 'pb.yml'),
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: render\n      template: { src: t.hbs, dest: ${join(dir, 'out.txt')} }\n`,
      );
      const viaBundle = packagesLoaded(['apply', join(dir, 'pb.yml'), '-i', join(dir, 'inv.yml')], true);
      expect(viaBundle.code, viaBundle.stderr).to.equal(0);
      expect(viaBundle.stdout).to.match(/here\s*:\s*ok=1\s+changed=1/);
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).to.equal('host here\n');
      const again = packagesLoaded(['apply', join(dir, 'pb.yml'), '-i', join(dir, 'inv.yml')]);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.match(/here\s*:\s*ok=1\s+changed=0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
