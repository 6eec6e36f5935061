// git: a checkout of a repository at a branch, tag or commit, as Ansible 2.14's git module keeps
// one: clone when missing, otherwise fetch and switch; nothing at all when the checkout is already
// at the wanted commit. One probe reads the checkout (HEAD, local changes, remote URL, submodules)
// and the remote's refs (git ls-remote), which is also how --check forecasts.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { HostThing, Plan, RemoteModule } from '../types.js';

export const gitSpec = defineSpec({
  description: 'Keeps a git checkout on the host at a branch, tag or commit of a repository (a local path, ssh or http(s)): cloned when missing, fetched and switched when behind, left alone when at the wanted commit.',
  args: {
    repo: { type: 'str', required: true, aliases: ['name'], description: 'The repository: a path on the host, file://, ssh (user@host:path, ssh://) or http(s) URL.' },
    dest: { type: 'str', required: true, description: 'Where the checkout goes on the host (its parent directories are created).' },
    version: { type: 'str', default: 'HEAD', description: "What to check out: HEAD (the remote's default branch), a branch, a tag, or a commit sha (full, or a prefix of one the remote advertises or the checkout has)." },
    force: { type: 'bool', default: false, description: 'Discard local changes to tracked files (git reset --hard); without it a checkout with local changes fails the task.' },
    depth: { type: 'int', min: 1, description: 'Clone and fetch only this many commits of history (HEAD, a branch or a tag; ignored for a commit sha, with a warning, as Ansible). Not over dumb HTTP.' },
    clone: { type: 'bool', default: true, description: 'Clone when dest holds no repository; no: leave it missing.' },
    update: { type: 'bool', default: true, description: 'Fetch and switch an existing checkout; no: leave it as it is.' },
    bare: { type: 'bool', default: false, description: 'A bare repository (no work tree); version is not checked out.' },
    remote: { type: 'str', default: 'origin', description: 'The name of the remote.' },
    refspec: { type: 'str', description: 'An extra refspec to fetch (refs/pull/1/head, refs/changes/*).' },
    accept_hostkey: { type: 'bool', default: false, description: "Accept the ssh server's host key whatever it is (StrictHostKeyChecking=no)." },
    accept_newhostkey: { type: 'bool', default: false, description: "Accept a host key not yet known, refuse a changed one (StrictHostKeyChecking=accept-new)." },
    key_file: { type: 'str', description: 'A private key on the host for ssh repositories.' },
    ssh_opts: { type: 'str', description: "More ssh options ('-o ConnectTimeout=10'), in GIT_SSH_COMMAND." },
    single_branch: { type: 'bool', default: false, description: 'Clone only the history of the branch or tag asked for.' },
    recursive: { type: 'bool', default: true, description: 'Initialise and update the submodules, recursively.' },
    track_submodules: { type: 'bool', default: false, description: "Move the submodules to their remote branch's latest commit (git submodule update --remote), not the commit the superproject records." },
    umask: { type: 'str', description: 'The umask git runs with (octal, 0022).' },
    executable: { type: 'str', default: 'git', description: 'The git program on the host.' },
    archive: { type: 'str', description: 'Not supported: use community.general.archive or a command with git archive.' },
    separate_git_dir: { type: 'str', description: 'Not supported: the task fails if given.' },
    verify_commit: { type: 'bool', default: false, description: 'Not supported: the task fails if set.' },
    reference: { type: 'str', description: 'Not supported: the task fails if given.' },
    gpg_whitelist: { type: 'list', ignored: true, description: 'Accepted and ignored (verify_commit is not supported).' },
    archive_prefix: { type: 'str', ignored: true, description: 'Accepted and ignored (archive is not supported).' },
  },
  mutuallyExclusive: [['accept_hostkey', 'accept_newhostkey']],
  examples: `- name: The application at its release tag
  git:
    repo: https://git.example.com/team/app.git
    dest: /srv/app
    version: v1.4.2

- name: A private repository over ssh, shallow
  git:
    repo: git@git.example.com:team/app.git
    dest: /srv/app
    version: main
    depth: 1
    key_file: /home/deploy/.ssh/id_ed25519
    accept_newhostkey: yes

- name: Throw away local edits on the host
  git:
    repo: /srv/git/config.git
    dest: /etc/app/config
    force: yes`,
  returns: {
    before: 'The commit checked out before the task (null when there was no repository).',
    after: 'The commit checked out afterwards (under --check, the one it would be).',
    remote_url_changed: "Whether the remote's URL was changed to repo.",
    warnings: 'What was ignored (depth with a commit sha).',
  },
  checkMode: "Forecasts from git ls-remote and the checkout's state, without fetching or writing: after is the commit the run would check out.",
});

