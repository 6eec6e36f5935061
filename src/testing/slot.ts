// Picks a lab name and subnet no other `runbook test` (or a kept one) is using: test labs rtN on
// 10.79.N.0/24, apart from `runbook lab` (10.77.0.0/24) and the integration tests' labs (10.78.N.0/24).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../lab/exec.js';
import { RUNTIME_DIR } from '../lab/names.js';
import { linkExists } from '../lab/network.js';
import { processAlive } from '../lab/procs.js';

const SLOTS = 255;

export interface LabSlot {
  name: string;
  subnet: string;
  /** Gives the slot back (the lab itself must be down, or kept on purpose). */
  release(): void;
}

/**
 * The first free slot from RUNBOOK_TEST_LAB_INDEX (0 by default), so parallel test runs that set
 * it differently rarely even meet. A slot is taken while its lab runs (its runtime folder or bridge
 * is there) or while a live process holds its claim file, created exclusively.
 */
export async function claimSlot(env: NodeJS.ProcessEnv = process.env): Promise<LabSlot> {
  const start = Math.abs(Number(env.RUNBOOK_TEST_LAB_INDEX ?? 0) || 0) % SLOTS;
  mkdirSync(RUNTIME_DIR, { recursive: true });
  for (let k = 0; k < SLOTS; k++) {
    const i = (start + k) % SLOTS;
    const name = `rt${i}`;
    if (existsSync(join(RUNTIME_DIR, name)) || (await linkExists(`rb-${name}`))) continue;
    const claim = join(RUNTIME_DIR, `${name}.claim`);
    if (existsSync(claim)) {
      const owner = Number(readFileSync(claim, 'utf8').trim());
      if (owner && processAlive(owner)) continue;
      rmSync(claim, { force: true });
    }
    try {
      writeFileSync(claim, String(process.pid), { flag: 'wx' });
    } catch {
      continue;
    }
    return { name, subnet: `10.79.${i}.0/24`, release: () => rmSync(claim, { force: true }) };
  }
  throw new LabError('no free lab slot for runbook test (rt0..rt254 all in use)', undefined, 'remove kept test labs with runbook lab down --dir DIR');
}
