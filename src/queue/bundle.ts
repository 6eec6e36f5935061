// The run's inputs as one content-addressed bundle: every file the playbook, its roles, the
// inventory and the vars files may read, stored in Redis by sha256 (a file already there is not
// sent again), named by the sha256 of its manifest. Files travel as they are on disk, so
// vault-encrypted ones stay encrypted; SSH keys the run names are left out on purpose.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { QueueStore } from './store.js';

export interface BundleFile {
  /** Absolute path on the submitting machine. */
  path: string;
  sha256: string;
  mode: number;
}

export interface Manifest {
  files: BundleFile[];
}

export interface BundleSources {
  /** Folders shipped whole (the playbook's, --roles-path): hidden entries and node_modules left out. */
  dirs: string[];
  /** Single files (the inventory file, -e @file). */
  files: string[];
  /** Never shipped, even inside a shipped folder (the SSH keys the run names). */
  exclude: string[];
}

/** One file above this is a mistake (a disk image in files/?), not a playbook input. */
const MAX_FILE = 64 * 1024 * 1024;
const MAX_TOTAL = 256 * 1024 * 1024;

function skipName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** The absolute paths to ship, sorted, each once. */
export function listBundleFiles(src: BundleSources): string[] {
  const out = new Set<string>();
  const excluded = new Set(src.exclude.map((p) => resolve(p)));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (skipName(name)) continue;
      const p = join(dir, name);
      // stat, not lstat: a role linked into roles/ is shipped as its files.
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !excluded.has(p)) out.add(p);
    }
  };
  for (const d of src.dirs) walk(resolve(d));
  for (const f of src.files) {
    const p = resolve(f);
    if (existsSync(p) && statSync(p).isDirectory()) walk(p);
    else if (existsSync(p) && !excluded.has(p)) out.add(p);
  }
  return [...out].sort();
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads the files, stores each blob once, then the manifest; returns the bundle's id. */
export async function uploadBundle(store: QueueStore, paths: string[]): Promise<{ id: string; files: number; bytes: number }> {
  const files: BundleFile[] = [];
  let total = 0;
  for (const path of paths) {
    const st = lstatSync(path);
    if (st.size > MAX_FILE) throw new InputError(`${path}: ${st.size} bytes is too big to send to the queue (at most ${MAX_FILE})`, undefined, 'move it out of the playbook folder, or fetch it on the hosts');
    total += st.size;
    if (total > MAX_TOTAL) throw new InputError(`the playbook's folders hold more than ${MAX_TOTAL} bytes: too much to send to the queue`, undefined, 'keep large files out of the playbook, roles and inventory folders');
    const data = readFileSync(path);
    const digest = sha256(data);
    await store.putBlob(digest, data);
    files.push({ path, sha256: digest, mode: st.mode & 0o777 });
  }
  const manifest: Manifest = { files };
  const text = JSON.stringify(manifest);
  const id = sha256(text);
  await store.putManifest(id, text);
  return { id, files: files.length, bytes: total };
}

/**
 * The bundle as a folder on the worker: <cache>/<id>/root/<absolute path>. Written once per id
 * (in a private temp folder renamed into place), every blob checked against its sha256.
 */
export function materializeBundle(store: QueueStore, id: string, cacheDir: string): Promise<string> {
  // Jobs of one run on one worker start together: they share one unpacking.
  const key = `${cacheDir}\0${id}`;
  let p = unpacking.get(key);
  if (!p) {
    p = unpack(store, id, cacheDir).finally(() => unpacking.delete(key));
    unpacking.set(key, p);
  }
  return p;
}

const unpacking = new Map<string, Promise<string>>();

async function unpack(store: QueueStore, id: string, cacheDir: string): Promise<string> {
  const final = join(cacheDir, id);
  const root = join(final, 'root');
  if (existsSync(join(final, 'complete'))) return root;
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const text = await store.getManifest(id);
  if (text === null || sha256(text) !== id) throw new InputError(`bundle ${id.slice(0, 12)} is not in the queue (expired, or Redis was flushed)`, undefined, 'submit the run again');
  const manifest = JSON.parse(text) as Manifest;
  const tmp = `${final}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  mkdirSync(tmp, { mode: 0o700 });
  try {
    for (const f of manifest.files) {
      const data = await store.getBlob(f.sha256);
      if (!data || sha256(data) !== f.sha256) throw new InputError(`bundle ${id.slice(0, 12)}: the file ${f.path} is missing or damaged in the queue`, undefined, 'submit the run again');
      const dest = join(tmp, 'root', f.path);
      mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
      writeFileSync(dest, data, { mode: 0o600 });
      chmodSync(dest, f.mode & 0o700);
    }
    writeFileSync(join(tmp, 'complete'), '');
    try {
      renameSync(tmp, final);
    } catch {
      // Another job of this worker wrote it meanwhile: theirs is as good.
      if (!existsSync(join(final, 'complete'))) throw new Error(`cannot place the bundle in ${final}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return root;
}