type Raw = ArgsOf<typeof gitSpec>;
export type GitArgs = Raw;

export function parseGitArgs(raw: Record<string, unknown>, loc: SourceLoc): GitArgs {
  const { args, reader } = parseSpec('git', gitSpec, raw, loc);
  for (const name of ['archive', 'separate_git_dir', 'reference'] as const) {
    if (args[name] !== undefined) throw reader.error(`'${name}' is not supported by runbook's git module`, name === 'archive' ? 'run git archive with a command task' : 'leave it out');
  }
  if (args.verify_commit) throw reader.error("'verify_commit' is not supported by runbook's git module", 'verify signatures with a command task (git verify-commit)');
  if (!args.dest.startsWith('/')) throw reader.error(`dest must be an absolute path, got '${args.dest}'`);
  if (args.umask !== undefined && !/^0?[0-7]{3}$/.test(args.umask)) throw reader.error(`umask must be octal (0022), got '${args.umask}'`);
  if (/^-/.test(args.version) || /[\s~^:?*[\\]|\.\./.test(args.version)) throw reader.error(`'${args.version}' is not a branch, tag or commit`);
  if (/^-/.test(args.remote) || !/^[\w.-]+$/.test(args.remote)) throw reader.error(`'${args.remote}' is not a remote name`);
  return args;
}

/** The environment git runs with: no prompts, ssh options, the umask. Not secret. */
function envLines(a: GitArgs): string[] {
  const ssh: string[] = ['ssh'];
  if (a.key_file) ssh.push('-i', shQuote(a.key_file), '-o', 'IdentitiesOnly=yes');
  if (a.accept_hostkey) ssh.push('-o', 'StrictHostKeyChecking=no');
  if (a.accept_newhostkey) ssh.push('-o', 'StrictHostKeyChecking=accept-new');
  // No password prompt can be answered: fail at once instead of hanging.
  ssh.push('-o', 'BatchMode=yes');
  if (a.ssh_opts) ssh.push(a.ssh_opts);
  return [
    'export GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false LC_ALL=C',
    `export GIT_SSH_COMMAND=${shQuote(ssh.join(' '))}`,
    ...(a.umask ? [`umask ${a.umask}`] : []),
    `git=${shQuote(a.executable)}`,
    `d=${shQuote(a.dest)}`,
    `repo=${shQuote(a.repo)}`,
  ];
}

/** The repository's own directory: dest/.git, or dest itself when bare. */
const gitDir = (a: GitArgs): string => (a.bare ? '"$d"' : '"$d/.git"');

/** One read: git present, what dest holds (HEAD, branch, remote URL, local changes, submodules), and the remote's refs. */
export function gitProbe(a: GitArgs): string {
  const v = a.version;
  // With HEAD, its usual branches too: a server that does not say which branch HEAD is (dumb HTTP) still names one at its commit.
  const patterns = v === 'HEAD' ? 'HEAD refs/heads/main refs/heads/master' : `HEAD ${shQuote(`refs/heads/${v}`)} ${shQuote(`refs/tags/${v}`)} ${shQuote(`refs/tags/${v}^{}`)}`;
  return sectionsScript({
    env: [...envLines(a), `command -v "$git" >/dev/null 2>&1 && echo git=1; :`].join('\n'),
    dest: [
      `if [ -f ${a.bare ? '"$d/config"' : '"$d/.git/config"'} ] || [ -f "$d/.git" ]; then echo state=repo`,
      `  printf 'before=%s\\n' "$("$git" --git-dir=${gitDir(a)} rev-parse --verify -q HEAD 2>/dev/null)"`,
      `  printf 'branch=%s\\n' "$("$git" --git-dir=${gitDir(a)} symbolic-ref -q --short HEAD 2>/dev/null)"`,
      `  printf 'url=%s\\n' "$("$git" --git-dir=${gitDir(a)} config --get ${shQuote(`remote.${a.remote}.url`)} 2>/dev/null)"`,
      ...(a.bare
        ? []
        : [
            `  "$git" -C "$d" status --porcelain --untracked-files=no 2>/dev/null | head -n 10 | sed 's/^/mod=/'`,
            `  [ -f "$d/.gitmodules" ] && echo gitmodules=1`,
            ...(a.recursive ? [`  "$git" -C "$d" submodule status --recursive 2>/dev/null | grep -c '^[-+U]' | sed 's/^/submodules=/'`] : []),
          ]),
      `elif [ -d "$d" ] && [ -n "$(ls -A -- "$d" 2>/dev/null)" ]; then echo state=nonempty`,
      `elif [ -e "$d" ] && [ ! -d "$d" ]; then echo state=notdir`,
      'else echo state=none',
      'fi',
    ].join('\n'),
    // Sections share one shell: no `exit` here, or the probe would stop before its end marker.
    remote: `if command -v "$git" >/dev/null 2>&1; then out=$("$git" ls-remote --symref "$repo" ${patterns} 2>&1); printf 'rc=%s\\n' $?; printf '%s\\n' "$out" | head -n 50; fi`,
  });
}

interface RemoteRefs {
  rc: number;
  error?: string;
  head?: string;
  /** The default branch (HEAD's symref), when the server says it. */
  headBranch?: string;
  branches: Record<string, string>;
  tags: Record<string, string>;
}

export function parseRemote(text: string): RemoteRefs {
  const lines = text.split('\n');
  const rc = Number(/^rc=(\d+)$/.exec(lines[0] ?? '')?.[1] ?? '1');
  const refs: RemoteRefs = { rc, branches: {}, tags: {} };
  if (rc !== 0) return { ...refs, error: lines.slice(1).join('\n').trim() };
  for (const line of lines.slice(1)) {
    const sym = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (sym) refs.headBranch = sym[1];
    const m = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (!m) continue;
    const [, sha, ref] = m;
    if (ref === 'HEAD') refs.head = sha;
    else if (ref!.startsWith('refs/heads/')) refs.branches[ref!.slice(11)] = sha!;
    else if (ref!.startsWith('refs/tags/')) {
      const name = ref!.slice(10);
      // An annotated tag: the commit it points to (NAME^{}) wins over the tag object.
      if (name.endsWith('^{}')) refs.tags[name.slice(0, -3)] = sha!;
      else refs.tags[name] ??= sha!;
    }
  }
  return refs;
}

type Want = { kind: 'head'; sha: string; branch?: string } | { kind: 'branch'; sha: string } | { kind: 'tag'; sha: string } | { kind: 'sha'; sha: string };

/** What version names on the remote: HEAD, a branch (before a tag of the same name, as git checkout does), a tag, or a commit sha. */
function resolve(v: string, refs: RemoteRefs): Want | undefined {
  if (v === 'HEAD') return refs.head ? { kind: 'head', sha: refs.head, branch: refs.headBranch } : undefined;
  if (refs.branches[v]) return { kind: 'branch', sha: refs.branches[v]! };
  if (refs.tags[v]) return { kind: 'tag', sha: refs.tags[v]! };
  if (/^[0-9a-f]{4,64}$/i.test(v)) return { kind: 'sha', sha: v.toLowerCase() };
  return undefined;
}

const sameCommit = (have: string | undefined, want: string): boolean => have !== undefined && have !== '' && have.startsWith(want);

function fail(msg: string, needs?: HostThing[], provides?: HostThing[]): Plan {
  return { changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) };
}

