// The flow modules: tables of arguments (and canned host output) mapped to plans and results, and
// the script, raw and async job scripts run for real on this machine with /bin/sh.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { addHostModule } from '../../../../src/modules/flow/add_host.js';
import { asyncStatusModule, planAsyncStatus } from '../../../../src/modules/flow/async_status.js';
import { failModule } from '../../../../src/modules/flow/fail.js';
import { groupByModule } from '../../../../src/modules/flow/group_by.js';
import { parsePauseArgs, pauseModule } from '../../../../src/modules/flow/pause.js';
import { pingModule } from '../../../../src/modules/flow/ping.js';
import { planRaw, rawModule } from '../../../../src/modules/flow/raw.js';
import { parseScriptArgs, scriptModule } from '../../../../src/modules/flow/script.js';
import { finishedJobScript, launchScript } from '../../../../src/modules/lib/async-job.js';
import { metaModule } from '../../../../src/modules/meta.js';
import type { ActionContext, InventoryEditor } from '../../../../src/modules/types.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, fakeCtx, loc, planOnly, sh } from '../lib/local.js';

function actionCtx(over: Partial<ActionContext> = {}): ActionContext {
  return { ...fakeCtx(), transport: undefined as never, playHosts: ['web1'], hostVars: () => ({}), connect: async () => undefined as never, ...over };
}

