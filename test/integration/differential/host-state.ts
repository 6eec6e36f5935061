// What the differential suite compares on a host after a run: every path under the cases' root
// (type, mode, owner, group, link target, content hash) and each case's own `state` commands.
import type { Lab } from '../lab/fixture.js';
import { onHost } from '../lab/fixture.js';
import { CASE_ROOT, type DiffCase } from './cases.js';

export type HostState = Map<string, string>;

const MARK = '@@case ';

/**
 * Backup names hold a time (and in Ansible a PID) that differ between the twin hosts; both become
 * placeholders so the comparison still sees whether a backup was made and the shape of its name.
 */
export function normalizeBackupName(line: string): string {
  return line
    .replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g, '.PID.DATE~')
    .replace(/\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g, '.DATE~');
}

function script(cases: readonly DiffCase[]): string {
  return cases
    .map((c) => {
      const dir = `${CASE_ROOT}/${c.name}`;
      const files = `cd ${dir} 2>/dev/null && find . -mindepth 1 -printf '%P %y %m %u:%g %l\\n' | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum`;
      const state = c.state ? `(cd ${dir} 2>/dev/null; ${c.state}) 2>&1` : 'true';
      return `echo '${MARK}${c.name}'\n(${files}) 2>&1\n${state}`;
    })
    .join('\n');
}

/** Each case's state as one text block, keyed by case name. */
export async function readHostState(lab: Lab, host: string, cases: readonly DiffCase[]): Promise<HostState> {
  const res = await onHost(lab, host, script(cases));
  const state: HostState = new Map();
  let current: string | undefined;
  for (const line of res.stdout.split('\n')) {
    if (line.startsWith(MARK)) {
      current = line.slice(MARK.length);
      state.set(current, '');
    } else if (current !== undefined && line !== '') {
      state.set(current, `${state.get(current)}${normalizeBackupName(line)}\n`);
    }
  }
  return state;
}
