import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBundleFiles, materializeBundle, sha256, uploadBundle } from '../../../src/queue/bundle.js';
import type { QueueStore } from '../../../src/queue/store.js';

/** The few store calls a bundle makes, in memory. */
function memoryStore(): QueueStore & { blobs: Map<string, Buffer>; puts: number } {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, string>();
  const s = {
    blobs, puts: 0,
    async putBlob(sha: string, data: Buffer) { s.puts++; blobs.set(sha, data); },
    async getBlob(sha: string) { return blobs.get(sha) ?? null; },
    async putManifest(id: string, text: string) { manifests.set(id, text); },
    async getManifest(id: string) { return manifests.get(id) ?? null; },
  };
  return s as unknown as QueueStore & { blobs: Map<string, Buffer>; puts: number };
}

describe('queue/bundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-bundle-'));
    mkdirSync(join(dir, 'proj/roles/web/templates'), { recursive: true });
    mkdirSync(join(dir, 'proj/.git'), { recursive: true });
    mkdirSync(join(dir, 'proj/keys'), { recursive: true });
    writeFileSync(join(dir, 'proj/site.yml'), '- hosts: all\n');
    writeFileSync(join(dir, 'proj/roles/web/templates/a.conf.hbs'), 'x={{x}}\n');
    writeFileSync(join(dir, 'proj/.git/config'), 'git\n');
    writeFileSync(join(dir, 'proj/keys/id_ed25519'), 'PRIVATE\n');
    writeFileSync(join(dir, 'inv.yml'), 'all: {}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the folders and files named, without hidden entries or the SSH keys the run names', () => {
    const files = listBundleFiles({ dirs: [join(dir, 'proj')], files: [join(dir, 'inv.yml')], exclude: [join(dir, 'proj/keys/id_ed25519')] });
    expect(files).to.deep.equal([join(dir, 'inv.yml'), join(dir, 'proj/roles/web/templates/a.conf.hbs'), join(dir, 'proj/site.yml')]);
  });

  it('is named by its content, stores each blob by sha256, and unpacks byte for byte', async () => {
    const store = memoryStore();
    const files = listBundleFiles({ dirs: [join(dir, 'proj')], files: [], exclude: [] });
    const a = await uploadBundle(store, files);
    const b = await uploadBundle(store, files);
    expect(a.id).to.equal(b.id);
    writeFileSync(join(dir, 'proj/site.yml'), '- hosts: web\n');
    expect((await uploadBundle(store, files)).id).to.not.equal(a.id);
    expect(store.blobs.get(sha256('x={{x}}\n'))?.toString()).to.equal('x={{x}}\n');
    const root = await materializeBundle(store, a.id, join(dir, 'cache'));
    expect(readFileSync(join(root, dir, 'proj/site.yml'), 'utf8')).to.equal('- hosts: all\n');
    expect(statSync(join(dir, 'cache')).mode & 0o777).to.equal(0o700);
    // A second job of the same run finds it unpacked.
    expect(await materializeBundle(store, a.id, join(dir, 'cache'))).to.equal(root);
  });

  it('refuses a blob that does not match its sha256', async () => {
    const store = memoryStore();
    const { id } = await uploadBundle(store, [join(dir, 'inv.yml')]);
    store.blobs.set(sha256('all: {}\n'), Buffer.from('tampered'));
    let err: Error | undefined;
    await materializeBundle(store, id, join(dir, 'cache')).catch((e: Error) => (err = e));
    expect(err?.message).to.match(/missing or damaged/);
  });
});
