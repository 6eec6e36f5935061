// The differential suite: the table in test/differential/cases.yml runs under ansible-playbook 2.14 and
// under runbook on twin fresh lab hosts, batched into one playbook per batch. Compared per case: each
// task's status under --check on the fresh host, on the first run and on the second run, and the host
// state afterwards; --check must leave both hosts as they were. Differences listed in
// test/differential/accepted.yml (mirrored in docs/ansible-compat.md) are allowed.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { batchPlaybook, batches, loadAccepted, loadCases, setupScript, type DiffCase } from './differential/cases.js';
import { compareStates, compareStatuses, isAccepted, staleAccepted, type Difference } from './differential/compare.js';
import { readHostState } from './differential/host-state.js';
import { ansibleAvailable, runAnsible, runRunbook, writeInventory, type ToolRun } from './differential/tools.js';

const TWINS = [{ name: 'ans', groups: [] }, { name: 'rb', groups: [] }];
// Ansible's modules need python3 on the host, apt's python3-apt; both come from the lab repo.
const HOST_PACKAGES = ['python3', 'python3-apt'];

describe('differential: runbook against ansible-playbook on twin hosts', function () {
  this.timeout(2_400_000);
  const cases = loadCases();
  const accepted = loadAccepted(cases);
  const found: Difference[] = [];
  /** Broken promises that are not differences between the tools: --check changed a host. */
  const checkChanged = new Map<string, string>();
  let work: string;
  let lab: Lab;

  before(async function () {
    if (!ansibleAvailable()) {
      console.log('      ansible-playbook not found: the differential suite is skipped (apt-get install ansible)');
      this.skip();
    }
    const started = Date.now();
    lab = await getLab({ hosts: TWINS, extraPackages: HOST_PACKAGES });
    work = mkdtempSync(join(tmpdir(), 'runbook-diff-'));
    const address = (name: string) => lab.hosts.find((h) => h.name === name)!.address;
    const inventory = { ansible: join(work, 'ansible.yml'), runbook: join(work, 'runbook.yml') };
    writeInventory(lab, 'ansible', address('ans'), inventory.ansible);
    writeInventory(lab, 'runbook', address('rb'), inventory.runbook);
    mkdirSync(join(work, 'ansible-home'));
    // The table is Ansible content: its {{ }} values are Jinja2 for runbook too (Ansible ignores runbook.cfg).
    writeFileSync(join(work, 'runbook.cfg'), '[defaults]\ntemplate_dialect = jinja2\n');

    for (const [index, batch] of batches(cases).entries()) {
      if (index > 0) await Promise.all(TWINS.map((t) => resetHost(lab, t.name)));
      await runBatch(batch, index, inventory);
    }
    console.log(`      ${cases.length} cases in ${batches(cases).length} batch(es): ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  async function runBatch(batch: DiffCase[], index: number, inventory: { ansible: string; runbook: string }): Promise<void> {
    const playbook = join(work, `batch${index}.yml`);
    writeFileSync(playbook, stringify(batchPlaybook(batch)));
    for (const c of batch) {
      for (const [name, content] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(work, name)), { recursive: true });
        writeFileSync(join(work, name), content);
      }
    }
    for (const host of ['ans', 'rb']) {
      const setup = await onHost(lab, host, setupScript(batch));
      if (setup.code !== 0) throw new Error(`setup on ${host} failed: ${setup.stderr}`);
    }
    const snapshot = () => Promise.all([readHostState(lab, 'ans', batch), readHostState(lab, 'rb', batch)]);
    const bothRaw = (check: boolean) =>
      Promise.all([
        timed(`ansible${check ? ' --check' : ''}`, () => runAnsible(playbook, inventory.ansible, check, join(work, 'ansible-home'))),
        timed(`runbook${check ? ' --check' : ''}`, () => runRunbook(playbook, inventory.runbook, check)),
      ]);

    // A tool that ran none of the table (bad playbook, no connection) would otherwise compare equal to another such.
    const both = async (check: boolean) => {
      const runs = await bothRaw(check);
      for (const [i, tool] of (['ansible', 'runbook'] as const).entries()) {
        if (runs[i].statuses.size === 0) throw new Error(`${tool}${check ? ' --check' : ''} ran no task (exit ${runs[i].code}):\n${runs[i].detail}`);
      }
      return runs;
    };
    const fresh = await snapshot();
    const check = await both(true);
    const afterCheck = await snapshot();
    for (const c of batch) {
      for (const [i, tool] of (['ansible', 'runbook'] as const).entries()) {
        if (fresh[i].get(c.name) !== afterCheck[i].get(c.name)) checkChanged.set(c.name, `${tool} --check changed the host:\n${afterCheck[i].get(c.name)}`);
      }
    }
    const first = await both(false);
    const second = await both(false);
    const [ansState, rbState] = await snapshot();
    found.push(
      ...compareStatuses('check', batch, check[0].statuses, check[1].statuses),
      ...compareStatuses('first', batch, first[0].statuses, first[1].statuses),
      ...compareStatuses('second', batch, second[0].statuses, second[1].statuses),
      ...compareStates(batch, ansState, rbState),
    );
    if (process.env.RUNBOOK_DIFF_VERBOSE) logRuns({ check, first, second });
  }

  async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const out = await fn();
    if (process.env.RUNBOOK_DIFF_VERBOSE) console.log(`      ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  }

  function logRuns(runs: Record<string, [ToolRun, ToolRun]>): void {
    for (const [phase, [a, r]] of Object.entries(runs)) console.log(`--- ${phase}\nansible exit ${a.code}: ${a.detail}\nrunbook exit ${r.code}: ${r.detail}`);
  }

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, () => {
      expect(checkChanged.get(c.name), '--check must not change a host').to.equal(undefined);
      const unexpected = found.filter((d) => d.case === c.name && !isAccepted(d, accepted));
      expect(unexpected.map((d) => `${d.aspect}: ${d.detail}`), 'differences not listed in test/differential/accepted.yml').to.deep.equal([]);
    });
  }

  it('accepted.yml lists only differences that still occur', () => {
    const stale = staleAccepted(accepted, found, new Set(cases.map((c) => c.name)));
    // A fix landing elsewhere must not turn this suite red; it says which entries to remove.
    for (const a of stale) console.log(`      accepted.yml: ${a.case} ${a.aspect} no longer differs: remove the entry (${a.kind})`);
    expect(stale.filter((a) => a.kind === 'deliberate'), 'deliberate differences that no longer occur').to.deep.equal([]);
  });
});
