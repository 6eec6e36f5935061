// The published JSON Schemas: generated from the code (never stale), accepting every YAML file of
// the repository and the shapes Ansible users write, and refusing mistakes where runbook refuses them.
import { Ajv, type ErrorObject } from 'ajv';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { ArgReader } from '../../../src/modules/lib/args.js';
import { getModule, moduleAliases, moduleNames } from '../../../src/modules/registry.js';
import { BLOCK_KEYWORDS, IMPORT_KEYWORDS, PLAY_KEYWORDS, ROLE_REF_KEYWORDS, TASK_KEYWORDS } from '../../../src/playbook/keywords.js';
import { toBool } from '../../../src/playbook/values.js';
import { buildSchemas, DRAFT, renderSchema } from '../../../src/schema/index.js';
import { CONNECTION_VARS } from '../../../src/schema/inventory.js';
import { PLAY_KEYWORD_SCHEMAS, TASK_KEYWORD_SCHEMAS } from '../../../src/schema/keyword-docs.js';
import { ARG_BOOL_WORDS, yaml11BoolWords, type JsonSchema } from '../../../src/schema/values.js';
import { becomeFor, connectionSpecFor } from '../../../src/transport/spec.js';
import { parseYaml } from '../../../src/yaml/load.js';
import { classify, editorGlob, OVERRIDE_PATHS, repoYamlFiles } from './corpus.js';
import { BAD, GOOD } from './samples.js';
import { compileSchemas, describeErrors, editorView, KINDS, ROOT, runbookRefuses, schemaErrors, schemaFile, type Kind } from './support.js';

const loc = { file: 'test.yml', line: 1, col: 1 };
const committed = (kind: Kind): JsonSchema => JSON.parse(readFileSync(schemaFile(kind), 'utf8'));
const definitions = (kind: Kind): Record<string, JsonSchema> => committed(kind).definitions as Record<string, JsonSchema>;

function compileFirst(this: Mocha.Context): void {
  this.timeout(60_000);
  compileSchemas();
}

/** Whether some error is at `at` and mentions `about` (keyword, params or schema path). */
function reported(errors: ErrorObject[], at: string, about: string): boolean {
  return errors.some((e) => e.instancePath === at && `${e.keyword} ${JSON.stringify(e.params)} ${e.schemaPath} ${e.message}`.includes(about));
}

