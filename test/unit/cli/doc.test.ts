// `runbook doc`: what the terminal shows for a module, the list and a keyword.
import { expect } from 'chai';
import { docCommand } from '../../../src/cli/doc.js';
import { InputError } from '../../../src/core/errors.js';

function run(module: string | undefined, opts: { list?: boolean; keyword?: string } = {}): string {
  let text = '';
  docCommand(module, opts, (t) => (text += t));
  return text;
}

describe('runbook doc', () => {
  it('prints synopsis, arguments, check mode, diff, return values and examples', () => {
    const text = run('copy');
    for (const heading of ['COPY', 'ARGUMENTS', 'CHECK MODE', 'DIFF', 'RETURN VALUES', 'EXAMPLES']) expect(text).to.contain(heading);
    expect(text).to.match(/^ {2}force \(boolean, default: true\)$/m);
    expect(text).to.match(/^ {2}dest \(string, required\)$/m);
    expect(text).to.match(/^ {2}Needs: 'dest' and one of 'src' or 'content' are required\.$/m);
    expect(text).to.contain('checksum: sha1 of the new content.');
  });

  it('shows required arguments, choices and aliases', () => {
    const text = run('file');
    expect(text).to.match(/^ {2}path \(string, required\)$/m);
    expect(text).to.match(/^ {6}aliases: dest, name$/m);
    expect(text).to.match(/^ {6}choices: file, directory, absent, touch, link$/m);
  });

  it('lists every module with its synopsis (-l)', () => {
    const text = run(undefined, { list: true });
    expect(text).to.match(/^copy +Puts a file/m);
    expect(text).to.match(/^ufw /m);
  });

  it('explains a keyword (-k)', () => {
    expect(run(undefined, { keyword: 'notify' })).to.match(/^notify \(task\)\n {2}Handler names/);
  });

  it('refuses an unknown module with did-you-mean', () => {
    expect(() => run('tempalte')).to.throw(InputError, /no module named 'tempalte'/);
  });
});
