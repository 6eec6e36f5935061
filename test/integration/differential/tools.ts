// Runs one batch playbook with ansible-playbook or with runbook against host `target`, and reduces
// each run to one status per task, the way both tools' recaps count it.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Lab } from '../lab/fixture.js';
import { runbook } from '../support/runbook.js';

/** A run that hangs is killed (and then reaches no further task) rather than stalling the suite. */
const RUN_TIMEOUT_MS = 600_000;

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped';
export type StatusMap = Map<string, TaskStatus>;
export type Tool = 'ansible' | 'runbook';

export interface ToolRun {
  code: number;
  statuses: StatusMap;
  /** Whatever helps a reader when statuses differ: messages per failed task, the tool's stderr. */
  detail: string;
}

export function ansibleAvailable(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** An inventory naming the twin host `target` for this tool, so both tools see the same inventory_hostname. */
export function writeInventory(lab: Lab, tool: Tool, address: string, file: string): void {
  const vars: Record<string, unknown> = { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile };
  if (tool === 'ansible') {
    vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes`;
    vars.ansible_python_interpreter = '/usr/bin/python3';
  } else {
    vars.ssh_known_hosts_file = lab.knownHostsFile;
  }
  writeFileSync(file, stringify({ all: { vars, hosts: { target: { ansible_host: address } } } }));
}

/** Worst status wins for a task seen several times (loop items): failed, changed, ok, skipped. */
function merge(a: TaskStatus | undefined, b: TaskStatus): TaskStatus {
  const rank: TaskStatus[] = ['skipped', 'ok', 'changed', 'failed'];
  return a === undefined || rank.indexOf(b) > rank.indexOf(a) ? b : a;
}

export async function runRunbook(playbook: string, inventory: string, check: boolean): Promise<ToolRun> {
  const run = await runbook(['apply', playbook, '-i', inventory, '--json', ...(check ? ['--check'] : [])], { timeoutMs: RUN_TIMEOUT_MS });
  const statuses: StatusMap = new Map();
  const notes: string[] = [];
  for (const e of run.events) {
    if (e.type !== 'host_result') continue;
    const status: TaskStatus = e.status === 'unreachable' ? 'failed' : e.status;
    statuses.set(e.task, merge(statuses.get(e.task), status));
    if (status === 'failed') notes.push(`${e.task}: ${e.msg ?? ''}`);
  }
  const last = run.events.filter((e) => e.type === 'host_result').at(-1);
  return { code: run.code, statuses, detail: `${notes.join('\n')}\nlast result: ${last && 'task' in last ? last.task : 'none'}\n${run.stderr}` };
}

interface AnsibleHostResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  unreachable?: boolean;
  msg?: string;
  results?: AnsibleHostResult[];
}
interface AnsibleJson {
  plays?: { tasks: { task: { name: string }; hosts: Record<string, AnsibleHostResult> }[] }[];
}

function ansibleStatus(r: AnsibleHostResult): TaskStatus {
  const items = r.results ?? [];
  if (r.failed || r.unreachable || items.some((i) => i.failed)) return 'failed';
  if (r.changed || items.some((i) => i.changed)) return 'changed';
  if (r.skipped || (items.length > 0 && items.every((i) => i.skipped))) return 'skipped';
  return 'ok';
}

/** ansible-playbook with the json callback; its own state (~/.ansible, temp files) kept under `home`. */
export function runAnsible(playbook: string, inventory: string, check: boolean, home: string): Promise<ToolRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_HOME: home,
    ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
    ANSIBLE_PIPELINING: 'True',
    // Ansible's default ssh_args without -C: compressing a loopback connection only costs CPU.
    ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=60s',
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_DEPRECATION_WARNINGS: 'False',
  };
  const args = [playbook, '-i', inventory, ...(check ? ['--check'] : [])];
  return new Promise((resolve, reject) => {
    // Run beside the playbook, so no ansible.cfg of the caller's folder applies.
    const child = spawn('ansible-playbook', args, { env, cwd: dirname(playbook), timeout: RUN_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const statuses: StatusMap = new Map();
      const notes: string[] = [];
      const start = stdout.indexOf('{');
      try {
        const json = JSON.parse(start >= 0 ? stdout.slice(start) : '{}') as AnsibleJson;
        for (const play of json.plays ?? []) {
          for (const t of play.tasks) {
            const r = t.hosts.target;
            if (!r) continue;
            const status = ansibleStatus(r);
            statuses.set(t.task.name, merge(statuses.get(t.task.name), status));
            if (status === 'failed') notes.push(`${t.task.name}: ${r.msg ?? r.results?.find((i) => i.failed)?.msg ?? ''}`);
          }
        }
      } catch (err) {
        notes.push(`unparsable ansible output: ${String(err)}\n${stdout.slice(0, 2000)}`);
      }
      resolve({ code: code ?? -1, statuses, detail: `${notes.join('\n')}\n${stderr}` });
    });
  });
}
