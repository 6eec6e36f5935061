// sysctl plans from a canned sysctl file and running value: a table of arguments and host state
// mapped to what ansible.posix.sysctl would do (sysctl -w, the file rewritten, sysctl -p), or nothing.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseSysctlArgs, planSysctl, rewriteSysctl, sysctlModule, sysctlValue } from '../../../../src/modules/system/sysctl.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { planOnly } from '../lib/local.js';
import { loc } from './fixtures/context.js';

/** The probe's output: the file's text (null: no file) and the running value (null: sysctl could not read it). */
function host(file: string | null, live: string | null): ExecResult {
  const stat = file === null ? '' : `stat=regular file|644|0|0|root|root|${file.length}|1700000000\nreadable=1\nwritable=1\n`;
  const parts: Record<string, string> = {
    file: `parent=dir\n${stat}`,
    'file.content': file === null ? '' : `read\n${Buffer.from(file).toString('base64')}\n`,
    live: live === null ? 'rc=255\nvalue=\n' : `rc=0\nvalue=${live}\n`,
  };
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const CONF = '# kernel settings\nnet.ipv4.ip_forward = 0\n  vm.swappiness=10\n';

/** [what, args, file, live value, the new file (null: not written), sysctl commands run]. */
const table: [string, Record<string, unknown>, string | null, string | null, string | null, string[]][] = [
  ['adds a key to a new file and reloads it', { name: 'net.core.somaxconn', value: '1024' }, null, '4096', 'net.core.somaxconn=1024\n', ['-p /etc/sysctl.conf']],
  ['changes the value in place, normalising the file as Ansible does', { name: 'net.ipv4.ip_forward', value: '1' }, CONF, '0', '# kernel settings\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n', ['-p /etc/sysctl.conf']],
  ['reads yes as 1', { name: 'net.ipv4.ip_forward', value: 'yes', reload: false }, CONF, '0', '# kernel settings\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n', []],
  ['leaves a file and kernel that agree alone', { name: 'net.ipv4.ip_forward', value: '0' }, CONF, '0', null, []],
  ['reloads when the file holds the value but the kernel does not', { name: 'net.ipv4.ip_forward', value: '0' }, CONF, '1', null, ['-p /etc/sysctl.conf']],
  ['ignores the kernel without reload or sysctl_set', { name: 'net.ipv4.ip_forward', value: '0', reload: false }, CONF, '1', null, []],
  ['sets the running value with sysctl_set', { name: 'net.ipv4.ip_forward', value: '0', sysctl_set: true, reload: false }, CONF, '1', null, ['-w net.ipv4.ip_forward=0']],
  ['sets, writes and reloads, in that order', { name: 'net.ipv4.ip_forward', value: '1', sysctl_set: true }, CONF, '0', '# kernel settings\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n', ['-w net.ipv4.ip_forward=1', '-p /etc/sysctl.conf']],
  ['compares a running value word by word', { name: 'net.ipv4.ip_local_port_range', value: '1024 65000', sysctl_set: true }, 'net.ipv4.ip_local_port_range=1024 65000\n', '1024\t65000', null, []],
  ['removes a key from the file, leaving the kernel', { name: 'vm.swappiness', state: 'absent' }, CONF, '10', '# kernel settings\nnet.ipv4.ip_forward=0\n', ['-p /etc/sysctl.conf']],
  ['removes nothing that is not in the file', { name: 'kernel.panic', state: 'absent' }, CONF, '0', null, []],
  ['passes -e with ignoreerrors', { name: 'net.core.somaxconn', value: '1024', ignoreerrors: true, sysctl_file: '/etc/sysctl.d/60-app.conf' }, null, null, 'net.core.somaxconn=1024\n', ['-e -p /etc/sysctl.d/60-app.conf']],
  ['keeps the first of duplicate keys, with the new value', { name: 'vm.swappiness', value: '5', reload: false }, 'vm.swappiness=1\nvm.swappiness=10\n', '60', 'vm.swappiness=5\n', []],
];

describe('modules/system/sysctl', () => {
  for (const [what, raw, file, live, after, commands] of table) {
    it(what, () => {
      const plan = planSysctl(parseSysctlArgs(raw, loc), host(file, live), { diff: true });
      expect(plan.failure).to.equal(undefined);
      const written = plan.steps.find((s) => s.script.includes('rb_locate'));
      expect(written?.stdin?.toString() ?? null).to.equal(after);
      const sysctl = plan.steps.filter((s) => !s.script.includes('rb_locate')).map((s) => /LC_ALL=C sysctl (.*) 2>&1/.exec(s.script)?.[1]);
      expect(sysctl).to.deep.equal(commands);
      expect(plan.changes.length > 0).to.equal(after !== null || commands.length > 0);
      if (after !== null) expect(plan.diffs?.[0]).to.deep.include({ after });
    });
  }

  it("normalises values as Ansible does", () => {
    expect([sysctlValue('yes'), sysctlValue('True'), sysctlValue('off'), sysctlValue(' 10 '), sysctlValue(undefined)]).to.deep.equal(['1', '1', '0', '10', '']);
    expect(parseSysctlArgs({ key: 'vm.swappiness', val: true }, loc).value).to.equal('1');
  });

  it('rewrites every line as Ansible does, keeping comments', () => {
    expect(rewriteSysctl('; old\n a = 1 \n\nb=2\n', 'c', '3', true)).to.deep.equal({ lines: ['; old', 'a=1', '', 'b=2', 'c=3'], fileValue: undefined });
  });

  it('fails a sysctl command on the errors sysctl prints with exit status 0', () => {
    const plan = planSysctl(parseSysctlArgs({ name: 'kernel.x', value: '1', sysctl_set: true }, loc), host('kernel.x=1\n', '0'), { diff: false });
    expect(plan.steps[0]!.script).to.contain('Read-only file system');
    expect(plan.afterApply!([{ stdout: '', stderr: 'setting kernel.x failed: sysctl: setting key "kernel.x": Read-only file system', code: 1 }, { stdout: '', stderr: '', code: 0 }]).failed).to.match(/Read-only file system/);
  });

  it('reads this machine with the real probe', () => {
    const plan = planOnly(sysctlModule, { name: 'kernel.ostype', value: 'Linux', sysctl_file: '/nonexistent-dir/x.conf', reload: false });
    expect(plan.failure?.msg).to.match(/directory of \/nonexistent-dir\/x.conf does not exist/);
    const live = planOnly(sysctlModule, { name: 'kernel.ostype', state: 'absent', sysctl_file: '/etc/rb-no-such.conf' });
    expect(live.data).to.deep.include({ name: 'kernel.ostype', live_value: 'Linux' });
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseSysctlArgs({ name: 'vm.swappiness' }, loc)).to.throw(InputError, /'value' is required with state=present/);
    expect(() => parseSysctlArgs({ name: 'vm swappiness', value: '1' }, loc)).to.throw(InputError, /not a sysctl key/);
    expect(() => parseSysctlArgs({ name: 'vm.swappiness', value: '1', sysctl_file: 'sysctl.conf' }, loc)).to.throw(InputError, /absolute path/);
    expect(() => sysctlModule.parse({ name: 'a.b', value: '1', relaod: false }, loc)).to.throw(InputError, /has no argument 'relaod'/);
  });
});
