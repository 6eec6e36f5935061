// Gives a test a bare host again quickly: the same name, address and host keys on a fresh overlay.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeCgroups } from './cgroups.js';
import { LabError } from './exec.js';
import { removeHostFiles, stopHosts, unmountHost } from './host.js';
import { withLock } from './lock.js';
import { RUNTIME_DIR, labTitle } from './names.js';
import { removeHostNet } from './network.js';
import { ensureRoot, type Log } from './root.js';
import type { Lab, LabHost } from './shape.js';
import { hostSetup, startHost } from './start.js';
import { STATE_FILE, StateWriter, readState } from './state.js';

/** Replaces one host by a fresh, bare one (same name, address and host keys) in a few seconds. */
export async function labResetHost(lab: Pick<Lab, 'dir' | 'name'>, host: string, log: Log = () => {}): Promise<LabHost> {
  return withLock(join(RUNTIME_DIR, `${lab.name}.lock`), async () => {
    const state = await readState(join(lab.dir, STATE_FILE));
    const h = state?.hosts.find((x) => x.name === host);
    if (!state || !h) throw new LabError(`${labTitle(lab.name)} in ${lab.dir} has no host ${host}`);
    const writer = new StateWriter(state);
    await stopHosts([h]);
    await unmountHost(h);
    await removeHostNet(h.netns, h.veth);
    await removeHostFiles(h, false);
    await removeCgroups(h.cgroups ?? []);
    delete h.pid;
    delete h.initPid;
    await writer.save();
    if (!existsSync(state.root)) state.root = await ensureRoot(log, state.extraPackages);
    try {
      await startHost(writer, h, await hostSetup(state), log);
    } catch (err) {
      await stopHosts([h]).catch(() => {});
      throw err;
    }
    return { name: h.name, groups: h.groups, address: h.address, pid: h.pid ?? 0 };
  });
}