/** Canned async_status probe output: the job file (undefined: none), stdout, stderr. */
function jobProbe(file: string | undefined, out = '', err = ''): ExecResult {
  const part = (name: string, text: string) => `\n@@runbook-section@@ ${name}\n${text}`;
  const job = file === undefined ? 'found=0\n' : 'found=1\npath=/home/u/.ansible_async/j1\n';
  return { stdout: `${part('job', job)}${part('file', file ?? '')}${part('out', out)}${part('err', err)}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

describe('modules/flow', () => {
  describe('fail', () => {
    const table: [string, Record<string, unknown>, string][] = [
      ['fails with Ansible\'s default message', {}, 'Failed as requested from task'],
      ['fails with the message given', { msg: 'release not supported' }, 'release not supported'],
      ['shows a non-text message as JSON', { msg: { a: 1 } }, '{"a":1}'],
    ];
    for (const [what, raw, msg] of table) {
      it(what, async () => {
        const out = await failModule.run(failModule.parse(raw, loc), actionCtx());
        expect(out).to.deep.include({ changed: false, failed: msg });
      });
    }
    it('refuses an unknown argument with did-you-mean', () => {
      expect(() => failModule.parse({ mgs: 'x' }, loc)).to.throw(InputError, /has no argument 'mgs'/);
    });
  });

  describe('ping', () => {
    const table: [string, Record<string, unknown>, ExecResult, { data?: unknown; failure?: RegExp }][] = [
      ['answers pong', {}, { stdout: 'pong\n', stderr: '', code: 0 }, { data: { ping: 'pong' } }],
      ['returns the data given', { data: 'hello' }, { stdout: 'pong\n', stderr: '', code: 0 }, { data: { ping: 'hello' } }],
      [
        'returns a mapping as Python prints it, as Ansible converts it for a str argument',
        { data: { moo: 'cow', asdf: [1, 2, 3, 4] } },
        { stdout: 'pong\n', stderr: '', code: 0 },
        { data: { ping: "{'moo': 'cow', 'asdf': [1, 2, 3, 4]}" } },
      ],
      ['data=crash fails, as in Ansible', { data: 'crash' }, { stdout: 'pong\n', stderr: '', code: 0 }, { failure: /boom/ }],
      ['a host that cannot run the command fails', {}, { stdout: '', stderr: 'sudo: a password is required', code: 1 }, { failure: /did not answer pong.*password/ }],
    ];
    for (const [what, raw, probe, want] of table) {
      it(what, () => {
        const a = pingModule.parse(raw, loc);
        const plan = pingModule.plan(a, probe, fakeCtx());
        expect(plan.changes).to.deep.equal([]);
        if (want.failure) expect(plan.failure?.msg).to.match(want.failure);
        else expect(plan.data).to.deep.equal(want.data);
      });
    }
    it('really answers on this machine', () => {
      expect(planOnly(pingModule, {}).data).to.deep.equal({ ping: 'pong' });
    });
  });

  describe('raw', () => {
    const table: [string, Record<string, unknown>, string][] = [
      ['runs the line with /bin/sh, no probe', { cmd: 'echo hi | tr a-z A-Z' }, "exec /bin/sh -c 'echo hi | tr a-z A-Z' </dev/null"],
      ['takes executable= out of the free form', { cmd: 'echo $0 executable=/bin/bash' }, "exec /bin/bash -c 'echo $0' </dev/null"],
      ['runs with the executable given', { cmd: 'echo $0', executable: '/bin/dash' }, "exec /bin/dash -c 'echo $0' </dev/null"],
    ];
    for (const [what, raw, script] of table) {
      it(what, () => {
        const a = rawModule.parse(raw, loc);
        expect(rawModule.probe(a, fakeCtx()).script).to.equal('');
        const plan = planRaw(a);
        expect(plan.steps.map((s) => s.script)).to.deep.equal([script]);
        expect(plan.runsArbitraryCommand).to.equal(true);
        expect(plan.runDecided).to.equal(undefined);
      });
    }
    it('runs for real: output registered, a non-zero exit fails', () => {
      expect(apply(rawModule, { cmd: 'echo out; echo err >&2' }).after).to.deep.equal({ data: { rc: 0, stdout: 'out\n', stderr: 'err\n', stdout_lines: ['out'], stderr_lines: ['err'] } });
      expect(apply(rawModule, { cmd: 'exit 3' }).after).to.deep.include({ failed: 'non-zero return code' });
    });
    it('refuses an empty command and chdir (raw has none)', () => {
      expect(() => rawModule.parse({ cmd: ' ' }, loc)).to.throw(InputError, /no command given/);
      expect(() => rawModule.parse({ cmd: 'ls', chdir: '/' }, loc)).to.throw(InputError, /chdir/);
    });
  });

  describe('script', () => {
    const parseTable: [string, Record<string, unknown>, Partial<ReturnType<typeof parseScriptArgs>>][] = [
      ['splits the path from its arguments', { cmd: 'files/seed.sh --quick "two words"' }, { path: 'files/seed.sh', params: '--quick "two words"' }],
      ['takes creates=/chdir= out of the free form', { cmd: 'seed.sh a creates=/srv/done chdir=/srv' }, { path: 'seed.sh', params: 'a', creates: '/srv/done', chdir: '/srv' }],
      ['a quoted path', { cmd: "'my script.sh' x" }, { path: 'my script.sh', params: 'x' }],
      ['args: beside the free form', { cmd: 'seed.sh', removes: '/tmp/x', executable: 'bash' }, { path: 'seed.sh', params: '', removes: '/tmp/x', executable: 'bash' }],
    ];
    for (const [what, raw, want] of parseTable) it(what, () => expect(parseScriptArgs(raw, loc)).to.deep.include(want));

    it('refuses no script, and unknown arguments', () => {
      expect(() => scriptModule.parse({ cmd: '' }, loc)).to.throw(InputError, /no script given/);
      expect(() => scriptModule.parse({ cmd: 'a.sh', create: '/x' }, loc)).to.throw(InputError, /has no argument 'create'/);
    });

    describe('runs for real', () => {
      let dir: string;
      const ctx = () => fakeCtx({ readFile: (p) => (p === 'seed.sh' ? Buffer.from('#!/bin/sh\necho "args:$*" "cwd:$(pwd)"\ntouch marker\n') : Buffer.from(`#!/bin/sh\nexit 4\n`)) });
      beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rb-script-'))));
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      it('sends the script, runs it with its arguments in chdir, removes it; creates: then skips it', () => {
        const raw = { cmd: `seed.sh one 'two three'`, chdir: dir, creates: `${dir}/marker` };
        const first = apply(scriptModule, raw, ctx());
        expect(first.plan.changes).to.deep.equal([`run script: seed.sh one 'two three'`]);
        expect(first.plan.runDecided).to.equal(true);
        expect(first.after?.data).to.deep.include({ rc: 0, stdout: `args:one two three cwd:${dir}\n` });
        // The private copy is gone.
        expect(sh(`ls -d "\${TMPDIR:-/tmp}"/.runbook-script.* 2>/dev/null | xargs -r -n1 sh -c 'ls "$0"' | grep -c seed.sh || true`).stdout.trim()).to.equal('0');
        const second = apply(scriptModule, raw, ctx());
        expect(second.plan.changes).to.deep.equal([]);
        expect(second.plan.data).to.deep.include({ msg: `Did not run command since '${dir}/marker' exists` });
      });

      it('a failing script fails with its exit code; removes: on a missing path does not run it', () => {
        expect(apply(scriptModule, { cmd: 'bad.sh' }, ctx()).after).to.deep.include({ failed: 'non-zero return code' });
        expect(apply(scriptModule, { cmd: 'seed.sh', removes: `${dir}/nothing` }, ctx()).plan.changes).to.deep.equal([]);
      });

      it('executable runs the script through that program', () => {
        expect(apply(scriptModule, { cmd: 'seed.sh x', executable: '/bin/sh', chdir: dir }, ctx()).after?.data).to.deep.include({ rc: 0 });
      });
    });
  });

  describe('pause', () => {
    const table: [string, Record<string, unknown>, ReturnType<typeof parsePauseArgs>][] = [
      ['seconds', { seconds: 3 }, { waitMs: 3000, prompt: undefined, echo: true }],
      ['minutes', { minutes: 2 }, { waitMs: 120000, prompt: undefined, echo: true }],
      ['a prompt', { prompt: 'Go on?', echo: false }, { waitMs: undefined, prompt: 'Go on?', echo: false }],
    ];
    for (const [what, raw, want] of table) it(what, () => expect(parsePauseArgs(raw, loc)).to.deep.equal(want));

    it('refuses seconds with minutes, and a negative wait', () => {
      expect(() => pauseModule.parse({ seconds: 1, minutes: 1 }, loc)).to.throw(InputError, /mutually exclusive|only one of/);
      expect(() => pauseModule.parse({ seconds: -1 }, loc)).to.throw(InputError, /seconds/);
    });

    it('waits the seconds given and says so', async () => {
      const out = await pauseModule.run(pauseModule.parse({ seconds: 0 }, loc), actionCtx());
      expect(out).to.deep.include({ changed: false, msg: 'Paused for 0 seconds' });
    });

    it('without a terminal, a prompt fails naming -e and seconds', async function () {
      if (process.stdin.isTTY) this.skip();
      const out = await pauseModule.run(pauseModule.parse({ prompt: 'Wipe?' }, loc), actionCtx());
      expect(out.failed).to.match(/'Wipe\?' needs an answer at a terminal.*-e.*seconds:/);
    });

    it('runs once for the batch, as Ansible bypasses the host loop', () => {
      expect(pauseModule.bypassHostLoop).to.equal(true);
      expect(addHostModule.bypassHostLoop).to.equal(true);
      expect(groupByModule.bypassHostLoop).to.equal(undefined);
    });
  });

  describe('add_host and group_by', () => {
    function editor(): InventoryEditor & { calls: unknown[][] } {
      const calls: unknown[][] = [];
      return { calls, addHost: (...a) => (calls.push(['addHost', ...a]), true), addToGroup: (...a) => (calls.push(['addToGroup', ...a]), false) };
    }
    const table: [string, Record<string, unknown>, unknown[]][] = [
      ['a new host in groups, other keys are its variables', { name: 'db9', groups: ['db', 'new'], ansible_host: '10.0.0.9' }, ['addHost', 'db9', ['db', 'new'], { ansible_host: '10.0.0.9' }]],
      ['host:port sets ansible_port; group (alias) as text', { hostname: 'db9:2222', group: 'db,new' }, ['addHost', 'db9', ['db', 'new'], { ansible_port: 2222 }]],
    ];
    for (const [what, raw, call] of table) {
      it(`add_host: ${what}`, async () => {
        const inv = editor();
        const out = await addHostModule.run(addHostModule.parse(raw, loc), actionCtx({ inventory: inv }));
        expect(inv.calls).to.deep.equal([call]);
        expect(out).to.deep.include({ changed: true });
      });
    }
    it('add_host refuses a bad variable name; without an inventory to change it fails clearly', async () => {
      expect(() => addHostModule.parse({ name: 'x', 'bad-name': 1 }, loc)).to.throw(InputError, /not a valid variable name/);
      expect(() => addHostModule.parse({ groups: ['x'] }, loc)).to.throw(InputError, /'name' is required/);
      expect((await addHostModule.run(addHostModule.parse({ name: 'x' }, loc), actionCtx())).failed).to.match(/cannot change its inventory/);
    });
    it('group_by: the host joins the key group (spaces become dashes) under its parents; ok, not changed', async () => {
      const inv = editor();
      const out = await groupByModule.run(groupByModule.parse({ key: 'os Debian', parents: ['all', 'linux'] }, loc), actionCtx({ inventory: inv }));
      expect(inv.calls).to.deep.equal([['addToGroup', 'local', 'os-Debian', ['linux']]]);
      expect(out).to.deep.include({ changed: false, data: { add_group: 'os-Debian', parent_groups: ['all', 'linux'] } });
      expect(() => groupByModule.parse({ key: 'a:b' }, loc)).to.throw(InputError, /not a group name/);
    });
  });

  describe('meta', () => {
    for (const action of ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'noop', 'refresh_inventory', 'reset_connection']) {
      it(`accepts ${action}`, () => expect(metaModule.parse({ action }, loc)).to.deep.equal({ action }));
    }
    it('refuses an unknown action naming the known ones', () => {
      expect(() => metaModule.parse({ action: 'end_role' }, loc)).to.throw(InputError, /unknown action 'end_role'/);
    });
  });

  describe('async_status', () => {
    const running = JSON.stringify({ started: 1, finished: 0, ansible_job_id: 'j1' });
    const done = (rc: number, failed: number, msg = '') => JSON.stringify({ ansible_job_id: 'j1', cmd: 'x', started: 1, finished: 1, changed: true, rc, failed, msg });
    const table: [string, Record<string, unknown>, ExecResult, { finished?: number; changed?: boolean; failure?: RegExp; data?: Record<string, unknown> }][] = [
      ['a running job: finished 0, ok', { jid: 'j1' }, jobProbe(running), { finished: 0, changed: false }],
      ['a finished job: its output, changed', { jid: 'j1' }, jobProbe(done(0, 0), 'hello\n'), { finished: 1, changed: true, data: { rc: 0, stdout: 'hello', stdout_lines: ['hello'] } }],
      ['a failed job fails with its message', { jid: 'j1' }, jobProbe(done(2, 1, 'non-zero return code'), '', 'oops\n'), { failure: /non-zero return code/, data: { rc: 2, stderr: 'oops' } }],
      ['a job that did nothing is ok', { jid: 'j1' }, jobProbe(JSON.stringify({ started: 1, finished: 1, ansible_job_id: 'j1', changed: false, failed: false })), { finished: 1, changed: false }],
      ['no job file fails', { jid: 'j1' }, jobProbe(undefined), { failure: /could not find job j1/ }],
    ];
    for (const [what, raw, probe, want] of table) {
      it(what, () => {
        const plan = planAsyncStatus(asyncStatusModule.parse(raw, loc), probe);
        if (want.failure) expect(plan.failure?.msg).to.match(want.failure);
        else expect(plan.failure).to.equal(undefined);
        if (want.finished !== undefined) expect(plan.data?.finished).to.equal(want.finished);
        if (want.changed !== undefined) expect(plan.changes.length > 0).to.equal(want.changed);
        if (want.data) expect(plan.data).to.deep.include(want.data);
        expect(plan.steps).to.deep.equal([]);
      });
    }
    it('cleanup erases the job files as a side step (none in check mode), ok', () => {
      const plan = planAsyncStatus(asyncStatusModule.parse({ jid: 'j1', mode: 'cleanup' }, loc), jobProbe(running));
      expect(plan.changes).to.deep.equal([]);
      expect(plan.sideSteps?.[0]?.script).to.match(/^rm -f -- "\$HOME"\/\.ansible_async\/j1 /);
      expect(plan.data).to.deep.include({ erased: '/home/u/.ansible_async/j1' });
    });
    it('refuses a job id that is not one', () => {
      expect(() => asyncStatusModule.parse({ jid: '../../etc/passwd' }, loc)).to.throw(InputError, /not a job id/);
    });

    describe('a job on this machine, detached, then read', () => {
      let home: string;
      let saved: string | undefined;
      beforeEach(() => {
        home = mkdtempSync(join(tmpdir(), 'rb-async-'));
        saved = process.env.HOME;
        process.env.HOME = home;
      });
      afterEach(() => {
        process.env.HOME = saved;
        rmSync(home, { recursive: true, force: true });
      });
      async function waitFinished(jid: string): Promise<ReturnType<typeof planOnly>> {
        for (let i = 0; i < 300; i++) {
          const plan = planOnly(asyncStatusModule, { jid });
          if (plan.data?.finished === 1) return plan;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the job never finished');
      }

      it('runs the steps with their input, records the output and rc; the job file is JSON', async () => {
        const steps = [{ script: 'cat; echo err >&2', stdin: 'from stdin\n', okCodes: [0] }];
        const r = sh(launchScript({ jid: 'j100.1', timeout: 60, steps, data: { cmd: 'cat' }, commandLike: true }));
        expect(r.code).to.equal(0);
        expect(r.stdout).to.match(/^pid=\d+/);
        const plan = await waitFinished('j100.1');
        expect(plan.failure).to.equal(undefined);
        expect(plan.data).to.deep.include({ finished: 1, rc: 0, stdout: 'from stdin', stderr: 'err', cmd: 'cat', ansible_job_id: 'j100.1' });
        // Only the job file and its output remain; cleanup removes them.
        expect(sh(`ls "${home}/.ansible_async"`).stdout.split('\n').filter(Boolean).sort()).to.deep.equal(['j100.1', 'j100.1.err', 'j100.1.out']);
        const clean = planOnly(asyncStatusModule, { jid: 'j100.1', mode: 'cleanup' });
        sh(clean.sideSteps![0]!.script);
        expect(sh(`ls -A "${home}/.ansible_async"`).stdout).to.equal('');
      });

      it('a failing command fails the job; a step past the time limit is stopped', async () => {
        sh(launchScript({ jid: 'j101.1', timeout: 60, steps: [{ script: 'exit 3', okCodes: [0, 3] }], data: {}, commandLike: true }));
        expect((await waitFinished('j101.1')).failure?.msg).to.equal('non-zero return code');
        sh(launchScript({ jid: 'j102.1', timeout: 60, steps: [{ script: 'exit 3', okCodes: [0, 3] }, { script: 'echo second' }], data: {}, commandLike: false }));
        expect((await waitFinished('j102.1')).data).to.deep.include({ rc: 0, stdout: 'second' });
        sh(launchScript({ jid: 'j103.1', timeout: 1, steps: [{ script: 'sleep 30' }], data: {}, commandLike: true }));
        expect((await waitFinished('j103.1')).failure?.msg).to.equal('Job reached maximum time limit of 1 seconds.');
      });

      it('a job with nothing to do is finished at once', () => {
        sh(finishedJobScript('j104.1', { cmd: 'x', rc: 0 }));
        const plan = planOnly(asyncStatusModule, { jid: 'j104.1' });
        expect(plan.data).to.deep.include({ finished: 1, cmd: 'x' });
        expect(plan.changes).to.deep.equal([]);
        writeFileSync(join(home, '.ansible_async', 'j105.1'), 'not json');
        expect(planOnly(asyncStatusModule, { jid: 'j105.1' }).failure?.msg).to.match(/is not JSON/);
      });
    });
  });
});
