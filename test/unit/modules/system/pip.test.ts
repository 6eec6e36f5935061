// pip plans from canned probe output: pip's own dry-run report decides what installs, freeze what uninstalls, a missing virtualenv is created first.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { installWords, parsePipArgs, pipProbe, planPip } from '../../../../src/modules/system/pip.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const report = (install: [string, string][]) =>
  `${JSON.stringify({ version: '1', install: install.map(([name, version]) => ({ metadata: { name, version }, requested: true })) })}\nrc=0\n`;
const venvHost = (rep: string) => sections({ env: 'venv=yes\npip=yes\n', report: rep });
const plan = (raw: Record<string, unknown>, probe: ReturnType<typeof sections>) => planPip(parsePipArgs(raw, loc), probe);

describe('modules/system/pip', () => {
  const words: [string, Record<string, unknown>, string[]][] = [
    ['a name and version', { name: 'rbdemo', version: '0.1' }, ['install', 'rbdemo==0.1']],
    ['latest with extra_args', { name: ['a', 'b>=2'], state: 'latest', extra_args: "--no-index --find-links '/srv/my wheels'" }, ['install', '-U', '--no-index', '--find-links', '/srv/my wheels', 'a', 'b>=2']],
    ['forcereinstall', { name: 'a', state: 'forcereinstall' }, ['install', '-U', '--force-reinstall', 'a']],
    ['a requirements file', { requirements: 'requirements.txt' }, ['install', '-r', 'requirements.txt']],
    ['editable', { name: '/src/app', editable: true }, ['install', '-e', '/src/app']],
  ];
  for (const [what, raw, expected] of words) it(`builds pip's words: ${what}`, () => expect(installWords(parsePipArgs(raw, loc))).to.deep.equal(expected));

  it('installs what the dry run says it would, into the virtualenv', () => {
    const p = plan({ name: 'rbdemo', virtualenv: '/opt/v', extra_args: '--no-index --find-links /srv/wheels' }, venvHost(report([['rbdemo', '0.2']])));
    expect(p.changes).to.deep.equal(['install rbdemo 0.2 into /opt/v']);
    expect(p.steps).to.have.length(1);
    expect(p.steps[0]!.script).to.contain('/opt/v/bin/pip install --no-index --find-links /srv/wheels rbdemo');
    expect(p.data).to.deep.include({ cmd: '/opt/v/bin/pip install --no-index --find-links /srv/wheels rbdemo', virtualenv: '/opt/v' });
  });

  it('changes nothing when the dry run would install nothing', () => {
    expect(plan({ name: 'rbdemo', virtualenv: '/opt/v' }, venvHost(report([])))).to.deep.include({ changes: [], steps: [] });
  });

  it('creates a missing virtualenv, then installs (forecast in check mode)', () => {
    const p = plan({ name: 'rbdemo', virtualenv: '/opt/v', virtualenv_site_packages: true, chdir: '/srv', umask: '0022' }, sections({ env: 'venv=no\n' }));
    expect(p.changes).to.deep.equal(['create the virtualenv /opt/v (python3 -m venv)', 'install rbdemo into it']);
    expect(p.steps[0]!.script).to.contain('cd /srv').and.to.contain('umask 0022').and.to.contain('python3 -m venv --system-site-packages /opt/v');
    expect(p.provides).to.deep.equal([{ kind: 'path', path: '/opt/v' }]);
    expect(plan({ name: 'x', virtualenv: '/opt/v', virtualenv_command: 'virtualenv', virtualenv_python: 'python3.11' }, sections({ env: 'venv=no\n' })).steps[0]!.script).to.contain('virtualenv -ppython3.11 /opt/v');
  });

  it("fails with pip's own error when it cannot install", () => {
    const p = plan({ name: 'nosuch' }, sections({ env: 'pip=yes\n', report: 'rc=1\nstderr: ERROR: Could not find a version that satisfies the requirement nosuch\n' }));
    expect(p.failure?.msg).to.match(/pip cannot install nosuch: ERROR: Could not find a version/);
  });

  it('says when pip is missing', () => {
    expect(plan({ name: 'x' }, sections({ env: 'pip=no\n' })).failure?.msg).to.match(/pip3 is not there: install python3-pip/);
  });

  it('uninstalls only what freeze lists, names compared as PEP 503 does', () => {
    const probe = sections({ env: 'venv=yes\npip=yes\n', freeze: 'Rb_Demo==0.1\nsix==1.16.0\n' });
    const p = plan({ name: ['rb-demo', 'absent-one'], state: 'absent', virtualenv: '/opt/v' }, probe);
    expect(p.changes).to.deep.equal(['uninstall rb-demo']);
    expect(p.steps[0]!.script).to.contain('/opt/v/bin/pip uninstall -y rb-demo');
    expect(plan({ name: 'x', state: 'absent', virtualenv: '/opt/v' }, sections({ env: 'venv=no\n' }))).to.deep.include({ changes: [], steps: [] });
  });

  it('asks pip for a dry-run report in the probe, in one round trip', () => {
    const script = pipProbe(parsePipArgs({ name: 'rbdemo', virtualenv: '/opt/v' }, loc));
    expect(script).to.contain('/opt/v/bin/pip install --dry-run --quiet --report - rbdemo');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parsePipArgs({}, loc)).to.throw(InputError, /one of 'name' or 'requirements' is required/);
    expect(() => parsePipArgs({ name: 'a', requirements: 'r.txt' }, loc)).to.throw(InputError);
    expect(() => parsePipArgs({ name: ['a', 'b'], version: '1' }, loc)).to.throw(InputError, /'version' needs exactly one package/);
    expect(() => parsePipArgs({ name: 'a', virtualenv: '/v', virtualenv_python: 'python3.11' }, loc)).to.throw(InputError, /virtualenv_python cannot be used with the venv module/);
    expect(() => parsePipArgs({ name: 'a', executable: 'pip3', virtualenv: '/v' }, loc)).to.throw(InputError);
    expect(() => parsePipArgs({ name: 'a', umask: '22a' }, loc)).to.throw(InputError, /umask/);
  });
});
