// Batched probes (probe-batch.ts, probe-ahead.ts, probe-cache.ts): the script /bin/sh really runs, then
// the executor with the fake transport: one command per host for a no-op, a register that stops the
// read-ahead, a change that drops what was read before it, check mode's forecasts.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchScript, splitBatch } from '../../../src/executor/probe-batch.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import type { RemoteModule } from '../../../src/modules/types.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { harness, inventory, kvModule, noteModule, play, recapOf, task } from './harness.js';

function sh(script: string, cwd: string): ExecResult {
  const r = spawnSync('/bin/sh', ['-c', script], { cwd, encoding: 'utf8', input: '' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('executor/probe-batch: several probes in one script', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'runbook-probe-batch-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each section answers exactly as the probe sent alone would: a cd, a variable, set -e or exit stays in its section', () => {
    const probes = [
      'cd / && pwd; x=leaked; set -e',
      'pwd; echo "x=${x:-unset}"; false; echo "set -e did not leak"',
      'echo to stderr >&2; exit 3',
      "printf 'no newline at the end'",
      "cat <<'EOF'\nhere-document\nEOF",
      '# a comment at the end',
    ];
    const batch = batchScript(probes);
    const parts = splitBatch(sh(batch.script, dir), batch, probes.length);
    expect(parts).to.deep.equal(probes.map((p) => sh(p, dir)));
    expect(parts[1]!.stdout).to.equal(`${dir}\nx=unset\nset -e did not leak\n`);
    expect(parts[2]).to.deep.equal({ stdout: '', stderr: 'to stderr\n', code: 3 });
  });

  it('a probe that kills the whole script answers nothing for itself and the probes after it', () => {
    const probes = ['echo first', 'kill -9 $$; sleep 1', 'echo never'];
    const batch = batchScript(probes);
    const parts = splitBatch(sh(batch.script, dir), batch, probes.length);
    expect(parts).to.deep.equal([{ stdout: 'first\n', stderr: '', code: 0 }, undefined, undefined]);
  });

  it('output that merely looks like a marker does not end a section (each batch has its own random marker)', () => {
    const batch = batchScript(["printf 'rb-probe-0000:0:0\\n'", 'echo b']);
    expect(splitBatch(sh(batch.script, dir), batch, 2)).to.deep.equal([
      { stdout: 'rb-probe-0000:0:0\n', stderr: '', code: 0 },
      { stdout: 'b\n', stderr: '', code: 0 },
    ]);
    expect(execFileSync('/bin/sh', ['-c', batchScript(['true']).script], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()).to.match(/^rb-probe-[0-9a-f]{24}:0:0\n$/);
  });
});

describe('executor: probes read ahead (--probe-batch)', () => {
  const kv = (key: string, value: string, extra = {}) => task('kv', { key, value }, extra);

  it('a no-op re-run reads each host once for every task, and the recap counts it', async () => {
    const h = harness([play([kv('a', '1'), kv('b', '2'), kv('c', '3')])], ['web1', 'web2'], { probeBatch: 50 });
    for (const host of h.hosts.values()) ['a', 'b', 'c'].forEach((k, i) => host.kv.set(k, String(i + 1)));
    expect(await runPlaybook(h.ctx)).to.equal(0);
    for (const host of h.hosts.values()) {
      expect(host.scripts).to.have.length(1);
      expect(host.batched).to.deep.equal(['get a', 'get b', 'get c']);
    }
    expect(recapOf(h).hosts.web1).to.include({ ok: 3, changed: 0 });
    expect(recapOf(h).probes).to.deep.equal({ commands: 2, answered: 6, readAhead: 4, dropped: 0 });
  });

  it('--probe-batch 1 sends each probe on its own', async () => {
    const h = harness([play([kv('a', '1'), kv('b', '2')])], ['web1'], { probeBatch: 1 });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.scripts).to.deep.equal(['get a', 'set a', 'get b', 'set b']);
    expect(recapOf(h).probes).to.deep.equal({ commands: 2, answered: 2, readAhead: 0, dropped: 0 });
  });

  it('stops reading ahead at a task fed by a result registered in between, which then probes at its turn', async () => {
    const tasks = [kv('a', 'b', { register: 'first' }), kv('{{ first.value }}', '1'), kv('c', '1')];
    const h = harness([play(tasks)], ['web1'], { probeBatch: 50 });
    const host = h.hosts.get('web1')!;
    host.kv.set('a', 'b');
    host.kv.set('b', '1');
    host.kv.set('c', '1');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    // The first probe goes alone (the next task needs its result); the second reads b and c.
    expect(host.scripts[0]).to.equal('get a');
    expect(host.batched).to.deep.equal(['get b', 'get c']);
    expect(recapOf(h).hosts.web1).to.include({ ok: 3, changed: 0 });
  });

  it('a change drops what was read before it: a later task sees what the earlier one wrote', async () => {
    // Both tasks read key x; the first writes it, so the second must find it written (ok, not changed).
    const h = harness([play([kv('x', '1'), kv('x', '1'), kv('y', '2')])], ['web1'], { probeBatch: 50 });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(recapOf(h).hosts.web1).to.include({ ok: 3, changed: 2 });
    const host = h.hosts.get('web1')!;
    expect(host.scripts.filter((s) => s.startsWith('set'))).to.deep.equal(['set x', 'set y']);
    expect(recapOf(h).probes?.dropped).to.be.greaterThan(0);
  });

  it("a change on one host drops what other hosts read before it (hosts can share files: connection local, NFS)", async () => {
    const h = harness([play([kv('{{ k }}', '1'), kv('x', '1')])], ['web1', 'web2'], { probeBatch: 50 });
    h.ctx.inventory = inventory(['web1', 'web2'], {}, { web1: { k: 'x' }, web2: { k: 'y' } });
    // One store behind both names: web1 writes x in the first task, web2 must see it in the second.
    const shared = h.hosts.get('web1')!.kv;
    Object.defineProperty(h.hosts.get('web2')!, 'kv', { value: shared });
    shared.set('y', '1');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web2')!.batched).to.include('get x');
    expect(recapOf(h).hosts.web1).to.include({ changed: 1 });
    expect(recapOf(h).hosts.web2).to.include({ changed: 0, ok: 2 });
  });

  it('check mode: the forecast is the same, from one command', async () => {
    const tasks = [kv('ready', 'yes'), task('kv', { key: 'conf', value: 'x', needs_ready: true })];
    const h = harness([play(tasks)], ['web1'], { check: true, probeBatch: 50 });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(recapOf(h).hosts.web1).to.include({ changed: 2, failed: 0 });
    expect(h.hosts.get('web1')!.scripts).to.have.length(1);
    expect(h.hosts.get('web1')!.kv.size).to.equal(0);
  });

  it('check mode: a task with check_mode: false that changes the host drops what was read ahead', async () => {
    const tasks = [kv('x', '1', { checkMode: false }), kv('x', '1')];
    const h = harness([play(tasks)], ['web1'], { check: true, probeBatch: 50 });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(recapOf(h).hosts.web1).to.include({ changed: 1, ok: 2 });
  });

  it("a probe that fails fails only its own task; the others' answers from the same command stand", async () => {
    const picky: RemoteModule<{ cmd: string }> = {
      kind: 'remote', name: 'picky', argNames: ['cmd'], parse: (raw) => ({ cmd: String(raw.cmd) }),
      probe: (a) => ({ script: a.cmd }),
      plan: (_a, probe) => (probe.code === 0 ? { changes: [], steps: [] } : { changes: [], steps: [], failure: { msg: `probe failed: ${probe.stderr}` } }),
    };
    const tasks = [kv('a', '1'), task('picky', { cmd: 'nonsense' }, { ignoreErrors: true }), kv('b', '2')];
    const h = harness([play(tasks)], ['web1'], { probeBatch: 50 }, [], [kvModule, noteModule, picky]);
    const host = h.hosts.get('web1')!;
    host.kv.set('a', '1');
    host.kv.set('b', '2');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(host.scripts).to.have.length(1);
    expect(recapOf(h).hosts.web1).to.include({ ok: 3, ignored: 1, changed: 0 });
    const failed = h.events.find((e) => e.type === 'host_result' && e.status === 'failed');
    expect(failed && 'msg' in failed ? failed.msg : '').to.include('unknown fake command nonsense');
  });
});
