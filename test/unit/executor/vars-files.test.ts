// vars_files entries that name host variables, read per host once facts are known: the real loader,
// templater and setup module on fake hosts with canned facts (a Debian and an Ubuntu machine).
import { expect } from 'chai';
import { join } from 'node:path';
import type { InputError } from '../../../src/core/errors.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { debianBuildMachine, ubuntuWeb } from '../modules/system/fixtures/setup.js';
import { recapOf } from './harness.js';
import { modules, writeTree, yamlRun, type YamlRun } from './yaml-play.js';

const kv = (r: YamlRun, host: string) => r.hosts.get(host)!.kv;
const failure = (r: YamlRun, host: string): string => {
  const e = r.events.find((x): x is Extract<RunEvent, { type: 'host_result' }> => x.type === 'host_result' && x.host === host && x.status === 'failed');
  return e?.msg ?? '';
};
/** The Debian machine's facts with os-release's ID replaced: ansible_distribution is what a host says it is. */
const distributionSays = (id: string): ExecResult => ({ ...debianBuildMachine, stdout: debianBuildMachine.stdout.replace(/^ID=debian$/m, `ID=${id}`) });

const firstFound = `
- hosts: all
  vars_files:
    - vars/common.yml
    - ["vars/{{ ansible_distribution }}.yml", "vars/defaults.yml"]
  tasks:
    - kv: { key: greeting, value: "{{ greeting }} from {{ source }}" }
`;

describe('vars_files naming host variables', () => {
  it('reads, per host, the first file its facts name that exists (Ubuntu its own, Debian the default)', async () => {
    const r = yamlRun({
      'site.yml': firstFound,
      'vars/common.yml': 'greeting: hello\nsource: common\n',
      'vars/Ubuntu.yml': 'source: "{{ greeting }}-ubuntu"\n',
      'vars/defaults.yml': 'source: defaults\n',
    }, ['deb', 'ubu'], { facts: { deb: debianBuildMachine, ubu: ubuntuWeb } });
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'ubu').get('greeting')).to.equal('hello from hello-ubuntu');
    expect(kv(r, 'deb').get('greeting')).to.equal('hello from defaults');
  });

  it('leaves an entry out until the host has facts, as Ansible does (gather_facts: false)', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars_files: ["vars/{{ ansible_distribution }}.yml"]
  tasks:
    - kv: { key: plain, value: runs }
    - kv: { key: from_file, value: "{{ source }}" }
`,
      'vars/Debian.yml': 'source: debian\n',
    }, ['deb']);
    expect(await r.run()).to.equal(2);
    expect(kv(r, 'deb').get('plain')).to.equal('runs');
    expect(failure(r, 'deb')).to.match(/undefined variable 'source'/);
  });

  it('renders with inventory variables too, without facts', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars_files: ["{{ stage }}.yml"]
  tasks:
    - kv: { key: db, value: "{{ db_host }}" }
`,
      'vars/prod.yml': 'db_host: db.prod\n',
      'staging.yml': 'db_host: db.staging\n',
    }, ['a', 'b'], { hostVars: { a: { stage: 'prod' }, b: { stage: 'staging' } } });
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'a').get('db')).to.equal('db.prod');
    expect(kv(r, 'b').get('db')).to.equal('db.staging');
  });

  it('fails only the host none of whose candidates exists, naming the entry and every path tried', async () => {
    const files = { 'site.yml': firstFound.replace(', "vars/defaults.yml"', ''), 'vars/common.yml': 'greeting: hi\nsource: c\n', 'vars/Ubuntu.yml': 'source: u\n' };
    const r = yamlRun(files, ['deb', 'ubu'], { facts: { deb: debianBuildMachine, ubu: ubuntuWeb } });
    expect(await r.run()).to.equal(2);
    const dir = r.playbook.dir;
    const msg = failure(r, 'deb');
    expect(msg).to.match(new RegExp(`^${join(dir, 'site.yml')}:5:7: vars file not found: vars/Debian.yml \\(from 'vars/\\{\\{ ansible_distribution \\}\\}.yml'\\)`));
    expect(msg).to.include(`looked for ${join(dir, 'vars/Debian.yml')}`);
    expect(recapOf(r).hosts.deb).to.include({ failed: 1, changed: 0 });
    expect(kv(r, 'ubu').get('greeting')).to.equal('hi from u');
  });

  it('after facts, an undefined variable in the name is an error at the entry', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  vars_files: ["vars/{{ ansible_distro_typo }}.yml"]
  tasks:
    - kv: { key: x, value: y }
`,
    }, ['deb'], { facts: debianBuildMachine });
    expect(await r.run()).to.equal(2);
    expect(failure(r, 'deb')).to.match(/site\.yml:3:16: vars_files: undefined variable 'ansible_distro_typo' in 'vars\/\{\{ ansible_distro_typo \}\}\.yml'\n  hint: did you mean 'ansible_distribution'\?/);
    expect(kv(r, 'deb').has('x')).to.equal(false);
  });

  it('uses a fact as text only: a fact holding {{ }} is not rendered, one adding .. is refused', async () => {
    const files = {
      'site.yml': `
- hosts: all
  vars: { name_var: Debian }
  vars_files: ["vars/{{ ansible_distribution }}.yml"]
  tasks:
    - kv: { key: x, value: "{{ source }}" }
`,
      'vars/Debian.yml': 'source: debian\n',
      'secret.yml': 'source: outside\n',
    };
    const templ = yamlRun(files, ['h'], { facts: distributionSays('"{{ name_var }}"') });
    expect(await templ.run()).to.equal(2);
    expect(failure(templ, 'h')).to.include("vars file not found: vars/{{ name_var }}.yml");

    const escape = yamlRun(files, ['h'], { facts: distributionSays('../../secret') });
    expect(await escape.run()).to.equal(2);
    expect(failure(escape, 'h')).to.include("rendered to 'vars/../../secret.yml': a variable's value put '..' into the file name");
    expect(kv(escape, 'h').has('x')).to.equal(false);
  });

  it('--syntax-check: loads the play, and says so only when no file can match the name', () => {
    const dir = writeTree({
      'site.yml': `
- hosts: all
  vars_files:
    - "vars/{{ ansible_os_family }}.yml"
    - ["os/{{ ansible_distribution }}-{{ ansible_distribution_major_version }}.yml", "none.yml"]
    - "{{ playbook_dir }}/extra/{{ stage }}.yml"
    - "{{ whatever }}"
  tasks: []
`,
      'vars/Debian.yml': 'a: 1\n',
      'extra/prod.yml': 'b: 1\n',
      'os/README': '',
    });
    const notices: InputError[] = [];
    const pb = loadPlaybook(join(dir, 'site.yml'), { modules, notice: (p) => notices.push(p) });
    expect(pb.plays[0]!.varsFiles.map((e) => e.kind)).to.deep.equal(['per-host', 'per-host', 'per-host', 'per-host']);
    expect(notices.map((n) => `${n.loc?.line}:${n.loc?.col}: ${n.message}`)).to.deep.equal([
      "5:7: vars_files: no file can match 'os/{{ ansible_distribution }}-{{ ansible_distribution_major_version }}.yml' or 'none.yml'",
    ]);
  });
});
