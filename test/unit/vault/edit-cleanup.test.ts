// `runbook vault edit` never leaves the plaintext behind: the compiled CLI is spawned with an editor
// that waits, then SIGINT, SIGTERM or SIGHUP reaches runbook alone (as `kill` would send it), and
// the editor's temporary file, its folder and the editor itself must be gone once runbook exits.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, tempDir } from './helpers.js';

const MAIN = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

/** Where the editor temp should live: tmpfs when the host has a usable /dev/shm. */
function shmUsable(): boolean {
  try {
    accessSync('/dev/shm', constants.W_OK | constants.X_OK);
    return statSync('/dev/shm').isDirectory();
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls for a file the editor writes (it says where the plaintext is and its own pid). */
async function waitFor(file: string): Promise<string> {
  for (;;) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('\n')) return text.trim();
    }
    await sleep(20);
  }
}

/** Starts `vault edit` with an editor that records itself and then waits (optionally deaf to signals). */
async function editAndSignal(signal: NodeJS.Signals, deaf = false): Promise<{ code: number | null; sig: NodeJS.Signals | null; tmp: string; editorPid: number; dirMode: number; fileMode: number }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'pw'), 'edit-cleanup-pw\n');
  writeFileSync(join(dir, 'secrets.yml'), 'db_password: plain-secret-value\n');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' };
  const enc = spawn(process.execPath, [MAIN, 'vault', 'encrypt', 'secrets.yml', '--vault-password-file', 'pw'], { cwd: dir, env, stdio: 'ignore' });
  await new Promise((resolve) => enc.on('close', resolve));
  const editor = join(dir, 'editor.sh');
  writeFileSync(
    editor,
    [
      '#!/bin/sh',
      deaf ? "trap '' INT TERM HUP" : ':',
      'd=$(dirname "$0")',
      'stat -c %a "$(dirname "$1")" > "$d/dir-mode"; stat -c %a "$1" > "$d/file-mode"',
      'echo $$ > "$d/editor-pid"',
      'echo "$1" > "$d/where"',
      'while :; do sleep 0.05; done',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const child = spawn(process.execPath, [MAIN, 'vault', 'edit', 'secrets.yml', '--vault-password-file', 'pw'], { cwd: dir, env: { ...env, EDITOR: editor }, stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, sig })));
  const tmp = await waitFor(join(dir, 'where'));
  const editorPid = Number(await waitFor(join(dir, 'editor-pid')));
  const dirMode = parseInt(await waitFor(join(dir, 'dir-mode')), 8);
  const fileMode = parseInt(await waitFor(join(dir, 'file-mode')), 8);
  expect(readFileSync(tmp, 'utf8'), 'the editor sees the plaintext').to.contain('plain-secret-value');
  process.kill(child.pid!, signal);
  const { code, sig } = await exited;
  return { code, sig, tmp, editorPid, dirMode, fileMode };
}

describe('runbook vault edit: the plaintext is removed on every way out', function () {
  this.timeout(30_000);
  const editors: number[] = [];
  after(() => {
    // The old code left the editor running: do not leave it behind.
    for (const pid of editors) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal}: runbook exits ${status}, the temporary folder and the editor are gone`, async () => {
      const r = await editAndSignal(signal);
      editors.push(r.editorPid);
      expect(existsSync(r.tmp), `${r.tmp} remains`).to.equal(false);
      expect(existsSync(join(r.tmp, '..')), 'its folder remains').to.equal(false);
      expect(r.code, `killed by ${r.sig}`).to.equal(status);
      for (let i = 0; i < 100 && alive(r.editorPid); i++) await sleep(20);
      expect(alive(r.editorPid), 'the editor still runs').to.equal(false);
    });
  }

  it('an editor that ignores the signal is killed, and the plaintext still goes', async () => {
    const r = await editAndSignal('SIGTERM', true);
    editors.push(r.editorPid);
    expect(existsSync(join(r.tmp, '..')), 'its folder remains').to.equal(false);
    expect(r.code).to.equal(143);
    expect(alive(r.editorPid), 'the editor still runs').to.equal(false);
  });

  it('the temporary file is 0600 in a 0700 folder, on tmpfs (/dev/shm) when there is one', async () => {
    const r = await editAndSignal('SIGTERM');
    editors.push(r.editorPid);
    expect(r.dirMode.toString(8)).to.equal('700');
    expect(r.fileMode.toString(8)).to.equal('600');
    if (shmUsable()) expect(r.tmp.startsWith('/dev/shm/'), r.tmp).to.equal(true);
  });
});
