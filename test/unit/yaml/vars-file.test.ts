import { expect } from 'chai';
import { loadVarsFile, readVarsText } from '../../../src/yaml/vars-file.js';
import { expectInputError, fixture } from './helpers.js';

describe('yaml/vars-file', () => {
  it('loads a mapping with Ansible booleans', () => {
    expect(loadVarsFile(fixture('vars', 'app.yml'))).to.deep.equal({ app_name: 'shop', app_debug: false });
  });

  it('reads an empty file as no variables', () => {
    expect(loadVarsFile(fixture('vars', 'empty.yml'))).to.deep.equal({});
  });

  it('refuses a file that is not a mapping, at the list', () => {
    const file = fixture('vars', 'list.yml');
    expectInputError(() => loadVarsFile(file), file, 2, 1, 'must be a mapping');
  });

  it('points a missing file at where it was referenced', () => {
    const from = { file: 'site.yml', line: 7, col: 9 };
    expectInputError(() => loadVarsFile(fixture('vars', 'nope.yml'), from), 'site.yml', 7, 9, 'file not found');
  });

  it('readVarsText returns the raw text (the hook for vault decryption)', () => {
    expect(readVarsText(fixture('vars', 'app.yml'))).to.equal('app_name: shop\napp_debug: no\n');
  });
});
