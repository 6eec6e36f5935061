// command and shell run for real: quoting, chdir, stdin, rc, creates/removes.
import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { commandModule } from '../../../../src/modules/generic/command.js';
import { shellModule } from '../../../../src/modules/generic/shell.js';
import { apply, loc, tempDir } from '../lib/local.js';

describe('modules/generic/command and shell', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('parses free form with Ansible prefixes', () => {
    const a = commandModule.parse({ cmd: `creates=/etc/x chdir=/tmp ls -l '$HOME'` }, loc);
    expect(a).to.deep.include({ argv: ['ls', '-l', '$HOME'], creates: '/etc/x', chdir: '/tmp' });
    const s = shellModule.parse({ cmd: 'echo $HOME | tr a-z A-Z removes=/x' }, loc);
    expect(s).to.deep.include({ cmd: 'echo $HOME | tr a-z A-Z', removes: '/x' });
    expect(() => commandModule.parse({ cmd: '' }, loc)).to.throw(/no command/);
    expect(() => commandModule.parse({ cmd: 'ls', argv: ['ls'] }, loc)).to.throw(/mutually exclusive/);
  });

  it('command does not expand shell syntax; result has rc, stdout and lines', () => {
    const r = apply(commandModule, { cmd: `echo '$(id)' ';' x` });
    expect(r.plan.runsArbitraryCommand).to.equal(true);
    expect(r.plan.changes).to.deep.equal([`run: echo '$(id)' ';' x`]);
    expect(r.plan.steps[0].script).to.equal(`exec echo '$(id)' ';' x </dev/null`);
    expect(r.after).to.deep.equal({
      data: { cmd: ['echo', '$(id)', ';', 'x'], rc: 0, stdout: '$(id) ; x', stderr: '', stdout_lines: ['$(id) ; x'], stderr_lines: [], msg: '' },
    });
  });

  it('argv form, chdir and stdin', () => {
    writeFileSync(t.path('in.txt'), 'x');
    const r = apply(commandModule, { argv: ['sh', '-c', 'pwd; cat; ls'], chdir: t.dir, stdin: 'piped' });
    expect(r.after?.data?.stdout).to.equal(`${t.dir}\npiped\nin.txt`);
  });

  it('non-zero exit is a failure with the output kept', () => {
    const r = apply(shellModule, { cmd: 'echo out; echo err >&2; exit 3' });
    expect(r.after?.failed).to.equal('non-zero return code');
    expect(r.after?.data).to.deep.include({ rc: 3, stdout: 'out', stderr: 'err', stderr_lines: ['err'] });
  });

  it('shell uses pipes and the given executable', () => {
    const r = apply(shellModule, { cmd: 'echo ${BASH_VERSION:+bash} | tr a-z A-Z', executable: '/bin/bash' });
    expect(r.after?.data?.stdout).to.equal('BASH');
  });

  it('creates: runs once, then is ok without running (globs work)', () => {
    const marker = t.path('done.flag');
    const raw = { cmd: `touch ${marker} creates=${t.dir}/*.flag` };
    const first = apply(shellModule, raw);
    expect(first.plan.changes).to.have.length(1);
    expect(existsSync(marker)).to.equal(true);
    const second = apply(shellModule, raw);
    expect(second.plan.changes).to.deep.equal([]);
    expect(second.plan.data).to.deep.include({ rc: 0, msg: `Did not run command since '${t.dir}/*.flag' exists` });
  });

  it('removes: runs only while the path exists; relative to chdir', () => {
    writeFileSync(t.path('old'), '1');
    const raw = { cmd: 'rm old', chdir: t.dir, removes: 'old' };
    expect(apply(commandModule, raw).after?.data?.rc).to.equal(0);
    expect(existsSync(t.path('old'))).to.equal(false);
    expect(apply(commandModule, raw).plan.changes).to.deep.equal([]);
  });

  it('a missing chdir: the failure needs that directory', () => {
    const r = apply(commandModule, { cmd: 'ls', chdir: t.path('nope') });
    expect(r.plan.failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('nope') }]);
  });
});