describe('JSON Schemas in schema/', () => {
  it('are exactly what `npm run schema` generates from the code', () => {
    const built = buildSchemas();
    expect(Object.keys(built).sort()).to.deep.equal(KINDS.map((k) => `${k}.schema.json`).sort());
    expect(readdirSync(join(ROOT, 'schema')).sort(), 'files in schema/').to.deep.equal(Object.keys(built).sort());
    for (const [name, schema] of Object.entries(built)) {
      expect(readFileSync(join(ROOT, 'schema', name), 'utf8') === renderSchema(schema), `schema/${name} is out of date: run npm run schema`).to.equal(true);
    }
  });

  it('are valid draft-07 schemas', () => {
    const ajv = new Ajv({ strict: false });
    for (const kind of KINDS) {
      const schema = committed(kind);
      expect(schema.$schema).to.equal(DRAFT);
      expect(ajv.validateSchema(schema), `${kind}: ${ajv.errorsText()}`).to.equal(true);
    }
  });

  it('describe every keyword the loader accepts', () => {
    const undocumented = [
      ...[...TASK_KEYWORDS, ...BLOCK_KEYWORDS, ...IMPORT_KEYWORDS, ...ROLE_REF_KEYWORDS.filter((k) => k !== 'role')].filter((k) => typeof TASK_KEYWORD_SCHEMAS[k]?.description !== 'string'),
      ...PLAY_KEYWORDS.filter((k) => typeof PLAY_KEYWORD_SCHEMAS[k]?.description !== 'string'),
    ];
    expect(undocumented, 'add them to src/schema/keyword-docs.ts').to.deep.equal([]);
    const play = definitions('playbook').play!;
    expect(Object.keys(play.properties as object)).to.deep.equal([...PLAY_KEYWORDS]);
    const task = definitions('tasks').task!.properties as Record<string, unknown>;
    for (const k of TASK_KEYWORDS.filter((k) => k !== 'listen')) expect(task, k).to.have.property(k);
    expect(task).not.to.have.property('listen');
    expect(definitions('tasks').handler!.properties).to.have.property('listen');
  });

  it('offer every module of the registry under its names, with its argument names', () => {
    const task = definitions('tasks').task!.properties as Record<string, unknown>;
    const defs = definitions('tasks');
    for (const name of moduleNames()) {
      expect(task, name).to.have.property(name);
      expect(task, name).to.have.property(`ansible.builtin.${name}`);
      const argNames = getModule(name)!.argNames.filter((a) => a !== '*');
      expect(Object.keys((defs[`args.${name}`]!.properties ?? {}) as object), name).to.include.members(argNames);
    }
    for (const alias of Object.keys(moduleAliases())) expect(task, alias).to.have.property(alias);
    // The longer collection prefix must win: community.general.system.ufw is ufw, not "system.ufw".
    expect(getModule('community.general.system.ufw')?.name).to.equal('ufw');
  });

  it('describe every argument of every module, from its spec', () => {
    const defs = definitions('tasks');
    for (const name of moduleNames()) {
      const props = (defs[`args.${name}`]!.properties ?? {}) as Record<string, JsonSchema>;
      for (const [arg, schema] of Object.entries(props)) expect(schema.description, `${name}.${arg}`).to.be.a('string').and.not.be.empty;
    }
  });

  it("list choices the modules themselves accept, and only restrict arguments the modules restrict", () => {
    // A minimal valid call per module, and per argument where the module wants more around it.
    const base: Record<string, Record<string, unknown>> = {
      file: { path: '/x', src: '/y' }, lineinfile: { path: '/x', line: 'a' }, ini_file: { path: '/x', section: 's', option: 'o', value: 'v' },
      wait_for: { port: 80 }, service: { name: 'x' }, apt: { name: 'x' }, ufw: { rule: 'allow' }, uri: { url: 'http://x/', body: 'b' }, stat: { path: '/x' }, meta: {}, group: { name: 'g' }, async_status: { jid: 'j1' },
      user: { name: 'u' },
      authorized_key: { user: 'u', key: 'ssh-ed25519 AAAA u' },
      cron: { name: 'n', job: '/bin/j' }, sysctl: { name: 'a.b', value: '1' }, systemd: { name: 'x', enabled: true }, hostname: { name: 'h' },
      find: { paths: '/x' }, synchronize: { src: '/a', dest: '/b' },
      package: { name: 'x', state: 'present' }, apt_repository: { repo: 'deb http://x/ y main' }, apt_key: { id: 'DEADBEEF' }, dpkg_selections: { name: 'x' },
      debconf: { name: 'x', question: 'a/b', value: 'v' }, pip: { name: 'x' },
      mount: { path: '/x', src: 's', fstype: 'tmpfs' }, mysql_db: { name: 'd', target: '/t.sql' }, mysql_user: { name: 'u' }, mysql_replication: {}, postgresql_db: { name: 'd', target: 't' }, postgresql_user: { name: 'u' }, postgresql_privs: { db: 'd', roles: 'r', privs: 'ALL', objs: 'o' }, mongodb_user: { name: 'u', database: 'd', password: 'p' }, rabbitmq_user: { user: 'u' }, rabbitmq_vhost: { name: '/v' }, rabbitmq_plugin: { names: 'p' },
      blockinfile: { path: '/x' },
      tempfile: {},
      jboss: { deployment: 'a.war', src: '/x.war' }, haproxy: { host: 'web1', state: 'enabled' }, nagios: { action: 'command', command: 'X', host: 'web1', services: 'httpd', servicegroup: 'web' }, zfs: { name: 'p/x', state: 'present' },
    };
    const special: Record<string, Record<string, unknown>> = { 'ufw.direction': { default: 'deny' }, 'ufw.default': {}, 'ufw.policy': {}, 'ufw.state': {}, 'ufw.logging': {} };
    // A choice that needs other arguments than the base call (type=group takes no privs, ...).
    const perChoice: Record<string, (v: string) => Record<string, unknown>> = {
      'postgresql_privs.type': (v) => ({ db: 'd', roles: 'r', ...(v === 'group' ? { objs: 'g' } : { privs: 'ALL', objs: v === 'default_privs' ? 'TABLES' : v === 'function' || v === 'procedure' ? 'f()' : 'o' }) }),
    };
    let checked = 0;
    const defs = definitions('tasks');
    for (const name of moduleNames()) {
      const module = getModule(name)!;
      for (const [arg, schema] of Object.entries((defs[`args.${name}`]!.properties ?? {}) as Record<string, JsonSchema>)) {
        const choices = enumOf(schema);
        if (!choices) continue;
        const args = special[`${name}.${arg}`] ?? base[name];
        expect(args, `a base call for ${name} in this test`).to.not.equal(undefined);
        for (const v of choices) expect(() => module.parse({ ...(perChoice[`${name}.${arg}`]?.(String(v)) ?? args), [arg]: v }, loc), `${name} ${arg}=${v}`).not.to.throw();
        expect(() => module.parse({ ...args, [arg]: 'not-a-choice' }, loc), `${name} ${arg}: the module takes any value`).to.throw(InputError);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(15);
  });

  it('take the boolean words the readers take', () => {
    for (const w of yaml11BoolWords()) expect(() => toBool(w, 'become', loc), w).not.to.throw();
    expect(yaml11BoolWords()).to.include.members(['yes', 'No', 'TRUE', 'off']);
    const reader = (v: string) => new ArgReader('m', { b: v }, loc).bool('b', false);
    for (const w of [...ARG_BOOL_WORDS, ...ARG_BOOL_WORDS.map((w) => w.toUpperCase())]) expect(() => reader(w), w).not.to.throw();
    expect(() => reader('maybe')).to.throw(InputError);
  });

  it('list the connection values the transport accepts', () => {
    for (const v of enumOf(CONNECTION_VARS.ansible_connection!)!) expect(() => connectionSpecFor('h', { ansible_connection: v }, { sshConfigFile: '/dev/null' }), String(v)).not.to.throw();
    expect(() => connectionSpecFor('h', { ansible_connection: 'winrm' }, { sshConfigFile: '/dev/null' })).to.throw(InputError);
    for (const v of enumOf(CONNECTION_VARS.ansible_become_method!)!) expect(() => becomeFor({ ansible_become_method: v }, true), String(v)).not.to.throw();
    expect(() => becomeFor({ ansible_become_method: 'doas' }, true)).to.throw(InputError);
  });
});

/** The enum of a value schema, directly or in its anyOf. */
function enumOf(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  const alternatives = (schema.anyOf ?? []) as JsonSchema[];
  const found = alternatives.map(enumOf).filter((e) => e !== undefined);
  return found.length ? found.flat() : undefined;
}

describe('every YAML file of the repository', () => {
  before(compileFirst);

  const files = repoYamlFiles();

  it('is known to this test (a new kind of file needs a rule in corpus.ts)', () => {
    expect(files.length).to.be.greaterThan(50);
    expect(files.filter((f) => classify(f) === undefined)).to.deep.equal([]);
    for (const f of OVERRIDE_PATHS) expect(existsSync(join(ROOT, f)), `${f} in corpus.ts`).to.equal(true);
  });

  it('get the same schema in VS Code (.vscode/settings.json) as here', () => {
    const settings = JSON.parse(readFileSync(join(ROOT, '.vscode', 'settings.json'), 'utf8'));
    const mapped = Object.entries(settings['yaml.schemas'] as Record<string, string[]>);
    expect(mapped.map(([schema]) => schema).sort()).to.deep.equal(KINDS.map((k) => `./schema/${k}.schema.json`).sort());
    let matched = 0;
    for (const [schema, globs] of mapped) {
      const kind = schema.replace(/^\.\/schema\/(.*)\.schema\.json$/, '$1');
      for (const file of files.filter((f) => globs.some((g) => editorGlob(g).test(f)))) {
        const verdict = classify(file);
        if (verdict && 'skip' in verdict) continue;
        expect(verdict && verdict.kind, `${file} gets ${schema} in the editor`).to.equal(kind);
        matched++;
      }
    }
    expect(matched).to.be.greaterThan(40);
  });

  for (const file of files) {
    const verdict = classify(file);
    if (!verdict || 'skip' in verdict) continue;
    const text = () => readFileSync(join(ROOT, file), 'utf8');
    if ('rejectedAt' in verdict) {
      it(`${file}: refused by the ${verdict.kind} schema at ${verdict.rejectedAt || '/'}`, () => {
        const errors = schemaErrors(verdict.kind, editorView(text()));
        expect(errors.map((e) => e.instancePath), describeErrors(errors)).to.include(verdict.rejectedAt);
      });
      continue;
    }
    it(`${file}: valid ${verdict.kind}${verdict.loaderRefuses ? ` (the loader refuses it: ${verdict.loaderRefuses})` : ''}`, () => {
      const editor = schemaErrors(verdict.kind, editorView(text()));
      expect(editor, `as an editor reads it:\n${describeErrors(editor)}`).to.deep.equal([]);
      if (verdict.loaderRefuses) return;
      const runbook = schemaErrors(verdict.kind, parseYaml(text(), file));
      expect(runbook, `as runbook reads it:\n${describeErrors(runbook)}`).to.deep.equal([]);
    });
  }
});

describe('Ansible shapes', () => {
  before(compileFirst);

  for (const sample of GOOD) {
    it(`${sample.what}: valid, and runbook loads it`, () => {
      for (const [view, data] of [['editor', editorView(sample.yaml)], ['runbook', parseYaml(sample.yaml, 'sample.yml')]] as const) {
        const errors = schemaErrors(sample.kind, data);
        expect(errors, `as ${view} reads it:\n${describeErrors(errors)}`).to.deep.equal([]);
      }
      const refused = runbookRefuses(sample.kind, sample.yaml, sample.files);
      expect(refused?.describe()).to.equal(undefined);
    });
  }
});

describe('mistakes', () => {
  before(compileFirst);

  for (const sample of BAD) {
    it(`${sample.what}: refused at ${sample.at || '/'}${sample.runbook === true ? ', as runbook refuses it' : ''}`, () => {
      const errors = schemaErrors(sample.kind, editorView(sample.yaml));
      expect(reported(errors, sample.at, sample.about), `no error at ${sample.at} about ${sample.about}:\n${describeErrors(errors)}`).to.equal(true);
      const refused = runbookRefuses(sample.kind, sample.yaml, sample.files);
      if (sample.runbook === true) expect(refused, 'runbook accepts it').to.be.instanceOf(InputError);
      else expect(refused?.describe(), `runbook now refuses it: make runbook: true (was: ${sample.runbook})`).to.equal(undefined);
    });
  }
});
