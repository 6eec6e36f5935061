// runbook's stand-in for Ansible's module_utils, run with the controller's python3 as a host runs it.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { argsFileText } from '../../../../src/modules/custom/args-file.js';
import { SHIM_FILES } from '../../../../src/modules/custom/shim.js';
import { scratchDir } from '../../../support/temp-dir.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

function shimDir(): string {
  const dir = scratchDir('runbook-shim-');
  for (const [path, text] of Object.entries(SHIM_FILES)) {
    mkdirSync(dirname(join(dir, 'lib', path)), { recursive: true });
    writeFileSync(join(dir, 'lib', path), text);
  }
  return dir;
}

/** Runs `source` as the module with these arguments; returns its JSON reply and exit code. */
function run(source: string, args: Record<string, unknown>, check = false): { reply: Record<string, unknown>; code: number | null; stderr: string } {
  const dir = shimDir();
  writeFileSync(join(dir, 'demo.py'), source);
  writeFileSync(join(dir, 'args'), argsFileText('python', args, { module: 'demo', check, diff: false, noLog: false, verbosity: 0 })!);
  const r = spawnSync('python3', [join(dir, 'demo.py'), join(dir, 'args')], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(dir, 'lib') }, cwd: dir });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let reply: Record<string, unknown> = {};
  try {
    reply = JSON.parse(line);
  } catch {
    throw new Error(`not JSON: ${r.stdout}\n${r.stderr}`);
  }
  return { reply, code: r.status, stderr: r.stderr };
}

const HEAD = 'from ansible.module_utils.basic import AnsibleModule\n';

describe("custom modules: runbook's AnsibleModule stand-in (python3)", function () {
  before(function () {
    if (!hasPython) this.skip();
  });

  it('argument_spec: types converted, defaults, aliases, choices, list elements, params and check_mode', () => {
    const { reply, code } = run(
      HEAD +
        `m = AnsibleModule(argument_spec=dict(name=dict(required=True, aliases=['n']), count=dict(type='int', default=1), on=dict(type='bool'),
  state=dict(choices=['present', 'absent'], default='present'), ports=dict(type='list', elements='int'), opts=dict(type='dict'), where=dict(type='path')),
  supports_check_mode=True)
m.exit_json(changed=False, params=m.params, check=m.check_mode)
`,
      { n: 'web', count: '3', on: 'yes', ports: '80,443', opts: { a: 1 }, where: '~/x' },
      true,
    );
    expect(code).to.equal(0);
    const p = reply.params as Record<string, unknown>;
    expect(p).to.deep.include({ name: 'web', count: 3, on: true, state: 'present', ports: [80, 443], opts: { a: 1 } });
    expect(p.where).to.match(/^\/.*\/x$/);
    expect(reply.check).to.equal(true);
  });

  it('refuses what Ansible refuses: unknown and missing arguments, a bad choice, exclusive and required_if rules', () => {
    const spec = `m = AnsibleModule(argument_spec=dict(name=dict(required=True), state=dict(choices=['a', 'b']), x=dict(), y=dict()),
  mutually_exclusive=[['x', 'y']], required_if=[['state', 'b', ['x']]])
m.exit_json(changed=False)
`;
    const unknown = run(HEAD + spec, { name: 'a', bogus: 1 });
    expect(unknown.code).to.equal(1);
    expect(unknown.reply).to.include({ failed: true, msg: 'Unsupported parameters for (demo) module: bogus. Supported parameters include: name, state, x, y.' });
    expect(run(HEAD + spec, {}).reply.msg).to.equal('missing required arguments: name');
    expect(run(HEAD + spec, { name: 'a', state: 'c' }).reply.msg).to.equal('value of state must be one of: a, b, got: c');
    expect(run(HEAD + spec, { name: 'a', x: 1, y: 2 }).reply.msg).to.equal('parameters are mutually exclusive: x|y');
    expect(run(HEAD + spec, { name: 'a', state: 'b' }).reply.msg).to.equal('state is b but all of the following are missing: x');
  });

  it('in check mode a module without supports_check_mode is skipped, as Ansible skips it', () => {
    const { reply, code } = run(HEAD + `m = AnsibleModule(argument_spec=dict())\nm.exit_json(changed=True)\n`, {}, true);
    expect(code).to.equal(0);
    expect(reply).to.deep.equal({ skipped: true, msg: 'remote module (demo) does not support check mode' });
  });

  it('no_log values never leave the module: masked in every string of the result', () => {
    const { reply } = run(
      HEAD + `m = AnsibleModule(argument_spec=dict(token=dict(no_log=True)))\nm.exit_json(changed=False, token=m.params['token'], msg='using ' + m.params['token'], params=m.params)\n`,
      { token: 's3cr3t-value' },
    );
    expect(JSON.stringify(reply)).to.not.contain('s3cr3t-value');
    expect(reply.token).to.equal('VALUE_SPECIFIED_IN_NO_LOG_PARAMETER');
    expect(reply.msg).to.equal('using ********');
  });

  it('run_command (list, string, shell, check_rc), get_bin_path, warn, fail_json, atomic_move and the text converters', () => {
    const { reply, code } = run(
      HEAD +
        `from ansible.module_utils._text import to_bytes, to_text
from ansible.module_utils.common.text.converters import to_native
import os
m = AnsibleModule(argument_spec=dict())
rc1, out1, err1 = m.run_command(['printf', '%s', 'a b'])
rc2, out2, err2 = m.run_command('sh -c "echo $0 >&2; exit 3" x')
rc3, out3, _ = m.run_command('echo $((1+2)) | tr 3 4', use_unsafe_shell=True)
rc4, out4, _ = m.run_command(['cat'], data='fed')
m.warn('careful')
src = os.path.join(m.tmpdir, 'new'); open(src, 'w').write('moved')
dest = os.path.join(m.tmpdir, 'dest'); open(dest, 'w').write('old'); os.chmod(dest, 0o640)
m.atomic_move(src, dest)
m.exit_json(changed=False, r=[rc1, out1, rc2, err2, out3, out4], sh=m.get_bin_path('sh') is not None, none=m.get_bin_path('no-such-tool-x'),
  moved=open(dest).read(), mode=oct(os.stat(dest).st_mode & 0o777), t=[to_text(b'x'), to_bytes('y').decode(), to_native(1)])
`,
      {},
    );
    expect(code).to.equal(0);
    expect(reply.r).to.deep.equal([0, 'a b', 3, 'x\n', '4\n', 'fed\n']);
    expect(reply).to.deep.include({ sh: true, none: null, moved: 'moved', mode: '0o640', t: ['x', 'y', '1'], warnings: ['careful'] });
    const failing = run(HEAD + `m = AnsibleModule(argument_spec=dict())\nm.run_command(['false'], check_rc=True)\n`, {});
    expect(failing.code).to.equal(1);
    expect(failing.reply).to.include({ failed: true, rc: 1, cmd: 'false' });
    const missing = run(HEAD + `m = AnsibleModule(argument_spec=dict())\nm.get_bin_path('no-such-tool-x', required=True)\n`, {});
    expect(missing.reply.msg).to.match(/^Failed to find required executable "no-such-tool-x" in paths: /);
  });
});
