// ini_file editing rules as pure text cases, php.ini-shaped.
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

  it('adds a new option after the last setting of the section, leaving the commented one alone', () => {
    const r = iniEdit(php, o({ section: 'Session', option: 'session.save_path', value: '"tcp://10.0.0.1:6379?auth=p%26w"' }));
    expect(r.msg).to.equal('option added');
    expect(r.text).to.contain(';session.save_path = "/var/lib/php/sessions"\nsession.use_strict_mode = 0\nsession.save_path = "tcp://10.0.0.1:6379?auth=p%26w"\n\n; trailing comment');
    const again = iniEdit(r.text, o({ section: 'Session', option: 'session.save_path', value: '"tcp://10.0.0.1:6379?auth=p%26w"' }));
    expect(again).to.deep.equal({ text: r.text, msg: '' });
  });

  it('does not mistake a longer option for the one asked', () => {
    const r = iniEdit('[s]\nfoobar = 1\n', o({ section: 's', option: 'foo', value: '2' }));
    expect(r.text).to.equal('[s]\nfoobar = 1\nfoo = 2\n');
  });

  it('drops later duplicates, adds a missing section, and writes no_extra_spaces', () => {
    expect(iniEdit('[s]\na = 1\na = 2\n', o({ section: 's', option: 'a', value: '1' }))).to.deep.equal({ text: '[s]\na = 1\n', msg: 'option changed' });
    expect(iniEdit('x=1\n', o({ section: 'new', option: 'k', value: 'v', noExtraSpaces: true }))).to.deep.equal({ text: 'x=1\n[new]\nk=v\n', msg: 'section and option added' });
    expect(iniEdit('', o({ section: 's', option: 'k', value: 'v' })).text).to.equal('[s]\nk = v\n');
  });

  it('global options before the first section', () => {
    expect(iniEdit('# top\n[s]\nk = v\n', o({ option: 'g', value: '1' })).text).to.equal('g = 1\n# top\n[s]\nk = v\n');
    expect(iniEdit('g = 0\n[s]\n', o({ option: 'g', value: '1' })).text).to.equal('g = 1\n[s]\n');
  });

  it('absent removes the option, or the whole section', () => {
    expect(iniEdit(php, o({ section: 'Session', option: 'session.use_strict_mode', state: 'absent' })).text).not.to.contain('use_strict_mode');
    const r = iniEdit(php, o({ section: 'Session', state: 'absent' }));
    expect(r.msg).to.equal('section removed');
    expect(r.text).to.equal('[PHP]\nengine = On\n\n[Assertion]\nzend.assertions = -1\n');
    expect(iniEdit(php, o({ section: 'Nope', option: 'x', state: 'absent' })).text).to.equal(php);
  });

  it('allow_no_value writes a bare option', () => {
    expect(iniEdit('[mysqld]\n', o({ section: 'mysqld', option: 'skip-name-resolve', allowNoValue: true })).text).to.equal('[mysqld]\nskip-name-resolve\n');
  });
});
