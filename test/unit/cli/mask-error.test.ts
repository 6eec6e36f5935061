import { expect } from 'chai';
import { InputError, TaskFailure } from '../../../src/core/errors.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { maskError } from '../../../src/cli/mask-error.js';

describe('the CLI error boundary masks secrets', () => {
  const secret = 'p&ss=w+rd!@%x';
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  const secrets = (): SecretSet => {
    const s = new SecretSet();
    s.add(secret);
    return s;
  };

  it('masks a RunbookError message and hint in every form, as describe() prints them', () => {
    const err = new InputError(`bad value ${secret} in redis://:${encodeURIComponent(secret)}@h`, { file: 'x.yml', line: 1, col: 2 }, `was "${secret}"`);
    maskError(err, secrets());
    const printed = err.describe();
    for (const form of forms) expect(printed).not.to.include(form);
    expect(printed).to.include('x.yml:1:2').and.include('********');
  });

  it('masks the stack that an unexpected error prints', () => {
    const err = new Error(`boom ${secret}`);
    maskError(err, secrets());
    expect(err.message).to.equal('boom ********');
    expect(err.stack).not.to.include(secret);
  });

  it('leaves an error without secrets, and a non-error, as they are', () => {
    const err = new TaskFailure('plain failure', undefined, 'a hint');
    maskError(err, secrets());
    expect(err.describe()).to.equal('plain failure\n  hint: a hint\n  see: docs/troubleshooting.md#task-failed');
    expect(() => maskError('text', secrets())).not.to.throw();
  });
});
