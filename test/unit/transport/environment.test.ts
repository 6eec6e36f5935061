// A task's environment reaches /bin/sh on stdin: the script names the variables, never their values,
// and the module's own stdin follows untouched. Run with the real /bin/sh (dash on Debian).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { withEnvironment, withEnvironmentScript } from '../../../src/transport/environment.js';
import type { ExecOptions, Transport } from '../../../src/transport/types.js';

function runSh(script: string, stdin: Buffer): { stdout: string; code: number | null } {
  const r = spawnSync('/bin/sh', ['-c', script], { input: stdin, encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { stdout: r.stdout, code: r.status };
}

describe('environment on stdin', () => {
  const awkward: Record<string, string> = {
    PLAIN: 'a value with  spaces ',
    QUOTES: `it's "quoted" $(touch /nonexistent) \`x\` $HOME`,
    BACKSLASH: 'C:\\temp\\n no newline here',
    MULTI: 'line one\nline \\two\n\n',
    EMPTY: '',
    LEADING: '  -n \t tab',
  };

  it('sets each variable exactly, and exports it to the commands the script runs', () => {
    const w = withEnvironmentScript(`for n in ${Object.keys(awkward).join(' ')}; do printenv "$n"; printf '|\\n'; done`, undefined, awkward);
    const r = runSh(w.script, w.stdin);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(Object.values(awkward).map((v) => `${v}\n|\n`).join(''));
  });

  it('puts no value in the script, only the names', () => {
    const w = withEnvironmentScript('true', undefined, { SECRET_TOKEN: 'hunter2-xyz', OTHER: 'multi\nline-secret' });
    expect(w.script).to.contain('SECRET_TOKEN');
    expect(w.script).not.to.contain('hunter2');
    expect(w.script).not.to.contain('line-secret');
  });

  it("leaves the module's stdin whole after the values (bytes, no trailing newline)", () => {
    const data = Buffer.from([0x00, 0xff, 0x0a, 0x41, 0x42]);
    const w = withEnvironmentScript('od -An -tx1 | tr -s " \\n" " "', data, { A: 'x', B: 'y\nz' });
    const r = runSh(w.script, w.stdin);
    expect(r.stdout.trim()).to.equal('00 ff 0a 41 42');
  });

  it('the transport wrapper passes everything else through, and is the same transport without variables', async () => {
    const seen: { script: string; options: ExecOptions }[] = [];
    const inner: Transport = {
      host: 'h',
      exec: async (script, options = {}) => (seen.push({ script, options }), { stdout: '', stderr: '', code: 0 }),
      forward: async () => { throw new Error('no'); },
      close: async () => {},
    };
    expect(withEnvironment(inner, {})).to.equal(inner);
    const become = { user: 'app' };
    await withEnvironment(inner, { A: '1' }).exec('echo hi', { stdin: 'in', become });
    expect(seen[0]!.options.become).to.equal(become);
    expect(seen[0]!.script.endsWith('\necho hi')).to.equal(true);
    expect(String(seen[0]!.options.stdin)).to.equal('1\nin');
  });
});
