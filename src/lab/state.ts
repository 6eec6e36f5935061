// The lab's state file: every name and PID the lab created, written before each is created, so down always works.
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFresh } from './files.js';
import type { HostNames } from './names.js';
import type { LightNames } from './light/names.js';

export type HostState = Omit<HostNames, 'host'> & {
  name: string;
  groups: string[];
  /** The container's own cgroups (see cgroups.ts), once made. */
  cgroups?: string[];
  /** systemd-nspawn's PID, once started. */
  pid?: number;
  /** The container's systemd (pid 1 inside), once up. */
  initPid?: number;
};

export type LabState = {
  version: 1;
  name: string;
  dir: string;
  subnet: string;
  bridge: string;
  bridgeAddress: string;
  root: string;
  runtimeDir: string;
  hosts: HostState[];
  /** The root variant's extra packages (a reset host gets the same root). */
  extraPackages?: string[];
  /** Set for a light lab (`lab up --light`): sshd-only hosts behind one sshd (light/). */
  light?: LightState;
};

/** What a light lab made beyond its hosts' overlays: the namespace, veth, gateway overlay and sshd. */
export type LightState = Omit<LightNames, 'base' | 'name' | 'runtimeDir'> & {
  /** The gateway sshd (the listener), once started. */
  sshdPid?: number;
};

export const STATE_FILE = 'state.json';

export async function readState(file: string): Promise<LabState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as LabState;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the state in the lab dir and a copy in the runtime dir (found by name if the lab dir was deleted). */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly state: LabState) {}

  /** Saves are queued, so hosts booting in parallel never interleave writes. */
  save(): Promise<void> {
    const snapshot = JSON.stringify(this.state, null, 2);
    const next = this.chain.then(async () => {
      for (const dir of [this.state.dir, this.state.runtimeDir]) {
        await mkdir(dir, { recursive: true });
        const tmp = join(dir, `.${STATE_FILE}.tmp`);
        await writeFresh(tmp, `${snapshot}\n`, { mode: 0o600 });
        await rename(tmp, join(dir, STATE_FILE));
      }
    });
    this.chain = next.catch(() => {});
    return next;
  }
}

export async function removeState(state: LabState): Promise<void> {
  await rm(join(state.dir, STATE_FILE), { force: true });
  await rm(join(state.runtimeDir, STATE_FILE), { force: true });
}
