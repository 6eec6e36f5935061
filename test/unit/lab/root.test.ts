// The cached root is named after its recipe, and the recipe holds what the roles install.
import { expect } from 'chai';
import { ensureRoot, rootPath, rootStamp, variantStamp } from '../../../src/lab/root.js';
import { InputError } from '../../../src/core/errors.js';
import { REPO_INSTALL_SETS, REPO_PACKAGES } from '../../../src/lab/packages.js';

describe('lab/root', () => {
  it('names the cached root after a stamp of its recipe', () => {
    expect(rootStamp()).to.match(/^[0-9a-f]{12}$/);
    expect(rootStamp()).to.equal(rootStamp());
    expect(rootPath()).to.equal(`/var/cache/runbook-lab/root-${rootStamp()}`);
  });

  it('gives a root variant with extra packages its own stamp, whatever their order, and leaves the base stamp alone', () => {
    const v = variantStamp(['python3', 'python3-apt']);
    expect(v).to.match(/^[0-9a-f]{12}$/);
    expect(v).to.not.equal(rootStamp());
    expect(variantStamp(['python3-apt', 'python3', 'python3'])).to.equal(v);
    expect(variantStamp(['python3'])).to.not.equal(v);
  });

  it('refuses an extra package name apt would read as an option, before building anything', async () => {
    const err = await ensureRoot(() => {}, ['--allow-unauthenticated']).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.include('--allow-unauthenticated');
  });

  it('downloads every role package alone and all together (or-dependencies resolve differently)', () => {
    for (const p of REPO_PACKAGES) expect(REPO_INSTALL_SETS).to.deep.include([p]);
    expect(REPO_INSTALL_SETS).to.deep.include(REPO_PACKAGES);
    for (const p of ['redis-server', 'redis-tools', 'php-fpm', 'php-redis', 'nginx', 'apache2', 'libapache2-mod-php', 'ufw', 'python3-apt']) {
      expect(REPO_PACKAGES).to.include(p);
    }
  });
});
