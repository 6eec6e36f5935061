// A new user's path, with commands taken from the fenced code blocks of README.md and the pages it
// links (so the test breaks when the docs drift): the quick start's converge, a role of their own
// scaffolded and tested on lab hosts, and a module looked up in the terminal.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { getModule } from '../../src/modules/registry.js';
import { SEED_APPLY } from './support/seed-apply.js';
import { REPO, runbook } from './support/runbook.js';

const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console']);

/** README.md and every Markdown page of this repository reachable from it by links, in reading order. */
function pagesFromReadme(): string[] {
  const seen = [join(REPO, 'README.md')];
  for (let i = 0; i < seen.length; i++) {
    const page = seen[i]!;
    for (const m of readFileSync(page, 'utf8').matchAll(/\]\(([^)#\s:]+\.md)(?:#[^)]*)?\)/g)) {
      const target = join(dirname(page), m[1]!);
      if (!seen.includes(target) && existsSync(target) && !relative(REPO, target).startsWith('..')) seen.push(target);
    }
  }
  return seen;
}

/** The command lines of a page's shell blocks: `$ ` prompts and trailing `# comments` removed, output lines dropped. */
function commandLines(page: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const raw of readFileSync(page, 'utf8').split('\n')) {
    const open = /^```(\S*)/.exec(raw);
    if (open) {
      fence = fence === undefined ? open[1]! : undefined;
      continue;
    }
    if (fence === undefined || !SHELL_FENCES.has(fence)) continue;
    const line = raw.replace(/^\$ /, '').replace(/\s+#.*$/, '').trim();
    if (/^(npx |bash |runbook )/.test(line)) lines.push(line);
  }
  return lines;
}

/** `npx runbook ARGS` or `runbook ARGS` as the argv the CLI gets; placeholders (MODULE, [--flag]) are refused. */
function runbookArgv(command: string): string[] {
  const words = command.split(/\s+/);
  const argv = words[0] === 'npx' ? words.slice(2) : words.slice(1);
  expect(words[0] === 'npx' ? words[1] : words[0], command).to.equal('runbook');
  for (const w of argv) expect(w, `a placeholder in "${command}": the docs should give a command a user can paste`).not.to.match(/^[A-Z]+$|[[\]|]/);
  return argv;
}

/** The first command line of `pages` that matches `pattern`; the failure names the pages searched. */
function findCommand(pages: string[], pattern: RegExp): string {
  for (const page of pages) {
    const hit = commandLines(page).find((l) => pattern.test(l));
    if (hit) return hit;
  }
  throw new Error(`no command matching ${pattern} in the code blocks of ${pages.map((p) => relative(REPO, p)).join(', ')}`);
}

describe('a new user follows the README (fresh clone to converged lab, own tested role, module doc)', function () {
  this.timeout(600_000);
  const readme = join(REPO, 'README.md');
  const pages = pagesFromReadme();
  let project: string;

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'runbook-user-path-'));
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('reaches getting started, testing roles and the command-line tools from the README by links', () => {
    const reached = pages.map((p) => relative(REPO, p));
    for (const page of ['docs/getting-started.md', 'docs/testing-roles.md', 'docs/cli.md']) expect(reached, page).to.include(page);
  });

  it("the quick start is set-up, lab up, then the apply that seed-job.test.ts converges on lab hosts", () => {
    const quickStart = findCommand([readme], /runbook lab up/);
    const steps = quickStart.split('&&').map((s) => s.trim());
    expect(steps, quickStart).to.have.length(3);
    expect(steps[0]).to.equal('bash .ci/setup');
    expect(existsSync(join(REPO, '.ci/setup')), '.ci/setup').to.equal(true);
    // `runbook lab up` always makes the one `.lab` on 10.77.0.0/24 and cannot take a test lab's name
    // or subnet, so tests start their labs with test/integration/lab/fixture.ts (lab.test.ts covers
    // `lab up` itself) and pass that lab's inventory with -i: the only part of the commands substituted.
    expect(runbookArgv(steps[1]!)).to.deep.equal(['lab', 'up']);
    // Not converged a second time here: seed-job.test.ts runs this very argv (SEED_APPLY) plus -i on a
    // fresh lab of the same hosts and proves the result; a second converge would double the most
    // expensive step of the suite (20-25 s quiet, minutes on a busy 2-core machine) to prove nothing more.
    expect(runbookArgv(steps[2]!), 'README apply command vs the one seed-job.test.ts converges').to.deep.equal([...SEED_APPLY]);
  });

  it('runbook init role, then runbook test on it, as the README gives them: every stage passes', async () => {
    const init = runbookArgv(findCommand([readme], /runbook init role /));
    const test = runbookArgv(findCommand([readme], /runbook test /));
    const created = await runbook(init, { cwd: project });
    expect(created.code, `runbook ${init.join(' ')}\n${created.stdout}${created.stderr}`).to.equal(0);
    const run = await runbook(test, { cwd: project });
    expect(run.code, `runbook ${test.join(' ')}\n${run.stdout}${run.stderr}`).to.equal(0);
    const summary = run.stdout.slice(run.stdout.lastIndexOf('RUNBOOK TEST'));
    for (const stage of ['create', 'check', 'converge', 'idempotence', 'verify', 'destroy']) {
      expect(summary, stage).to.match(new RegExp(`^  ${stage} +passed$`, 'm'));
    }
  });

  it('runbook doc MODULE from the linked pages prints every argument of that module', async () => {
    const argv = runbookArgv(findCommand(pages, /^(npx )?runbook doc [a-z][\w.]*$/));
    const module = getModule(argv[1]!);
    expect(module, argv.join(' ')).not.to.equal(undefined);
    const run = await runbook(argv);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^ARGUMENTS$/m);
    for (const arg of module!.argNames) expect(run.stdout, arg).to.match(new RegExp(`^  ${arg} \\(`, 'm'));
  });
});
