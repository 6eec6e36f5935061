// `runbook lab up --light --hosts N`: the flags are checked before anything is started.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { labCliCommand } from '../../../src/cli/lab.js';

async function refusal(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('cli: lab up --light', () => {
  it('takes --hosts only with --light, and a whole number of hosts', async () => {
    expect((await refusal(labCliCommand('up', undefined, { dir: '/nonexistent', hosts: '5' }))).message).to.match(/--hosts is for a light lab/);
    expect((await refusal(labCliCommand('up', undefined, { dir: '/nonexistent', light: true, hosts: 'many' }))).message).to.match(/'many' is not a number of hosts/);
    expect((await refusal(labCliCommand('up', undefined, { dir: '/nonexistent', light: true, hosts: '0' }))).message).to.match(/'0' is not a number/);
  });

  it('refuses more light hosts than a /22 holds before touching the machine', async () => {
    expect((await refusal(labCliCommand('up', undefined, { dir: '/nonexistent', light: true, hosts: '5000' }))).message).to.match(/1 to 1012 hosts, not 5000/);
  });
});