/** The remote's URL as git compares it: no trailing slash or .git. */
const unfrack = (url: string): string => url.replace(/\/+$/, '').replace(/\.git$/, '');

export function planGit(a: GitArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const s = parsed.sections;
  const writes: HostThing[] = [{ kind: 'path', path: a.dest }];
  if (keyValues(s.env).git !== '1') return fail(`git (${a.executable}) is not installed on the host: install it first (apt: name=git)`, [{ kind: 'package', name: 'git' }], writes);
  const dest = keyValues(s.dest);
  const mods = (s.dest ?? '').split('\n').filter((l) => l.startsWith('mod=')).map((l) => l.slice(4));
  const isRepo = dest.state === 'repo';
  const before = isRepo ? dest.before || null : null;
  if (isRepo && !a.update) return { changes: [], steps: [], data: { before, after: before, remote_url_changed: false } };
  if (!isRepo && !a.clone) return { changes: [], steps: [], data: { before: null, after: null, remote_url_changed: false } };
  if (dest.state === 'nonempty') return fail(`destination path '${a.dest}' already exists and is not an empty directory (and holds no git repository)`);
  if (dest.state === 'notdir') return fail(`destination path '${a.dest}' exists and is not a directory`);
  if (isRepo && mods.length > 0 && !a.force) {
    return { ...fail(`Local modifications exist in the destination: ${a.dest} (force=no).`), data: { before, local_changes: mods } };
  }
  const refs = parseRemote(s.remote ?? 'rc=1\n');
  if (refs.error !== undefined) return fail(`could not read the remote ${a.repo}: ${refs.error || `git ls-remote exit ${refs.rc}`}`);
  const want = resolve(a.version, refs);
  if (!want) return fail(a.version === 'HEAD' ? `the remote ${a.repo} has no HEAD (an empty repository?)` : `version '${a.version}' is neither a branch nor a tag of ${a.repo}, nor a commit sha`);
  const warnings = a.depth !== undefined && want.kind === 'sha' ? ['Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in combination with refspec.'] : [];
  const urlChanged = isRepo && dest.url !== undefined && dest.url !== '' && dest.url !== a.repo && unfrack(dest.url) !== unfrack(a.repo);
  const submodules = Number(dest.submodules ?? '0') > 0;
  // Tracked submodules may have moved on their remotes: only running the update tells (an unchanged run is ok).
  const tracked = a.track_submodules && dest.gitmodules === '1';
  // A bare repository checks nothing out: HEAD is compared with the remote's.
  const target = a.bare ? (refs.head ?? want.sha) : want.sha;
  const atTarget = sameCommit(before ?? undefined, target);
  const data = { before, after: atTarget ? before : want.kind === 'sha' && a.version.length < 40 ? a.version : target, remote_url_changed: urlChanged, ...(warnings.length ? { warnings } : {}) };
  // The branch version names, to be on it (not detached at the same commit): Ansible switches to it on every run.
  const branch = a.bare ? undefined : wantedBranch(want, refs, a.version);
  const offBranch = isRepo && branch !== undefined && dest.branch !== branch;
  if (isRepo && atTarget && mods.length === 0 && !urlChanged && !submodules && !tracked && !offBranch) return { changes: [], steps: [], data };

  const changes: string[] = [];
  if (!isRepo) changes.push(`clone ${a.repo} into ${a.dest} at ${a.version}${a.version === target ? '' : ` (${target.slice(0, 12)})`}`);
  else {
    if (mods.length) changes.push(`discard local modifications in ${a.dest} (${mods.slice(0, 3).join(', ')})`);
    if (urlChanged) changes.push(`set ${a.remote}'s URL to ${a.repo}`);
    if (!atTarget) changes.push(`update ${a.dest} from ${(before ?? '').slice(0, 12)} to ${a.version}${a.version === target ? '' : ` (${target.slice(0, 12)})`}`);
    if (submodules) changes.push(`update the submodules of ${a.dest}`);
    if (atTarget && offBranch) changes.push(`switch ${a.dest} to the branch ${branch}`);
  }
  const script = [...envLines(a), 'set -e', ...(isRepo ? updateLines(a, want, mods.length > 0, urlChanged) : cloneLines(a, want)), ...switchLines(a, want, refs), ...submoduleLines(a), `printf 'after=%s\\n' "$("$git" --git-dir=${gitDir(a)} rev-parse HEAD)"`].join('\n');
  return {
    changes: changes.length ? changes : [`update the submodules of ${a.dest}`],
    steps: [{ script }],
    provides: writes,
    data,
    afterApply(results) {
      const kv = keyValues(results[0]?.stdout);
      const after = kv.after ?? null;
      // Only tracked submodules could have moved, or the checkout went onto its branch at the same
      // commit: as in Ansible (before == after), the task changed nothing.
      const unchanged = isRepo && atTarget && mods.length === 0 && !urlChanged && !submodules && !/^submodules_changed=1$/m.test(results[0]?.stdout ?? '');
      return { data: { ...data, after }, ...(unchanged ? { unchanged: true } : {}) };
    },
  };
}

