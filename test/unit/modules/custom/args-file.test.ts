import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argsFileText, pythonJson, type RunFlags } from '../../../../src/modules/custom/args-file.js';
import { scratchDir } from '../../../support/temp-dir.js';

const flags: RunFlags = { module: 'demo', check: true, diff: false, noLog: false, verbosity: 1 };

describe('custom modules: the arguments file, per kind (ActionBase._execute_module)', () => {
  it('binary and WANT_JSON: the arguments and the _ansible_* flags as one JSON object', () => {
    const doc = JSON.parse(argsFileText('want_json', { name: 'x', n: 2 }, flags)!);
    expect(doc).to.include({ name: 'x', n: 2, _ansible_check_mode: true, _ansible_diff: false, _ansible_no_log: false, _ansible_module_name: 'demo', _ansible_verbosity: 1 });
    expect(JSON.parse(argsFileText('binary', {}, flags)!)._ansible_check_mode).to.equal(true);
  });

  it("written as Python's json.dumps writes it (shell and C modules grep for '\"key\": \"value\"')", () => {
    expect(pythonJson({ a: 'é', b: [1, true, null], c: { d: 'x"y' } })).to.equal('{"a": "\\u00e9", "b": [1, true, null], "c": {"d": "x\\"y"}}');
    expect(argsFileText('binary', { path: '/p' }, flags)).to.contain('"path": "/p", ').and.contain('"_ansible_check_mode": true');
  });

  it('new-style Python: wrapped in ANSIBLE_MODULE_ARGS; jsonargs takes no file', () => {
    expect(JSON.parse(argsFileText('python', { a: 1 }, flags)!).ANSIBLE_MODULE_ARGS).to.include({ a: 1, _ansible_check_mode: true });
    expect(argsFileText('jsonargs', { a: 1 }, flags)).to.equal(null);
  });

  it('old-style: key=value words quoted for the shell, booleans as Python writes them; a sourced file gets the values back', () => {
    const text = argsFileText('old', { greeting: "it's a b", flag: true }, flags)!;
    expect(text).to.contain(`greeting='it'\\''s a b' `).and.contain('flag=True ').and.contain('_ansible_check_mode=True ');
    const dir = scratchDir('runbook-args-');
    writeFileSync(join(dir, 'args'), text);
    const r = spawnSync('sh', ['-c', '. "$1"; printf %s "$greeting|$flag"', 'sh', join(dir, 'args')], { encoding: 'utf8' });
    expect(r.stdout).to.equal("it's a b|True");
  });
});
