// rb_enter with rb_mkdirs=1 creates missing directories one at a time; several runs creating the same
// parents at once (hosts of one run sharing a local machine, or two runs) must all get in.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { shQuote } from '../../../../src/core/shell.js';
import { HOST_PATH_FUNCTIONS } from '../../../../src/modules/lib/host-path.js';

const run = promisify(execFile);

function enter(path: string): Promise<{ code: number; stdout: string }> {
  const script = [HOST_PATH_FUNCTIONS, 'rb_mkdirs=1', `rb_enter ${shQuote(path)} || { printf '%s\\n' "$rb_why" >&2; exit 1; }`, 'pwd'].join('\n');
  return run('/bin/sh', ['-c', script]).then(
    (r) => ({ code: 0, stdout: r.stdout.trim() }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stdout: e.stderr.trim() }),
  );
}

describe('modules/lib/host-path rb_enter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'runbook-host-path-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('twenty scripts creating the same parents at once all enter the directory', async () => {
    const target = join(dir, 'a', 'b', 'c', 'd');
    const results = await Promise.all(Array.from({ length: 20 }, () => enter(target)));
    expect(results.map((r) => r.code), JSON.stringify(results)).to.deep.equal(Array(20).fill(0));
    for (const r of results) expect(r.stdout).to.equal(target);
  });

  it('a directory swapped for a link to another directory during the walk is refused (checked once, after the walk)', async () => {
    mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
    mkdirSync(join(dir, 'evil', 'b', 'c'), { recursive: true });
    // cd is a regular builtin: a function of that name runs first, and swaps the entry just before the real cd.
    const swap = `cd() { if [ "$3" = b ] && [ -z "$rb_swapped" ]; then rb_swapped=1; mv ${shQuote(join(dir, 'a', 'b'))} ${shQuote(join(dir, 'a', 'b.orig'))}; ln -s ${shQuote(join(dir, 'evil', 'b'))} ${shQuote(join(dir, 'a', 'b'))}; fi; command cd "$@"; }`;
    const script = [HOST_PATH_FUNCTIONS, swap, `rb_enter ${shQuote(join(dir, 'a', 'b', 'c'))}; echo "$?|$rb_why"`].join('\n');
    const r = await run('/bin/sh', ['-c', script]);
    expect(r.stdout.trim()).to.match(/^4\|.*changed while it was being entered/);
  });

  it('enters plain directories and trusted links (root-owned) alike', async () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    symlinkSync(join(dir, 'a'), join(dir, 'l'));
    const script = [HOST_PATH_FUNCTIONS, `rb_enter ${shQuote(join(dir, 'l', 'b'))} && pwd -P && cd / && rb_enter ${shQuote(join(dir, 'a'))} && cd .. && rb_enter a/b && pwd -P`].join('\n');
    const r = await run('/bin/sh', ['-c', script]);
    expect(r.stdout.trim().split('\n')).to.deep.equal([join(dir, 'a', 'b'), join(dir, 'a', 'b')]);
  });

  it('a link where a directory would be created is refused, not followed', async () => {
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'a'));
    const r = await enter(join(dir, 'a', 'b'));
    expect(r.code).to.not.equal(0);
  });
});