function cloneLines(a: GitArgs, want: Want): string[] {
  const opts: string[] = [];
  if (a.bare) opts.push('--bare');
  else opts.push('--origin', shQuote(a.remote));
  const named = want.kind === 'branch' || want.kind === 'tag';
  if (a.depth !== undefined) {
    if (a.version === 'HEAD' || a.refspec) opts.push('--depth', String(a.depth));
    else if (named) opts.push('--depth', String(a.depth), '--branch', shQuote(a.version));
  }
  if (a.single_branch) {
    opts.push('--single-branch');
    if (named && !opts.includes('--branch')) opts.push('--branch', shQuote(a.version));
  } else if (a.depth !== undefined) opts.push('--no-single-branch');
  return [
    `mkdir -p -- "$(dirname -- "$d")"`,
    `"$git" clone ${opts.join(' ')} -- "$repo" "$d"`,
    ...(a.bare && a.remote !== 'origin' ? [`"$git" --git-dir="$d" remote rename origin ${shQuote(a.remote)} >/dev/null 2>&1 || "$git" --git-dir="$d" remote add ${shQuote(a.remote)} "$repo"`] : []),
    ...(a.refspec ? [`"$git" --git-dir=${gitDir(a)} fetch ${a.depth !== undefined ? `--depth ${a.depth} ` : ''}${shQuote(a.remote)} ${shQuote(a.refspec)}`] : []),
    // A commit the clone did not bring (a shallow or single-branch clone): fetched by its sha.
    ...(want.kind === 'sha' && !a.bare ? [`"$git" -C "$d" cat-file -e ${shQuote(`${want.sha}^{commit}`)} 2>/dev/null || "$git" -C "$d" fetch ${shQuote(a.remote)} ${shQuote(want.sha)}`] : []),
  ];
}

