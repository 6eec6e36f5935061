// apt_key plans from canned keyring files (base64, as the probe prints them): keys split and fingerprinted on the controller, no gpg on the host.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { armor, dearmor, keyMatches, readKeys } from '../../../../src/modules/lib/openpgp.js';
import { parseAptKeyArgs, planAptKey } from '../../../../src/modules/system/apt-key.js';
import { loc } from './fixtures/context.js';
import { KEY_ONE, KEY_ONE_FPR, KEY_ONE_SUB, KEY_TWO, KEY_TWO_FPR } from './fixtures/pgp-keys.js';
import { sections } from './fixtures/sections.js';

const bin = (armored: string) => dearmor(armored);
/** Keyring files on the host: path -> content. `source` is what the probe read from file:/url:. */
function host(files: Record<string, Buffer>, source?: string) {
  const text = Object.entries(files).map(([path, c]) => `file\t${path}\t644\n${c.toString('base64')}\n`).join('');
  return sections({ keyrings: text, ...(source !== undefined ? { source: `${source}\n` } : {}) });
}
const plan = (raw: Record<string, unknown>, files: Record<string, Buffer>, source?: string) => planAptKey(parseAptKeyArgs(raw, loc), host(files, source));
const RING = '/etc/apt/keyrings/vendor.gpg';

