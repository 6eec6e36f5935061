import { expect } from 'chai';
import { interpreterFor, isBinary, moduleKind, shebang } from '../../../../src/modules/custom/kind.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('custom modules: kind, as ansible-core decides it (executor/module_common.py)', () => {
  it('a control byte in the first 1024 bytes makes a binary; tabs, escapes and UTF-8 do not', () => {
    expect(isBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]))).to.equal(true);
    expect(isBinary(b('#!/bin/sh\n\techo "\x1b[1mé"\r\n'))).to.equal(false);
    // Past 1024 bytes nothing is looked at.
    expect(isBinary(Buffer.concat([b('x'.repeat(1024)), Buffer.from([0])]))).to.equal(false);
    expect(moduleKind(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]))).to.equal('binary');
  });

  it('new-style Python: imports of ansible.module_utils (absolute, relative, collections) or the old REPLACER', () => {
    expect(moduleKind(b('#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n'))).to.equal('python');
    expect(moduleKind(b('import ansible.module_utils.basic\n'))).to.equal('python');
    expect(moduleKind(b('from ansible_collections.ns.col.plugins.module_utils.x import y\n'))).to.equal('python');
    expect(moduleKind(b('from ..module_utils.x import y\n'))).to.equal('python');
    expect(moduleKind(b('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>\n'))).to.equal('python');
  });

  it('WANT_JSON anywhere, the JSON-arguments marker, PowerShell, and everything else old-style', () => {
    expect(moduleKind(b('#!/bin/bash\n# WANT_JSON\ncat "$1"\n'))).to.equal('want_json');
    expect(moduleKind(b('#!/usr/bin/perl\nmy $a = <<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>;\n'))).to.equal('jsonargs');
    expect(moduleKind(b('#Requires -Module Ansible.ModuleUtils.Legacy\n'))).to.equal('powershell');
    expect(moduleKind(b('#!/bin/sh\n. "$1"\necho "{}"\n'))).to.equal('old');
    // A Python module that does not import module_utils is old-style, as in Ansible.
    expect(moduleKind(b('#!/usr/bin/python\nimport json, sys\nprint(json.dumps({}))\n'))).to.equal('old');
  });

  it("the interpreter: a shebang's Python goes to ansible_python_interpreter, else python3; others stand unless ansible_NAME_interpreter", () => {
    expect(shebang(b('#!/usr/bin/env python3 -u\n'))).to.deep.equal({ program: '/usr/bin/env', args: ['python3', '-u'] });
    expect(shebang(b('echo\n'))).to.equal(undefined);
    expect(interpreterFor('want_json', b('#!/usr/bin/python\n'), {})).to.deep.equal(['python3']);
    expect(interpreterFor('python', b('#!/usr/bin/env python\n'), { ansible_python_interpreter: '/opt/py/bin/python3.11' })).to.deep.equal(['/opt/py/bin/python3.11']);
    expect(interpreterFor('python', b('from ansible.module_utils.basic import *\n'), {})).to.deep.equal(['python3']);
    expect(interpreterFor('want_json', b('#!/bin/bash\n'), {})).to.equal(undefined);
    expect(interpreterFor('want_json', b('#!/bin/bash\n'), { ansible_bash_interpreter: '/usr/local/bin/bash' })).to.deep.equal(['/usr/local/bin/bash']);
    expect(interpreterFor('old', b('echo\n'), {})).to.equal(undefined);
    expect(interpreterFor('binary', b('#!/usr/bin/python\n'), {})).to.equal(undefined);
  });
});