function updateLines(a: GitArgs, want: Want, mods: boolean, urlChanged: boolean): string[] {
  const lines: string[] = [];
  if (mods) lines.push('"$git" -C "$d" reset --hard HEAD --');
  if (urlChanged) lines.push(`"$git" --git-dir=${gitDir(a)} remote set-url ${shQuote(a.remote)} "$repo"`);
  const depth = a.depth !== undefined && want.kind !== 'sha' ? `--depth ${a.depth} ` : '';
  const force = a.force ? '--force ' : '';
  const r = shQuote(a.remote);
  const specs = a.bare ? `'+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'` : `${shQuote(`+refs/heads/*:refs/remotes/${a.remote}/*`)} '+refs/tags/*:refs/tags/*'`;
  lines.push(`"$git" --git-dir=${gitDir(a)} fetch ${depth}${force}${r} ${specs}${a.refspec ? ` ${shQuote(a.refspec)}` : ''}`);
  if (want.kind === 'sha' && !a.bare) lines.push(`"$git" -C "$d" cat-file -e ${shQuote(`${want.sha}^{commit}`)} 2>/dev/null || "$git" -C "$d" fetch ${r} ${shQuote(want.sha)}`);
  return lines;
}

/** Ansible's switch_version: a branch tracks its remote branch (reset hard to it); a tag or commit is checked out detached. */
function wantedBranch(want: Want, refs: RemoteRefs, version: string): string | undefined {
  if (want.kind === 'branch') return version;
  if (want.kind !== 'head') return undefined;
  // The server did not say which branch HEAD is (dumb HTTP may not): the branch at HEAD's commit, main or master first.
  const at = Object.entries(refs.branches).filter(([, sha]) => sha === want.sha).map(([name]) => name);
  return want.branch ?? at.find((n) => n === 'main' || n === 'master') ?? at[0];
}

function switchLines(a: GitArgs, want: Want, refs: RemoteRefs): string[] {
  if (a.bare) return [];
  const r = a.remote;
  const q = shQuote;
  const branch = wantedBranch(want, refs, a.version);
  if (branch === undefined) return [`"$git" -C "$d" checkout --force ${q(want.kind === 'head' ? want.sha : a.version)} --`];
  return [
    `if "$git" -C "$d" show-ref --verify -q ${q(`refs/heads/${branch}`)}; then`,
    `  "$git" -C "$d" checkout --force ${q(branch)} --`,
    `  "$git" -C "$d" reset --hard ${q(`${r}/${branch}`)} --`,
    'else',
    // -B: a shallow or single-branch clone may lack the remote-tracking ref under another name.
    `  "$git" -C "$d" checkout --force -B ${q(branch)} --track ${q(`${r}/${branch}`)} 2>/dev/null || "$git" -C "$d" checkout --force -B ${q(branch)} ${q(want.sha)}`,
    'fi',
  ];
}

function submoduleLines(a: GitArgs): string[] {
  if (a.bare || !a.recursive) return [];
  return [
    'if [ -f "$d/.gitmodules" ]; then',
    '  b=$("$git" -C "$d" submodule status --recursive | sed "s/^[-+ U]//" | cut -d" " -f1)',
    '  "$git" -C "$d" submodule sync --recursive >/dev/null',
    `  "$git" -C "$d" submodule update --init --recursive --force${a.track_submodules ? ' --remote' : ''}`,
    '  [ "$b" = "$("$git" -C "$d" submodule status --recursive | sed "s/^[-+ U]//" | cut -d" " -f1)" ] || echo submodules_changed=1',
    'fi',
  ];
}

export const gitModule: RemoteModule<GitArgs> = {
  kind: 'remote',
  name: 'git',
  ...specFields(gitSpec),
  parse: parseGitArgs,
  probeAhead: false,
  probe: (a) => ({ script: gitProbe(a) }),
  plan: (a, probe) => planGit(a, probe),
};
