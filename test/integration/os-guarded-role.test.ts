// Issue 14 item 1 on a real host: a Galaxy-style role (test/fixtures/os-guarded-role) whose
// RedHat-only include_tasks and include_role hold modules runbook does not have converges on a
// Debian lab host as it is, re-runs with changed=0, and --syntax-check warns about the RedHat files.
import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { describeRun, REPO, runbook, totalChanged, type CliRun } from './support/runbook.js';

describe('an OS-guarded Galaxy-style role on a Debian lab host', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let first: CliRun;

  const apply = (...extra: string[]): Promise<CliRun> => runbook(['apply', join(work, 'site.yml'), '-i', lab.inventoryFile, '--json', ...extra]);
  const cat = async (file: string): Promise<string> => (await onHost(lab, 'guard1', `cat ${file}`)).stdout;

  before(async function () {
    this.timeout(1_800_000);
    lab = await getLab({ hosts: [{ name: 'guard1', groups: ['web'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-os-guarded-'));
    cpSync(join(REPO, 'test/fixtures/os-guarded-role'), work, { recursive: true });
    first = await apply();
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('--syntax-check exits 0 and warns about the RedHat-only files, naming file:line:col', async () => {
    const r = await runbook(['apply', join(work, 'site.yml'), '-i', lab.inventoryFile, '--syntax-check']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/\[WARNING\]: \S+roles\/greeter\/tasks\/setup-RedHat\.yml:3:3: unknown module 'yum'/);
    expect(r.stderr).to.match(/\[WARNING\]: \S+roles\/greeter_selinux\/tasks\/main\.yml:3:3: unknown module 'seport'/);
  });

  it('converges: the Debian branch ran, the RedHat include and role were skipped, the handler fired once', async () => {
    expect(first.code, describeRun(first)).to.equal(0);
    expect(await cat('/etc/greeter/greeter.conf')).to.equal('greeting=hello\nport=7070\npackage=greeter-bin\n');
    expect(await cat('/var/lib/greeter/packages')).to.equal('greeter-bin\n');
    // mode: 0644 unquoted in the role, read as YAML 1.1 octal as Ansible reads it.
    expect((await onHost(lab, 'guard1', 'stat -c %a /etc/greeter/greeter.conf')).stdout.trim()).to.equal('644');
    expect((await cat('/var/lib/greeter/restarts')).trim().split('\n')).to.have.length(1);
    expect((await onHost(lab, 'guard1', 'test -e /var/lib/greeter-rh')).code).to.not.equal(0);
    const skipped = first.events.filter((e) => e.type === 'host_result' && e.status === 'skipped').map((e) => (e.type === 'host_result' ? e.task : ''));
    expect(skipped).to.include.members(['greeter : include_tasks', 'greeter : Configure SELinux for greeter.']);
  });

  it('a second run changes nothing, and the handler does not fire again', async () => {
    const again = await apply();
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
    expect((await cat('/var/lib/greeter/restarts')).trim().split('\n')).to.have.length(1);
  });
});
