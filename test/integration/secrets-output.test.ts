// Secrets in runbook's own output, on a real host through the real CLI: a become password given with
// -e, what templates derive from it (b64encode, upper, lower, quote, json), and the text of files that
// hold a secret or only their owner may read (a rotated key), under -D with and without --check.
// Every output is searched: the terminal (stdout and stderr), --json lines and the --report page.
// And host output with terminal escapes reaches the terminal as visible text, raw only in --json.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { runbook, type CliRun } from './support/runbook.js';

const SECRET = 'Bec0me-Pw+x/y=z!';
const OLD_KEY = 'OLD-PRIVATE-KEY-5f3a9c';
const OLD_TOKEN = 'old-token-value-77d1e2';

/** Every spelling of the secret the helpers can produce, and the old file texts that must stay unseen. */
function leaks(): string[] {
  const b64 = Buffer.from(SECRET).toString('base64');
  return [SECRET, SECRET.toUpperCase(), SECRET.toLowerCase(), b64, b64.replace(/=+$/, ''), Buffer.from(SECRET.toUpperCase()).toString('base64'),
    JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), OLD_KEY, OLD_TOKEN];
}

describe('secrets in output (terminal, --json, --report)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 's1', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-secrets-out-'));
    inventory = join(work, 'inventory.yml');
    const h = lab.hosts[0]!;
    writeFileSync(inventory, stringify({
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        children: { app: { hosts: { [h.name]: { ansible_host: h.address } } } },
      },
    }));
    writeFileSync(join(work, 'site.yml'), stringify([{
      hosts: 'app',
      gather_facts: false,
      tasks: [
        // A token file rotated to the secret: its old text must not show either.
        { name: 'token', copy: { dest: '/root/token.txt', content: '{{ansible_become_password}}\n', mode: '0644' } },
        // A key only root may read, rotated to a text that is no known secret: private, so hidden too.
        { name: 'key', copy: { dest: '/root/id_key', content: 'NEW-KEY-material\n', mode: '0600' } },
        { name: 'derived', debug: { msg: 'b64={{b64encode ansible_become_password}} up={{upper ansible_become_password}} low={{lower ansible_become_password}} q={{quote ansible_become_password}} j={{json ansible_become_password}} b64up={{b64encode (upper ansible_become_password)}}' } },
        { name: 'var', debug: { var: 'ansible_become_password' } },
        { name: 'fail so that a resume command is printed', command: '/bin/false', check_mode: false },
      ],
    }]));
  });

  /** The files as they were before the rotation. */
  async function oldFiles(): Promise<void> {
    const r = await onHost(lab, 's1', `umask 077; printf '%s\\n' ${OLD_KEY} > /root/id_key; printf '%s\\n' ${OLD_TOKEN} > /root/token.txt; chmod 644 /root/token.txt`);
    expect(r.code, r.stderr).to.equal(0);
  }

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function search(run: CliRun, report: string, label: string): void {
    const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr, report };
    for (const [where, text] of Object.entries(outputs)) {
      for (const leak of leaks()) expect(text.includes(leak), `${label}: ${where} shows ${JSON.stringify(leak)}:\n${text.slice(0, 4000)}`).to.equal(false);
    }
  }

  it('host output with terminal escapes is shown escaped on the terminal and kept raw in --json', async () => {
    const file = join(work, 'escapes.yml');
    // ESC sequences (colour, window title), a carriage return and a bidi override, then a failure so the output is printed.
    writeFileSync(file, stringify([{ hosts: 'app', gather_facts: false, tasks: [
      { name: 'noisy', shell: "printf 'A\\033[31mRED\\033]0;pwned\\007 x\\rY \\342\\200\\256Z\\n'; exit 3" },
    ] }]));
    const human = await runbook(['apply', file, '-i', inventory]);
    expect(human.code).to.equal(2);
    expect(human.stdout).to.include('A\\x1b[31mRED\\x1b]0;pwned\\x07 x\\x0dY \\u202eZ');
    expect(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/.test(human.stdout + human.stderr), JSON.stringify(human.stdout)).to.equal(false);
    const json = await runbook(['apply', file, '-i', inventory, '--json']);
    const r = json.events.find((e) => e.type === 'host_result' && e.status === 'failed');
    expect(r && r.type === 'host_result' ? r.stdout : '').to.equal('A\x1b[31mRED\x1b]0;pwned\x07 x\rY \u202eZ\n');
  });

  for (const mode of [['--check'], []]) {
    const label = mode.length ? '-D --check' : '-D';
    it(`${label}: no form of -e ansible_become_password and no old text of a secret or private file, anywhere`, async () => {
      for (const json of [false, true]) {
        await oldFiles();
        const report = join(work, `report-${json}-${mode.length}.html`);
        const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '-D', ...mode, '-e', `ansible_become_password=${SECRET}`,
          '--report', report, ...(json ? ['--json'] : [])]);
        expect(run.code, run.stderr).to.equal(2);
        const page = readFileSync(report, 'utf8');
        search(run, page, `${label}${json ? ' --json' : ''}`);
        const out = run.stdout + run.stderr;
        // The diffs still say that the files change.
        if (json) {
          const hidden = run.events.flatMap((e) => (e.type === 'host_result' ? (e.diffs ?? []) : [])).map((d) => `${d.path}: ${d.hidden ?? 'shown'}`);
          expect(hidden).to.include.members(['/root/token.txt: the file will hold a secret', '/root/id_key: only its owner may read the file']);
        } else {
          expect(out).to.match(/token\.txt[\s\S]*the file changed; its content is not shown: the file will hold a secret/);
          expect(out).to.match(/id_key[\s\S]*the file changed; its content is not shown: only its owner may read the file/);
        }
        expect(page).to.include('its content is not shown');
        // The resume command leaves the password out and says so.
        expect(out).to.match(/left out -e with a value holding a secret/);
      }
    });
  }
});
