// The command line: Ansible's flags and words, one synopsis (docs/command-line.md).
import { Command } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Compiled: dist/src/cli; run from source (tsx, the unit tests): src/cli.
const pkg = require(import.meta.url.includes('/dist/') ? '../../../package.json' : '../../package.json') as { version: string };

/** Repeatable options start unset rather than at [], so --help shows no "(default: [])"; apply reads unset as none. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number of at least 1, got '${value}'`);
  return n;
}

export function buildProgram(): Command {
  const program = new Command('runbook')
    .description('An Ansible-style declarative runner: YAML playbooks, roles, Handlebars templates, parallel SSH.')
    .version(pkg.version, '--version')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('apply')
    .description('run a playbook against the hosts of an inventory')
    .argument('<playbook>', 'playbook file (YAML)')
    .option('-i, --inventory <path>', 'inventory file (YAML, INI), directory, or host list (web1,web2,); repeatable', collect)
    .option('-C, --check', "don't change anything; report what would change")
    .option('-D, --diff', 'show a unified diff for each file that changes')
    .option('-l, --limit <pattern>', 'limit to hosts matching this pattern')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated)', collect)
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', collect)
    .option('-f, --forks <n>', 'hosts worked on in parallel (default 20)', positiveInt)
    .option('--probe-batch <n>', "read a host for up to n tasks in one command (default 50; 1: one command per task's probe)", positiveInt)
    .option('-e, --extra-vars <vars>', 'key=value pairs, YAML/JSON, or @file (repeatable)', collect)
    .option('-u, --user <user>', 'connect as this user')
    .option('--private-key <file>', 'SSH private key file')
    .option('-b, --become', 'run operations with sudo')
    .option('--become-user <user>', 'sudo to this user (default root)')
    .option('--become-method <method>', 'sudo (default) or su')
    .option('-k, --ask-pass', 'ask for the SSH password (no echo)')
    .option('-K, --ask-become-pass', 'ask for the sudo password (no echo)')
    .option('--known-hosts <file>', 'known_hosts file to verify host keys against')
    .option('--roles-path <dirs>', 'extra role directories (colon-separated)')
    .option('--wait-lock', 'wait for another run holding a host\'s lock to finish, instead of failing that host')
    .option('--json', 'print only JSON events on stdout, one per line')
    .option('--report <file>', 'write an HTML report of the run (timeline, recap, diffs; secrets masked) to this file')
    .option('-v, --verbose', 'more output (-vv, -vvv for more)', (_v: string, prev: number) => prev + 1, 0)
    .option('--vault-password-file <file>', 'file holding the vault password (or an executable printing it)')
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .option('--syntax-check', 'check the playbook, inventory and roles, then stop')
    .option('--list-hosts', 'list the hosts each play would run on, then stop')
    .option('--list-tasks', 'list the tasks of each play, then stop')
    .option('--list-tags', 'list the tags of each play, then stop')
    .option('--start-at-task <name>', 'skip the tasks before the first one with this name (or "role : name"; * wildcards)')
    .option('--force-handlers', 'run notified handlers even on hosts that failed')
    .option('--step', 'ask before each task: (N)o, (y)es, (c)ontinue')
    .option('--queue <url>', 'hand the run to workers through Redis: redis://[user@]host:port[/db] or rediss:// (docs/distributed.md)')
    .option('--queue-password-file <file>', "file holding the queue's Redis password (or RUNBOOK_QUEUE_PASSWORD)")
    .option('--queue-chunk <n>', 'hosts per queue job (default 1; more keeps the task barrier and run_once within each job)', positiveInt)
    .action(async (playbook: string, opts: Record<string, unknown>) => {
      const { applyCommand } = await import('./apply.js');
      process.exitCode = await applyCommand(playbook, opts);
    });

  program
    .command('doc')
    .description("a module's arguments, return values, check mode and examples (as ansible-doc)")
    .argument('[module]', 'module name, e.g. copy or ansible.builtin.copy')
    .option('-l, --list', 'list every module')
    .option('-k, --keyword <keyword>', 'explain a play or task keyword, e.g. when')
    .action(async (module: string | undefined, opts: { list?: boolean; keyword?: string }) => {
      const { docCommand } = await import('./doc.js');
      process.exitCode = docCommand(module, opts);
    });

  program
    .command('init')
    .description("start a role or a project with the standard layout and a test scenario (as ansible-galaxy init)")
    .argument('<kind>', 'role | project')
    .argument('<name>', 'role name, or project directory')
    .option('-p, --path <dir>', 'where to create the role (default: the current directory)')
    .action(async (kind: string, name: string, opts: { path?: string }) => {
      const { initCommand } = await import('./init.js');
      process.exitCode = initCommand(kind, name, opts);
    });

  program
    .command('test')
    .description('try a role or playbook on throwaway lab hosts: check, converge, idempotence, verify, destroy (as Molecule)')
    .argument('[path]', 'a role folder, a folder with runbook-test.yml, or a playbook (default: the current folder)')
    .option('--keep', 'leave the lab hosts running and print how to reach them')
    .option('--only <stage>', 'run only this stage (and what it needs): check | converge | idempotence | verify')
    .option('--junit <file>', 'write the result as JUnit XML, for CI')
    .option('--json <file>', 'write the result as JSON')
    .action(async (path: string | undefined, opts: { keep?: boolean; only?: string; junit?: string; json?: string }) => {
      const { testCommand } = await import('./test.js');
      process.exitCode = await testCommand(path, opts);
    });

  program
    .command('compat')
    .description('a porting report: every task, template or keyword of an Ansible tree runbook cannot run, and why')
    .argument('[path]', 'a role, a roles/ folder or a project with playbooks (default: the current folder)')
    .option('--json', 'the report as JSON')
    .action(async (path: string | undefined, opts: { json?: boolean }) => {
      const { compatCommand } = await import('./compat.js');
      process.exitCode = compatCommand(path, opts);
    });

  program
    .command('roles')
    .description('install roles from a requirements.yml (git URLs, tarballs, folders), pinned, as ansible-galaxy does')
    .argument('<action>', 'install')
    .option('-r, --role-file <file>', 'the requirements file (a list of roles, or a roles: key)')
    .option('-p, --roles-path <dir>', "where to install (default: runbook.cfg's first roles_path, else ./roles)")
    .option('--force', 'reinstall roles that are already installed at their version')
    .action(async (action: string, opts: { roleFile?: string; rolesPath?: string; force?: boolean }) => {
      const { rolesCommand } = await import('./roles.js');
      process.exitCode = await rolesCommand(action, opts);
    });

  program
    .command('completion')
    .description('print the shell completion script: source <(runbook completion bash)')
    .argument('<shell>', 'bash | zsh | fish')
    .action(async (shell: string) => {
      const { completionScript } = await import('./completion/scripts.js');
      process.stdout.write(completionScript(shell));
    });

  program
    .command('vault')
    .description('encrypt, decrypt, view or edit a vars file (runbook vault format; Ansible Vault files are read too)')
    .argument('<action>', 'encrypt | decrypt | view | edit')
    .argument('<file>', 'the file')
    .option('--vault-password-file <file>', 'file holding the vault password (or an executable printing it)')
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .action(async (action: string, file: string, opts: { vaultPasswordFile?: string; askVaultPass?: boolean }) => {
      const { vaultCliCommand } = await import('./vault.js');
      process.exitCode = await vaultCliCommand(action, file, opts);
    });

  program
    .command('lab')
    .description('throwaway lab hosts (systemd-nspawn + network namespaces), as Molecule gives Ansible users')
    .argument('<action>', 'up | down | status')
    .argument('[count]', 'number of web hosts beside redis1 (up only)')
    .option('--dir <dir>', 'where the lab writes inventory, keys and state', '.lab')
    .option('--light', 'sshd-only hosts behind one sshd, up to 1,012 of them (host1..hostN, no systemd; docs/lab.md)')
    .option('--hosts <n>', 'number of light hosts (with --light; default 10)')
    .option('--subnet <cidr>', 'the lab subnet: a /24 (default 10.77.0.0/24), or a /22 with --light (default 10.81.0.0/22)')
    .action(async (action: string, count: string | undefined, opts: { dir: string; light?: boolean; hosts?: string; subnet?: string }) => {
      const { labCliCommand } = await import('./lab.js');
      process.exitCode = await labCliCommand(action, count, opts);
    });

  program
    .command('worker')
    .description('run jobs from a queue until SIGTERM: the workers of `apply --queue` (docs/distributed.md)')
    .requiredOption('--queue <url>', 'redis://[user@]host:port[/db] or rediss:// (password: RUNBOOK_QUEUE_PASSWORD or --queue-password-file)')
    .option('--queue-password-file <file>', "file holding the queue's Redis password")
    .option('-c, --concurrency <n>', 'jobs (hosts) worked on at once (default 4)', positiveInt)
    .option('--drivers <n>', 'runs driven at once, beside the jobs (default 4; a driver only waits on Redis)', positiveInt)
    .option('--name <name>', 'this worker\'s name in results and reports (default HOST:PID)')
    .option('--stall-seconds <n>', 'a worker silent this long loses its jobs to another (default 10)', positiveInt)
    .option('--vault-password-file <file>', 'file holding the vault password (or RUNBOOK_VAULT_PASSWORD)')
    .option('--private-key <file>', 'SSH private key file (the inventory\'s own wins)')
    .option('--known-hosts <file>', 'known_hosts file to verify host keys against')
    .option('--cache-dir <dir>', 'where bundles are unpacked (default ~/.cache/runbook/bundles)')
    .action(async (opts: Record<string, unknown>) => {
      const { workerCommand } = await import('./worker.js');
      process.exitCode = await workerCommand(opts);
    });

  program
    .command('runs')
    .description('list the runs a queue holds, running and recent ones, newest first (docs/distributed.md)')
    .requiredOption('--queue <url>', 'redis://[user@]host:port[/db] or rediss:// (password: RUNBOOK_QUEUE_PASSWORD or --queue-password-file)')
    .option('--queue-password-file <file>', "file holding the queue's Redis password")
    .option('--limit <n>', 'runs shown at most (default 20)', positiveInt)
    .option('--keep <n>', 'runs the index keeps; older ones are pruned with their keys (default 100)', positiveInt)
    .option('--keep-days <n>', 'days the index keeps a run (default 7)', positiveInt)
    .option('--json', 'one JSON object per run, one per line')
    .action(async (opts: Record<string, unknown>) => {
      const { runsCommand } = await import('./runs.js');
      process.exitCode = await runsCommand(opts);
    });

  program
    .command('follow')
    .description("reattach to a queued run: its output from the start, live while it runs, its recap and exit code (docs/distributed.md)")
    .argument('<run>', 'the run id (`runbook runs` lists them)')
    .requiredOption('--queue <url>', 'redis://[user@]host:port[/db] or rediss:// (password: RUNBOOK_QUEUE_PASSWORD or --queue-password-file)')
    .option('--queue-password-file <file>', "file holding the queue's Redis password")
    .option('--json', 'print only JSON events on stdout, one per line')
    .action(async (run: string, opts: Record<string, unknown>) => {
      const { followCommand } = await import('./runs.js');
      process.exitCode = await followCommand(run, opts);
    });

  return program;
}
