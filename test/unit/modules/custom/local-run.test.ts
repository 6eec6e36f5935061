// A role's library/ modules run end to end on the controller (connection: local), through the
// compiled CLI: check mode, converge, a second run with nothing to change, no_log, bad output.
// Runs dist/: build first. The lab test (test/integration/custom-modules.test.ts) does the same over SSH.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from '../../../support/temp-dir.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "runbook"')) dir = resolve(dir, '..');
  return dir;
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

const MARKER = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
import os

def main():
    m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True), content=dict(required=True), token=dict(no_log=True)),
                      supports_check_mode=True)
    p, want = m.params['path'], m.params['content']
    have = open(p).read() if os.path.exists(p) else None
    if have == want:
        m.exit_json(changed=False, path=p)
    if not m.check_mode:
        with open(p, 'w') as f:
            f.write(want)
    m.exit_json(changed=True, path=p, msg='wrote %s with %s' % (p, m.params['token']))

main()
`;

function project(): { dir: string; tmp: string } {
  const dir = scratchDir('runbook-custom-local-');
  const tmp = join(dir, 'tmp');
  const files: Record<string, string> = {
    'roles/writer/library/marker.py': MARKER,
    'roles/writer/tasks/main.yml': '- marker: { path: "{{ out }}", content: "hello\\n", token: "tok-Zq81-secret" }\n  register: wrote\n',
    'library/noisy': '#!/bin/sh\necho "this is not JSON"\necho oops >&2\nexit 2\n',
    'site.yml': `- hosts: local
  gather_facts: false
  vars: { out: "${dir}/out.txt" }
  roles: [writer]
  tasks:
    - debug: { msg: "changed={{ wrote.changed }}" }
`,
    'roles/writer/module_utils/acme_util.py': 'def shout(text):\n    return text.upper()\n',
    'roles/writer/library/acme_shout.py': `from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.acme_util import shout
m = AnsibleModule(argument_spec=dict(text=dict()))
m.warn('shouting %s' % m.params['text'])
m.exit_json(changed=False, loud=shout(m.params['text']), no_log=m.no_log)
`,
    'utils.yml': `- hosts: local
  gather_facts: false
  roles: [writer]
  vars: { out: "${dir}/out.txt" }
  tasks:
    - acme_shout: { text: hello }
      register: loud
    - acme_shout: { text: quiet }
      no_log: true
      register: hidden
    - debug: { msg: "{{ loud.loud }} {{ loud.no_log }} {{ hidden.no_log }}" }
`,
    'bad.yml': '- hosts: local\n  gather_facts: false\n  tasks:\n    - noisy: {}\n',
    hosts: 'local ansible_connection=local\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(tmp);
  return { dir, tmp };
}

function apply(dir: string, tmp: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'bin/runbook.js'), 'apply', ...args, '-i', 'hosts'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('custom modules: a role with library/ run on the controller (connection: local)', function () {
  before(function () {
    if (!hasPython) this.skip();
  });

  it('--check changes nothing, the run converges, a second run has changed=0; the no_log value is never printed; the upload is removed', () => {
    const { dir, tmp } = project();
    const check = apply(dir, tmp, 'site.yml', '--check');
    expect(check.code, check.out).to.equal(0);
    expect(check.out).to.match(/changed: \[local\]/).and.match(/changed=1 /);
    expect(existsSync(join(dir, 'out.txt'))).to.equal(false);
    const first = apply(dir, tmp, 'site.yml', '-v');
    expect(first.code, first.out).to.equal(0);
    expect(first.out).to.match(/changed=true/i).and.match(/changed=1 /);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).to.equal('hello\n');
    const second = apply(dir, tmp, 'site.yml');
    expect(second.code, second.out).to.equal(0);
    expect(second.out).to.match(/changed=false/i).and.match(/changed=0 /);
    for (const r of [check, first, second]) expect(r.out).to.not.contain('tok-Zq81-secret');
    expect(readdirSync(tmp)).to.deep.equal([]);
  });

  it("the role's module_utils/ is shipped with the stand-in; a module's warnings are printed; the task's no_log reaches the module", () => {
    const { dir, tmp } = project();
    const r = apply(dir, tmp, 'utils.yml');
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain('HELLO false true').and.contain('[WARNING]: [local] acme_shout: shouting hello');
    // The no_log task's warning carries its argument: like its result, it is not printed.
    expect(r.out).to.not.contain('shouting quiet');
  });

  it('a module that prints no JSON fails its task, naming the file and keeping its output', () => {
    const { dir, tmp } = project();
    const r = apply(dir, tmp, 'bad.yml');
    expect(r.code).to.equal(2);
    expect(r.out).to.contain(`MODULE FAILURE: ${join(dir, 'library/noisy')} printed no JSON result (exit code 2):`).and.match(/exit code 2\):\s+oops/);
    expect(readdirSync(tmp)).to.deep.equal([]);
  });
});
