// Renders a local page in Debian's chromium, headless and offline, and returns the DOM it built.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';

/** No first-run work, no sync, no component updates, no background fetches: nothing leaves the machine. */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** `chromium --dump-dom file://PATH` with a fresh profile, killed (its whole process group) if it hangs. */
export function dumpDom(file: string, timeoutMs = 90_000): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'runbook-chromium-'));
  return new Promise<string>((resolve, reject) => {
    // Its own process group, so a hang is ended for its helper processes too, and nothing else.
    const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(file).href], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: profile },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      reject(new Error(`chromium did not finish within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && stdout.includes('<html')) resolve(stdout);
      else reject(new Error(`chromium exited ${code}\n${stderr.slice(-2000)}`));
    });
  }).finally(() => rmSync(profile, { recursive: true, force: true }));
}
