// `runbook doc` and docs/modules/ read one reference per module, built from the registry, the
// module's own validator and src/schema/: these tests hold it to what the validator does.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { getModule, moduleNames } from '../../../src/modules/registry.js';
import { moduleDocFiles } from '../../../src/output/doc/files.js';
import { keywordReference } from '../../../src/schema/keyword-reference.js';
import { moduleReference, type ModuleReference } from '../../../src/schema/module-reference.js';
import { ROOT } from './support.js';

const arg = (ref: ModuleReference, name: string) => {
  const found = ref.arguments.find((a) => a.name === name);
  if (!found) throw new Error(`${ref.name} has no argument ${name}: ${ref.arguments.map((a) => a.name).join(', ')}`);
  return found;
};

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('module reference (runbook doc, docs/modules)', () => {
  it('says what the validator requires, read from the validator itself', () => {
    expect(arg(moduleReference('file'), 'path').required).to.equal(true);
    expect(arg(moduleReference('file'), 'mode').required).to.equal(false);
    expect(moduleReference('copy').needs).to.match(/src.*content/);
  });

  it('folds aliases into the argument they name, with type, default and choices', () => {
    const path = arg(moduleReference('lineinfile'), 'path');
    expect(path.aliases).to.have.members(['dest', 'destfile', 'name']);
    expect(moduleReference('lineinfile').arguments.map((a) => a.name)).not.to.include('dest');
    const state = arg(moduleReference('lineinfile'), 'state');
    expect(state).to.include({ type: 'choice', default: 'present' });
    expect(state.choices).to.deep.equal(['present', 'absent']);
    expect(arg(moduleReference('copy'), 'force')).to.include({ type: 'boolean', default: 'true' });
    expect(arg(moduleReference('copy'), 'mode').type).to.equal('mode');
    expect(arg(moduleReference('wait_for'), 'timeout')).to.include({ type: 'integer', default: '300' });
  });

  it('finds a module by any name users write, and names the closest module for a typo', () => {
    expect(moduleReference('ansible.builtin.systemd_service').name).to.equal('systemd');
    expect(moduleReference('systemd').aliases).to.include('systemd_service');
    const err = thrown(() => moduleReference('cpoy'));
    expect(err.message).to.contain("no module named 'cpoy'");
    expect(err.hint).to.contain("did you mean 'copy'");
  });

  it('tells check mode from the module kind: planned, run, or skipped with the reason', () => {
    expect(moduleReference('copy').checkMode).to.match(/reports what it would change/);
    expect(moduleReference('assert').checkMode).to.match(/Runs in check mode/);
    expect(moduleReference('wait_for').checkMode).to.match(/^Skipped in check mode/);
    expect(moduleReference('command').checkMode).to.match(/^Not run in check mode.*changed when creates:\/removes: say it would run/);
    expect(moduleReference('template').diff).to.match(/unified diff/);
  });

  it('documents every module of the registry from its own spec, with an example', () => {
    for (const name of moduleNames()) {
      const spec = getModule(name)!.spec;
      expect(spec, `${name} has a spec`).to.not.equal(undefined);
      expect(spec!.examples, `${name}'s spec: examples`).to.be.a('string').and.not.be.empty;
      expect(moduleReference(name).synopsis).to.equal(spec!.description);
    }
  });

  it('explains a keyword, or names the closest one', () => {
    const when = keywordReference('when');
    expect(when.meanings.map((m) => m.where)).to.include('task');
    expect(keywordReference('hosts').meanings[0]!.where).to.equal('play');
    expect(thrown(() => keywordReference('whne')).hint).to.contain("did you mean 'when'");
  });

  it('docs/modules/ is what npm run docs:modules writes now (not stale)', () => {
    const dir = join(ROOT, 'docs', 'modules');
    const files = moduleDocFiles();
    const stale = Object.entries(files).filter(([name, text]) => !existsSync(join(dir, name)) || readFileSync(join(dir, name), 'utf8') !== text).map(([n]) => n);
    const orphans = existsSync(dir) ? readdirSync(dir).filter((n) => !(n in files)) : [];
    expect([...stale, ...orphans], 'out of date: run npm run docs:modules and commit docs/modules/').to.deep.equal([]);
  });
});
