import { expect } from 'chai';
import { jsonPart, moduleOutcome } from '../../../../src/modules/custom/result.js';

const ran = (stdout: string, code = 0, stderr = '') => ({ stdout, stderr, code });
const FILE = '/p/roles/r/library/demo.py';

describe("custom modules: the module's reply", () => {
  it('JSON after noise lines and before trailing text is found, as Ansible filters it', () => {
    expect(jsonPart('motd\nmore\n{"changed": true}\ntrailing')).to.equal('{"changed": true}');
    expect(jsonPart('no json here')).to.equal(undefined);
  });

  it('changed, msg and every other key registered; _ansible_* keys dropped; stdout_lines added', () => {
    const out = moduleOutcome(FILE, 'demo', ran('{"changed": true, "msg": "done", "value": 3, "stdout": "a\\nb\\n", "_ansible_no_log": false}'), false);
    expect(out.changed).to.equal(true);
    expect(out.failed).to.equal(undefined);
    expect(out.msg).to.equal('done');
    expect(out.data).to.deep.equal({ changed: true, msg: 'done', value: 3, stdout: 'a\nb\n', stdout_lines: ['a', 'b'] });
  });

  it('failed, or a non-zero rc without failed, fails the task with the message; skipped skips it', () => {
    expect(moduleOutcome(FILE, 'demo', ran('{"failed": true, "msg": "no way"}', 1), false).failed).to.equal('no way');
    expect(moduleOutcome(FILE, 'demo', ran('{"rc": 2, "stderr": "x"}'), false).failed).to.equal('demo failed without a message');
    expect(moduleOutcome(FILE, 'demo', ran('{"rc": 2, "failed": false}'), false).failed).to.equal(undefined);
    const skipped = moduleOutcome(FILE, 'demo', ran('{"skipped": true, "msg": "remote module (demo) does not support check mode"}'), false);
    expect(skipped.skipped).to.equal('remote module (demo) does not support check mode');
  });

  it('ansible_facts become host facts; a diff is shown only under --diff', () => {
    const out = moduleOutcome(FILE, 'demo', ran('{"changed": true, "ansible_facts": {"demo_seen": 1}, "diff": {"before": "a\\n", "after": "b\\n", "after_header": "/etc/x"}}'), true);
    expect(out.facts).to.deep.equal({ demo_seen: 1 });
    expect(out.diffs).to.deep.equal([{ path: '/etc/x', before: 'a\n', after: 'b\n' }]);
    expect(moduleOutcome(FILE, 'demo', ran('{"changed": true, "diff": {"before": "a", "after": "b"}}'), false).diffs).to.equal(undefined);
  });

  it('output that is not a JSON object is a module failure naming the file, with its output kept', () => {
    const out = moduleOutcome(FILE, 'demo', ran('hello', 3, 'Traceback: boom'), false);
    expect(out.failed).to.match(/^MODULE FAILURE: \/p\/roles\/r\/library\/demo\.py printed no JSON result \(exit code 3\):\nTraceback: boom$/);
    expect(out.data).to.deep.equal({ module_stdout: 'hello', module_stderr: 'Traceback: boom', rc: 3 });
    expect(moduleOutcome(FILE, 'demo', ran('{"a": }'), false).failed).to.match(/demo\.py printed output that is not JSON/);
    expect(moduleOutcome(FILE, 'demo', ran('[1]'), false).failed).to.match(/printed no JSON result/);
  });

  it("an import runbook's module_utils stand-in lacks is named", () => {
    const out = moduleOutcome(FILE, 'demo', ran('', 1, "ModuleNotFoundError: No module named 'ansible.module_utils.urls'"), false);
    expect(out.failed).to.contain('it imports ansible.module_utils.urls, which runbook');
  });
});
