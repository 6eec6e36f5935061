// `runbook lab up [N] | down | status`: the lab as a feature for people, like Molecule for Ansible users.
import { relative } from 'node:path';
import { labStatus, labUp } from './lab.js';
import { lightLabUp } from './light/up.js';
import { seedHosts } from './shape.js';
import { labTitle } from './names.js';
import { labDown } from './teardown.js';

export type LabCommandArgs = {
  action: 'up' | 'down' | 'status';
  /** Number of web hosts beside redis1 (web1..webN); default 2, the seed job's shape. */
  count?: number;
  /** The lab dir, `.lab` in the project by default. */
  dir: string;
  name?: string;
  subnet?: string;
  /** `--light`: sshd-only hosts behind one sshd (docs/lab.md); `count` is then the number of hosts. */
  light?: boolean;
};

/** Runs one lab action, printing human lines to `out`; resolves to the exit code. Errors are thrown for the CLI's error boundary. */
export async function labCommand(argv: LabCommandArgs, out: (line: string) => void = console.log): Promise<number> {
  const show = (p: string): string => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p) || '.');
  if (argv.action === 'up') {
    const lab = argv.light
      ? await lightLabUp({ dir: argv.dir, hosts: argv.count ?? 10, name: argv.name, subnet: argv.subnet, log: out })
      : await labUp({ dir: argv.dir, hosts: seedHosts(argv.count ?? 2), name: argv.name, subnet: argv.subnet, log: out });
    const shown = lab.hosts.length > 20 ? [...lab.hosts.slice(0, 3), ...lab.hosts.slice(-2)] : lab.hosts;
    for (const h of shown) out(`${h.name.padEnd(12)} ${h.address.padEnd(15)} ${h.groups.join(',') || '-'}`);
    if (shown.length < lab.hosts.length) out(`(${lab.hosts.length} hosts in all, ${lab.hosts[0]?.address} to ${lab.hosts.at(-1)?.address})`);
    out(`inventory:   ${show(lab.inventoryFile)}`);
    out(`known_hosts: ${show(lab.knownHostsFile)}`);
    out(`ssh:         ssh -i ${show(lab.keyFile)} -o UserKnownHostsFile=${show(lab.knownHostsFile)} root@${lab.hosts[0]?.address}`);
    if (lab.secretsFile) {
      out(`secrets:     ${show(lab.secretsFile)}`);
      out(`try:         runbook apply playbooks/site.yml -i ${show(lab.inventoryFile)}`);
    }
    out('remove with: runbook lab down');
    return 0;
  }
  if (argv.action === 'down') {
    await labDown({ dir: argv.dir, name: argv.name, log: out });
    out(`no lab left in ${show(argv.dir)}`);
    return 0;
  }
  const status = await labStatus({ dir: argv.dir });
  if (!status.lab) {
    out(`no lab in ${show(argv.dir)} (start one with: runbook lab up)`);
    return 0;
  }
  out(`${labTitle(status.lab.name)} on ${status.lab.subnet}, inventory ${show(status.lab.inventoryFile)}`);
  for (const h of status.hosts) {
    out(`${h.name.padEnd(12)} ${h.address.padEnd(15)} ${h.running ? `running (pid ${h.pid})` : 'stopped'}`);
  }
  return 0;
}