describe('modules/system/apt_key', () => {
  it('reads keys and fingerprints as gpg does, armored or not, subkeys included', () => {
    const keys = readKeys(Buffer.from(KEY_ONE));
    expect(keys.map((k) => k.fingerprint)).to.deep.equal([KEY_ONE_FPR]);
    expect(keys[0]!.subkeys).to.deep.equal([KEY_ONE_SUB]);
    expect(readKeys(Buffer.concat([bin(KEY_ONE), bin(KEY_TWO)])).map((k) => k.fingerprint)).to.deep.equal([KEY_ONE_FPR, KEY_TWO_FPR]);
    expect(readKeys(Buffer.from(armor(bin(KEY_TWO)))).map((k) => k.fingerprint)).to.deep.equal([KEY_TWO_FPR]);
    expect(armor(bin(KEY_ONE)).replace(/\n/g, '')).to.contain(KEY_ONE.split('\n\n')[1]!.split('\n=')[0]!.replace(/\n/g, ''));
    for (const id of [KEY_ONE_FPR, KEY_ONE_FPR.slice(-16), `0x${KEY_ONE_FPR.slice(-8).toLowerCase()}`, KEY_ONE_SUB.slice(-16)]) expect(keyMatches(keys[0]!, id), id).to.equal(true);
    expect(keyMatches(keys[0]!, KEY_TWO_FPR)).to.equal(false);
  });

  it('writes a new keyring, dearmored, for signed-by', () => {
    const p = plan({ data: KEY_ONE, keyring: RING }, {});
    expect(p.changes).to.deep.equal([`add key ${KEY_ONE_FPR} to ${RING}`]);
    expect(Buffer.compare(p.steps[0]!.stdin as Buffer, bin(KEY_ONE))).to.equal(0);
    expect(p.steps[0]!.script).to.contain(`dest=${RING}`).and.to.contain('chmod 0644');
    expect(p.data).to.deep.include({ fp: KEY_ONE_FPR, key_id: KEY_ONE_FPR.slice(-16), short_id: KEY_ONE_FPR.slice(-8), before: [], after: [KEY_ONE_FPR] });
  });

  it('writes an armored keyring for a .asc path', () => {
    const p = plan({ data: KEY_ONE, keyring: '/etc/apt/keyrings/vendor.asc' }, {});
    expect((p.steps[0]!.stdin as Buffer).toString()).to.match(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n/);
  });

  it('changes nothing when the key is there (by data, or by id alone)', () => {
    expect(plan({ data: KEY_ONE, keyring: RING }, { [RING]: bin(KEY_ONE) })).to.deep.include({ changes: [], steps: [] });
    expect(plan({ id: KEY_ONE_FPR.slice(-8), keyring: RING }, { [RING]: Buffer.from(armor(bin(KEY_ONE))) })).to.deep.include({ changes: [], steps: [] });
    expect(plan({ id: KEY_ONE_FPR, data: KEY_TWO }, { '/etc/apt/trusted.gpg.d/x.gpg': bin(KEY_ONE) }).changes).to.deep.equal([]);
  });

  it('appends a second key to a keyring, keeping the first', () => {
    const p = plan({ data: KEY_TWO, keyring: RING }, { [RING]: bin(KEY_ONE) });
    expect(readKeys(p.steps[0]!.stdin as Buffer).map((k) => k.fingerprint)).to.deep.equal([KEY_ONE_FPR, KEY_TWO_FPR]);
  });

  it('without keyring, trusts the key from /etc/apt/trusted.gpg.d', () => {
    const p = plan({ data: KEY_TWO }, {});
    expect(p.changes).to.deep.equal([`add key ${KEY_TWO_FPR} to /etc/apt/trusted.gpg.d/runbook-${KEY_TWO_FPR.slice(-16)}.gpg`]);
  });

  it('adds a key file read from the host', () => {
    const p = plan({ file: '/tmp/k.asc', keyring: RING }, {}, Buffer.from(KEY_TWO).toString('base64'));
    expect(p.changes).to.deep.equal([`add key ${KEY_TWO_FPR} to ${RING}`]);
    expect(plan({ file: '/tmp/k.asc', keyring: RING }, {}, 'missing').failure?.msg).to.match(/the key file \/tmp\/k.asc does not exist on the host/);
  });

  it('removes a key: the file when it was the only one, otherwise the rest rewritten', () => {
    const only = plan({ id: KEY_ONE_FPR, keyring: RING, state: 'absent' }, { [RING]: bin(KEY_ONE) });
    expect(only.steps.map((s) => s.script)).to.deep.equal([`rm -f -- ${RING}`]);
    const both = plan({ id: KEY_ONE_FPR.slice(-16), state: 'absent' }, { '/etc/apt/trusted.gpg': Buffer.concat([bin(KEY_ONE), bin(KEY_TWO)]) });
    expect(readKeys(both.steps[0]!.stdin as Buffer).map((k) => k.fingerprint)).to.deep.equal([KEY_TWO_FPR]);
    expect(both.data).to.deep.include({ before: [KEY_ONE_FPR, KEY_TWO_FPR], after: [KEY_TWO_FPR] });
    expect(plan({ id: KEY_ONE_FPR, keyring: RING, state: 'absent' }, {})).to.deep.include({ changes: [], steps: [] });
  });

  it('fails clearly: data holding another id, an id with nothing to add, a broken keyring', () => {
    expect(plan({ id: KEY_ONE_FPR, data: KEY_TWO, keyring: RING }, {}).failure?.msg).to.match(new RegExp(`holds ${KEY_TWO_FPR}, not the id ${KEY_ONE_FPR}`));
    expect(plan({ id: KEY_ONE_FPR, keyring: RING }, {}).failure?.msg).to.match(/is not in \/etc\/apt\/keyrings\/vendor.gpg, and no data, file or url was given/);
    expect(plan({ data: KEY_ONE, keyring: RING }, { [RING]: Buffer.from('not a key') }).failure?.msg).to.match(/is not an OpenPGP keyring apt can read/);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseAptKeyArgs({ id: 'xyz' }, loc)).to.throw(InputError, /'xyz' is not a key id/);
    expect(() => parseAptKeyArgs({ data: 'hello' }, loc)).to.throw(InputError, /'data' is not an OpenPGP public key/);
    expect(() => parseAptKeyArgs({ state: 'absent', keyring: RING }, loc)).to.throw(InputError, /'id' is required with state=absent/);
    expect(() => parseAptKeyArgs({ id: KEY_ONE_FPR, keyserver: 'keyserver.ubuntu.com' }, loc)).to.throw(InputError, /keyserver is not supported/);
    expect(() => parseAptKeyArgs({ data: KEY_ONE, url: 'https://x' }, loc)).to.throw(InputError, /mutually exclusive|only one/);
    expect(() => parseAptKeyArgs({ data: KEY_ONE, keyring: 'rel.gpg' }, loc)).to.throw(InputError, /absolute path/);
  });
});
