// Reads a requirements.yml as ansible-galaxy does (a top-level list, or a `roles:` key) into
// checked entries, so every bad entry is reported with file:line:col before anything is installed.
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { loadYamlFile } from '../yaml/load.js';
import { keyLocOf, locAt } from '../yaml/locs.js';

export type SourceKind = 'git' | 'tar' | 'dir';

export interface RoleRequirement {
  name: string;
  /** As written, recorded in the install marker so a changed source is reinstalled. */
  src: string;
  /** What to fetch: a git URL or path, a tarball path or http(s) URL, a folder. */
  location: string;
  kind: SourceKind;
  /** Branch, tag or commit for git; recorded only for tarballs and folders. Empty: the default branch. */
  version: string;
  loc: SourceLoc;
  versionLoc: SourceLoc;
}

const KEYS = ['src', 'name', 'version', 'scm'];
const TARBALL = /\.(tar\.gz|tgz|tar|tar\.bz2|tar\.xz)$/;

/** `cwd` resolves relative local sources, as ansible-galaxy does. */
export function loadRequirements(file: string, cwd: string): RoleRequirement[] {
  const doc = loadYamlFile(file);
  const top: SourceLoc = { file, line: 1, col: 1 };
  let list: unknown = doc;
  if (isMapping(doc)) {
    for (const key of Object.keys(doc)) {
      if (key !== 'roles' && key !== 'collections') throw new InputError(`unknown key '${key}' in requirements`, keyLocOf(doc, key) ?? top, 'a requirements file has roles: (and collections:, which runbook does not install)');
    }
    list = doc.roles ?? [];
  }
  if (!Array.isArray(list)) throw new InputError(`requirements must be a list of roles, found ${describeValue(list)}`, top, 'write a list of entries with src:, or a roles: key holding one');
  const seen = new Map<string, SourceLoc>();
  return list.map((entry, i) => {
    const req = readEntry(entry, locAt(list as object, i, top), cwd);
    const before = seen.get(req.name);
    if (before) throw new InputError(`role '${req.name}' is listed twice (first at line ${before.line})`, req.loc, 'keep one entry per role, or give one a different name:');
    seen.set(req.name, req.loc);
    return req;
  });
}

function readEntry(entry: unknown, loc: SourceLoc, cwd: string): RoleRequirement {
  const fields = typeof entry === 'string' ? shortForm(entry) : entry;
  if (!isMapping(fields)) throw new InputError(`a role entry must be a mapping with src:, found ${describeValue(entry)}`, loc);
  const at = (key: string): SourceLoc => (typeof entry === 'string' ? loc : locAt(fields, key, loc));
  for (const key of Object.keys(fields)) {
    if (!KEYS.includes(key)) throw new InputError(`unknown key '${key}' in a role entry`, keyLocOf(fields, key) ?? loc, `a role entry has ${KEYS.join(', ')}`);
  }
  const text = (key: string): string | undefined => {
    const v = fields[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new InputError(`${key} must be a string, found ${describeValue(v)}`, at(key), key === 'version' ? "quote it (version: '1.0'), or YAML reads a number" : undefined);
    return v;
  };
  const src = text('src');
  if (!src) throw new InputError('a role entry needs src:', loc, 'a git URL (scm: git), a tarball or a local folder');
  const scm = text('scm');
  if (scm !== undefined && scm !== 'git') throw new InputError(`scm '${scm}' is not supported`, at('scm'), 'runbook installs from git (scm: git), tarballs and folders');
  const version = text('version') ?? '';
  // Git and the tar reader take argv words: a leading '-' would be read as an option.
  if (version.startsWith('-')) throw new InputError(`version '${version}' is not a branch, tag or commit`, at('version'));
  const { kind, location } = classify(src, scm === 'git', cwd, at('src'));
  const name = text('name') ?? nameFrom(location);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || name.includes('..')) {
    throw new InputError(`'${name}' is not a usable role name`, at(fields.name === undefined ? 'src' : 'name'), 'give name: (letters, digits, _ . -)');
  }
  return { name, src, location, kind, version, loc, versionLoc: at('version') };
}

/** ansible-galaxy's one-line form: `src[,version[,name]]`. */
function shortForm(line: string): Record<string, unknown> {
  const [src, version, name] = line.split(',').map((s) => s.trim());
  return { src, ...(version ? { version } : {}), ...(name ? { name } : {}) };
}

function classify(src: string, git: boolean, cwd: string, loc: SourceLoc): { kind: SourceKind; location: string } {
  if (src.startsWith('-')) throw new InputError(`src '${src}' cannot start with '-'`, loc);
  const bare = src.startsWith('git+') ? src.slice(4) : src;
  const remote = /^(https?|ssh|git):\/\//.test(bare) || /^[^/]+@[^/:]+:/.test(bare);
  if (git || src.startsWith('git+') || (remote && bare.endsWith('.git'))) {
    return { kind: 'git', location: remote || bare.startsWith('file://') ? bare : local(bare, cwd, loc) };
  }
  if (/^https?:\/\//.test(src)) {
    if (!TARBALL.test(new URL(src).pathname)) throw new InputError(`cannot tell what ${src} is`, loc, 'add scm: git for a repository; a tarball URL ends in .tar.gz, .tgz or .tar');
    return { kind: 'tar', location: src };
  }
  if (remote) throw new InputError(`cannot tell what ${src} is`, loc, 'add scm: git for a repository');
  const path = local(src, cwd, loc);
  if (statSync(path).isDirectory()) return { kind: 'dir', location: path };
  if (TARBALL.test(path)) return { kind: 'tar', location: path };
  throw new InputError(`${src} is neither a folder nor a tarball`, loc, 'a tarball ends in .tar.gz, .tgz or .tar; add scm: git for a repository');
}

/** A local path or file:// URL; Galaxy names (namespace.role) would need the Galaxy server, which runbook does not call. */
function local(src: string, cwd: string, loc: SourceLoc): string {
  const path = src.startsWith('file://') ? fileURLToPath(src) : isAbsolute(src) ? src : resolve(cwd, src);
  if (!existsSync(path)) {
    const galaxy = /^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(src);
    throw new InputError(`${src} not found`, loc, galaxy ? 'runbook does not download from Galaxy: give the role\'s git URL with scm: git' : `relative paths are read from ${cwd}`);
  }
  return path;
}

function nameFrom(location: string): string {
  const last = basename(location.replace(/\/+$/, '').replace(/^.*:/, ''));
  return last.replace(/\.git$/, '').replace(TARBALL, '');
}
