// ini_file editing rules as pure text cases, php.ini-shaped. The table's expected texts and messages
// are what ansible-playbook 2.14 (community.general 6.6.2's ini_file) wrote for the same input.
import { expect } from 'chai';
import { iniEdit, type IniEdit } from '../../../../src/modules/lib/ini-edit.js';

const php = `[PHP]
engine = On

[Session]
; Handler used to store/retrieve data.
session.save_handler = files
;session.save_path = "/var/lib/php/sessions"
session.use_strict_mode = 0

; trailing comment about gc
;session.gc_probability = 1

[Assertion]
zend.assertions = -1
`;

const o = (x: Partial<IniEdit>): IniEdit => ({ state: 'present', noExtraSpaces: false, allowNoValue: false, ...x });

describe('modules/lib/ini-edit (community.general ini_file rules)', () => {
  it('replaces an existing active option in place', () => {
    const r = iniEdit(php, o({ section: 'Session', option: 'session.save_handler', value: 'redis' }));
    expect(r.msg).to.equal('option changed');
    expect(r.text).to.equal(php.replace('session.save_handler = files', 'session.save_handler = redis'));
    expect(iniEdit(r.text, o({ section: 'Session', option: 'session.save_handler', value: 'redis' })).msg).to.equal('');
  });

  it('replaces a commented-out line of the option, as Ansible 2.14 does', () => {
    const r = iniEdit(php, o({ section: 'Session', option: 'session.save_path', value: '"tcp://10.0.0.1:6379?auth=p%26w"' }));
    expect(r.msg).to.equal('option changed');
    expect(r.text).to.equal(php.replace(';session.save_path = "/var/lib/php/sessions"', 'session.save_path = "tcp://10.0.0.1:6379?auth=p%26w"'));
    const again = iniEdit(r.text, o({ section: 'Session', option: 'session.save_path', value: '"tcp://10.0.0.1:6379?auth=p%26w"' }));
    expect(again).to.deep.equal({ text: r.text, msg: '' });
  });

  it('adds a new option after the last setting of the section, above the comments that trail it', () => {
    const r = iniEdit(php, o({ section: 'Session', option: 'session.gc_maxlifetime', value: '1440' }));
    expect(r.msg).to.equal('option added');
    expect(r.text).to.contain('session.use_strict_mode = 0\nsession.gc_maxlifetime = 1440\n\n; trailing comment');
  });

  it('does not mistake a longer option for the one asked', () => {
    const r = iniEdit('[s]\nfoobar = 1\n', o({ section: 's', option: 'foo', value: '2' }));
    expect(r.text).to.equal('[s]\nfoobar = 1\nfoo = 2\n');
  });

  // [input, arguments, text Ansible wrote, Ansible's msg] (runbook says '' where Ansible says OK and changed nothing).
  const table: [string, Partial<IniEdit>, string, string][] = [
    ['[s]\n#key2 = x\nkey3 = y\n', { section: 's', option: 'key2', value: 'new' }, '[s]\nkey2 = new\nkey3 = y\n', 'option changed'],
    ['', { section: 'n', option: 'o', value: '1' }, '\n[n]\no = 1\n', 'section and option added'],
    ['', { option: 'o', value: '1' }, 'o = 1\n\n', 'option added'],
    ['[s]\n#key2 = x\nkey2 = y\n', { section: 's', option: 'key2', value: 'new' }, '[s]\nkey2 = new\n', 'option changed'],
    ['[s]\n;key2\n', { section: 's', option: 'key2', value: 'v' }, '[s]\nkey2 = v\n', 'option changed'],
    ['[s]\na = 1\n#a = 2\n', { section: 's', option: 'a', value: '1' }, '[s]\na = 1\n', 'option changed'],
    ['[s]\na = 1\na = 2\n', { section: 's', option: 'a', value: '1' }, '[s]\na = 1\n', 'option changed'],
    ['[s]\n#a = 1\na = 2\n', { section: 's', option: 'a', state: 'absent' }, '[s]\n#a = 1\n', 'option changed'],
    ['[mysqld]\n#skip-name-resolve\n', { section: 'mysqld', option: 'skip-name-resolve', allowNoValue: true }, '[mysqld]\nskip-name-resolve\n', 'option changed'],
    ['[s]\na = 1\n#a\n', { section: 's', option: 'a', allowNoValue: true }, '[s]\na\n#a\n', 'option changed'],
    ['[s]\na\n', { section: 's', option: 'a', value: '', allowNoValue: true }, '[s]\na\n', ''],
    ['  [s]\na = 1\n', { section: 's', option: 'a', value: '2' }, '  [s]\na = 1\n[s]\na = 2\n', 'section and option added'],
    ['[s]\na = 1', { section: 's', option: 'a', value: '1' }, '[s]\na = 1\n', 'newline added at end of file'],
    ['', { section: 's', option: 'k', state: 'absent' }, '', ''],
    ['[s]\n # a = 1\n', { section: 's', option: 'a', value: '2' }, '[s]\na = 2\n # a = 1\n', 'option added'],
    ['[s]\na = 1\n', { section: 's', allowNoValue: true }, '[s]\na = 1\n', ''],
    ['[s]\na = 1\n', { section: 't', allowNoValue: true }, '[s]\na = 1\n[t]\n', 'only section added'],
    ['g = 0\n[s]\n#g = 1\n', { option: 'g', value: '1' }, 'g = 1\n[s]\n#g = 1\n', 'option changed'],
    ['x=1\n', { section: 'new', option: 'k', value: 'v', noExtraSpaces: true }, 'x=1\n[new]\nk=v\n', 'section and option added'],
    ['# top\n[s]\nk = v\n', { option: 'g', value: '1' }, 'g = 1\n# top\n[s]\nk = v\n', 'option added'],
  ];
  for (const [input, args, text, msg] of table) {
    it(`${JSON.stringify(input)} with ${JSON.stringify(args)} gives what Ansible wrote`, () => {
      expect(iniEdit(input, o(args))).to.deep.equal({ text, msg });
    });
  }

  it('allow_no_value with a value sets it like without (deliberately not Ansible 2.14, which appends a second line or a bare one)', () => {
    expect(iniEdit('[s]\na = 1\n', o({ section: 's', option: 'a', value: '2', allowNoValue: true }))).to.deep.equal({ text: '[s]\na = 2\n', msg: 'option changed' });
    expect(iniEdit('[s]\na = 1\n', o({ section: 's', option: 'a', value: '1', allowNoValue: true }))).to.deep.equal({ text: '[s]\na = 1\n', msg: '' });
  });

  it('absent removes the option, or the whole section', () => {
    expect(iniEdit(php, o({ section: 'Session', option: 'session.use_strict_mode', state: 'absent' })).text).not.to.contain('use_strict_mode');
    const r = iniEdit(php, o({ section: 'Session', state: 'absent' }));
    expect(r.msg).to.equal('section removed');
    expect(r.text).to.equal('[PHP]\nengine = On\n\n[Assertion]\nzend.assertions = -1\n');
    expect(iniEdit(php, o({ section: 'Nope', option: 'x', state: 'absent' }))).to.deep.equal({ text: php, msg: '' });
  });

  it('allow_no_value writes a bare option', () => {
    expect(iniEdit('[mysqld]\n', o({ section: 'mysqld', option: 'skip-name-resolve', allowNoValue: true })).text).to.equal('[mysqld]\nskip-name-resolve\n');
  });
});
