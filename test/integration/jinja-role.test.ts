// Issue 14 on real hosts: a role in the style of the popular Galaxy nginx roles
// (test/fixtures/jinja-role: OS-specific vars, Jinja2 templates with loops and conditionals,
// handlers), run unchanged. It converges on a lab host and re-runs with changed=0; with
// ansible-playbook installed, Ansible converges a twin host from the same files and every rendered
// file must be byte-identical.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { ansibleAvailable, runAnsible, runRunbook, writeInventory } from './differential/tools.js';
import { REPO } from './support/runbook.js';

const TWINS = [{ name: 'ans', groups: [] }, { name: 'rb', groups: [] }];
const FILES = [
  '/srv/jinja-role/etc/nginx.conf',
  '/srv/jinja-role/etc/sites-enabled/example.com.conf',
  '/srv/jinja-role/etc/sites-enabled/api.example.com.conf',
  '/srv/jinja-role/served.txt',
  '/srv/jinja-role/etc/upstreams.conf',
];

/**
 * What Python's jinja2 renders from the role's upstreams.conf.j2 (extends, from-import, call,
 * include) with the role's defaults and the play's vhosts, set up as Ansible sets it up; undefined
 * without python3's jinja2 and PyYAML.
 */
function jinja2Upstreams(work: string): string | undefined {
  const script = `
import json, sys, jinja2, yaml
site = yaml.safe_load(open('site.yml'))
v = yaml.safe_load(open('roles/webserver/defaults/main.yml'))
v['webserver_vhosts'] = site[0]['roles'][0]['webserver_vhosts']
env = jinja2.Environment(loader=jinja2.FileSystemLoader('roles/webserver/templates'), trim_blocks=True, keep_trailing_newline=True)
sys.stdout.write(env.get_template('upstreams.conf.j2').render(**v))
`;
  try {
    return execFileSync('python3', ['-c', script], { cwd: work, encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

describe('a Galaxy-style role with Jinja2 templates, unchanged', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  let work: string;
  const withAnsible = ansibleAvailable();
  const inventory = { ansible: '', runbook: '' };

  before(async () => {
    lab = await getLab({ hosts: TWINS, extraPackages: withAnsible ? ['python3'] : [] });
    work = mkdtempSync(join(tmpdir(), 'runbook-jinja-role-'));
    cpSync(join(REPO, 'test/fixtures/jinja-role'), work, { recursive: true });
    const address = (name: string) => lab.hosts.find((h) => h.name === name)!.address;
    inventory.ansible = join(work, 'ansible.yml');
    inventory.runbook = join(work, 'runbook.yml');
    writeInventory(lab, 'ansible', address('ans'), inventory.ansible);
    writeInventory(lab, 'runbook', address('rb'), inventory.runbook);
    mkdirSync(join(work, 'ansible-home'));
  });

  const cat = async (host: string, file: string): Promise<string> => {
    const r = await onHost(lab, host, `cat ${file}`);
    expect(r.code, `${file} on ${host}: ${r.stderr}`).to.equal(0);
    return r.stdout;
  };

  it('converges, notifies its handler, and renders the templates as written', async () => {
    const run = await runRunbook(join(work, 'site.yml'), inventory.runbook, false);
    expect(run.code, run.detail).to.equal(0);
    // Task names as the recap prints them, with or without the role's prefix.
    const status = (task: string) => [...run.statuses].find(([t]) => t === task || t.endsWith(` : ${task}`))?.[1];
    expect(status('Copy the main configuration in place.'), [...run.statuses.keys()].join(', ')).to.equal('changed');
    expect(status('reload webserver'), [...run.statuses.keys()].join(', ')).to.equal('changed');
    const conf = await cat('rb', FILES[0]!);
    expect(conf).to.contain('#\n# Ansible managed\n#\nuser www-data;\n');
    expect(conf).to.contain('multi_accept on;');
    expect(conf).to.contain('# feature 2/3: http2 is off');
    expect(conf).to.contain('# 2 active vhosts: example.com, api.example.com');
    const api = await cat('rb', FILES[2]!);
    expect(api).to.contain('    server 10.1.0.2:9000 backup;');
    expect(api).to.contain('proxy_pass http://api_example_com;');
    expect((await onHost(lab, 'rb', 'test -e /srv/jinja-role/etc/sites-enabled/old.example.com.conf')).code).to.not.equal(0);
    expect(status('Write the upstreams (a template with extends, macros, a call block and includes).')).to.equal('changed');
    const upstreams = await cat('rb', FILES[4]!);
    expect(upstreams).to.contain('# -- api.example.com --\nupstream api_example_com {\n    server 10.1.0.1:9000;\n    server 10.1.0.2:9000 backup;\n    keepalive 32;\n}\n');
  });

  it("the template using macros, include and extends is, byte for byte, what Python's jinja2 renders", async function () {
    const want = jinja2Upstreams(work);
    if (want === undefined) {
      console.log('      python3 with jinja2 and PyYAML not found: the comparison is skipped');
      this.skip();
    }
    expect(await cat('rb', FILES[4]!)).to.equal(want);
  });

  it('a second run changes nothing', async () => {
    const run = await runRunbook(join(work, 'site.yml'), inventory.runbook, false);
    expect(run.code, run.detail).to.equal(0);
    const changed = [...run.statuses].filter(([, s]) => s === 'changed').map(([t]) => t);
    expect(changed).to.deep.equal([]);
  });

  it('renders byte for byte what ansible-playbook renders on a twin host', async function () {
    if (!withAnsible) {
      console.log('      ansible-playbook not found: the comparison is skipped (apt-get install ansible)');
      this.skip();
    }
    const run = await runAnsible(join(work, 'site.yml'), inventory.ansible, false, join(work, 'ansible-home'));
    expect(run.code, run.detail).to.equal(0);
    for (const file of FILES) expect(await cat('rb', file), file).to.equal(await cat('ans', file));
  });
});
