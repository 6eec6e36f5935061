// get_url: downloads a file over HTTP(S) or FTP on the host, as Ansible 2.14's get_url does: a file
// present whose checksum matches is not downloaded at all; otherwise the download lands in a
// temporary file beside dest, is checked against the checksum, and replaces dest only when its
// content differs (a rename: atomic, and a link at dest is replaced, never followed).
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { accountsScript, attrsStep, parseAccounts } from '../lib/attrs.js';
import { attrArgs, backupArg } from '../lib/common-args.js';
import { CURL_CHECK, curlConfig, curlFlags, digestFromList, DIGESTS, NO_CURL, normalDigest, urlFilename, type Digest, type FetchOptions } from '../lib/download.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { HOST_PATH_FUNCTIONS } from '../lib/host-path.js';
import { chmodArg, resolveMode } from '../lib/mode.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { HostThing, ModuleContext, Plan, RemoteModule, Step } from '../types.js';

export const getUrlSpec = defineSpec({
  description: 'Downloads a file over HTTP, HTTPS or FTP on the host (with curl) to a path or into a directory, checked against a checksum, replaced atomically only when its content differs.',
  args: {
    url: { type: 'str', required: true, description: 'What to download: http://, https://, ftp:// or file://.' },
    dest: {
      type: 'str',
      required: true,
      description: "Where to put it. A directory: the file is named from the server's Content-Disposition, else the URL's last part, and is downloaded on every run (to learn its name) and replaced only when it differs.",
    },
    checksum: {
      type: 'str',
      default: '',
      description: "ALGORITHM:DIGEST (sha256:ab12...) or ALGORITHM:URL of a checksum file (sha256sum's format; the line for the URL's file name is used). The download must match, or dest is left untouched and the task fails. A dest already matching is not downloaded at all, even with force.",
    },
    headers: { type: 'dict', description: 'HTTP headers to send, as a mapping.' },
    url_username: { type: 'str', aliases: ['username'], description: 'User name for HTTP authentication.' },
    url_password: { type: 'str', aliases: ['password'], noLog: true, description: 'Password for HTTP authentication (masked in every output, and given to curl on stdin, never on a command line).' },
    force_basic_auth: { type: 'bool', default: false, description: 'Send the credentials with the first request; without it they are sent only when the server asks (a 401).' },
    force: {
      type: 'bool',
      default: false,
      aliases: ['thirsty'],
      description: 'Download even when dest exists; it is replaced only when the content differs. Without it, an existing dest is fetched only if the server has a newer copy (If-Modified-Since), and not at all when a checksum matches.',
    },
    backup: backupArg,
    timeout: { type: 'int', default: 10, min: 1, description: 'Seconds to wait for the connection, and for progress once connected.' },
    ...attrArgs,
    validate_certs: { type: 'bool', default: true, description: "Check the server's TLS certificate." },
    use_proxy: { type: 'bool', default: true, description: "Use the host's proxy environment (http_proxy, https_proxy)." },
    http_agent: { type: 'str', default: 'ansible-httpget', description: 'The User-Agent header.' },
    client_cert: { type: 'str', description: 'A PEM client certificate on the host (it may include the key).' },
    client_key: { type: 'str', description: "The client certificate's PEM key on the host." },
    tmp_dest: { type: 'str', description: 'A directory on the host to download into first; by default the download goes to a temporary file beside dest.' },
  },
  formerArgs: {
    sha256sum: 'removed in ansible-core 2.14 (ansible/ansible#77408), which refuses it too: write checksum: sha256:DIGEST',
  },
  examples: `- name: A release tarball, checked
  get_url:
    url: https://example.com/app-1.2.tar.gz
    dest: /opt/app/app-1.2.tar.gz
    checksum: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    mode: '0644'

- name: Checked against the published checksum file
  get_url:
    url: https://example.com/app-1.2.tar.gz
    dest: /opt/app/
    checksum: sha256:https://example.com/SHA256SUMS

- name: Behind basic auth
  get_url:
    url: https://artifacts.example.com/app.jar
    dest: /opt/app/app.jar
    url_username: deploy
    url_password: "{{ artifacts_password }}"
    headers:
      X-Client: runbook`,
  returns: {
    dest: 'The file written (with a directory dest, the file inside it).',
    url: 'The URL asked for.',
    checksum_src: 'sha1 of the downloaded file.',
    checksum_dest: 'sha1 of dest afterwards.',
    size: 'Its size in bytes.',
    status_code: 'The HTTP status of the download (absent when nothing was downloaded).',
    backup_file: 'The copy kept by backup: yes.',
    msg: 'What happened ("OK (N bytes)", "file already exists", "Not Modified").',
  },
  checkMode:
    "Forecasts without writing: a missing dest would be downloaded; a dest matching the checksum would not; otherwise (as Ansible) the file is downloaded to a temporary file that is removed, and compared. A directory dest, or force with a checksum file, is reported as a change without downloading.",
});

export type GetUrlArgsRaw = ArgsOf<typeof getUrlSpec>;
export interface GetUrlArgs extends Omit<GetUrlArgsRaw, 'checksum'> {
  checksum?: { algo: Digest; digest?: string; url?: string };
}

const URL_RE = /^(https?|ftp|file):\/\//i;

export function parseGetUrlArgs(raw: Record<string, unknown>, loc: SourceLoc): GetUrlArgs {
  const { args, reader } = parseSpec('get_url', getUrlSpec, raw, loc);
  if (!URL_RE.test(args.url)) throw reader.error(`url must be http://, https://, ftp:// or file://, got '${args.url}'`);
  if (!args.dest.startsWith('/')) throw reader.error(`dest must be an absolute path, got '${args.dest}'`);
  if (args.tmp_dest !== undefined && !args.tmp_dest.startsWith('/')) throw reader.error(`tmp_dest must be an absolute path, got '${args.tmp_dest}'`);
  let checksum: GetUrlArgs['checksum'];
  if (args.checksum !== '') {
    const m = /^([a-z0-9]+):(.+)$/i.exec(args.checksum);
    const algo = m?.[1]?.toLowerCase();
    if (!m || !DIGESTS.includes(algo as Digest)) {
      throw reader.error(`checksum must be ALGORITHM:DIGEST or ALGORITHM:URL, with ALGORITHM one of ${DIGESTS.join(', ')}; got '${args.checksum}'`);
    }
    const value = m[2]!;
    if (URL_RE.test(value)) checksum = { algo: algo as Digest, url: value };
    else {
      const digest = normalDigest(value);
      if (!/^[0-9a-f]+$/.test(digest)) throw reader.error(`the checksum digest '${value}' is not hexadecimal`);
      checksum = { algo: algo as Digest, digest };
    }
  }
  return { ...args, checksum };
}

/** dest without its trailing slash: a directory is read as itself. */
const destPath = (a: GetUrlArgs): string => a.dest.replace(/\/+$/, '') || '/';

function fetchOptions(a: GetUrlArgs, url: string): FetchOptions {
  return {
    url,
    headers: a.headers,
    username: a.url_username,
    password: a.url_password,
    forceBasicAuth: a.force_basic_auth,
    timeout: a.timeout,
    validateCerts: a.validate_certs,
    useProxy: a.use_proxy,
    httpAgent: a.http_agent,
    clientCert: a.client_cert,
    clientKey: a.client_key,
  };
}

/** Exit codes of the download step. */
const CHECKSUM_MISMATCH = 5;
const FETCH_FAILED = 6;

/** The digest of the entry dest names (never through a link), for the no-download decision. */
function digestLines(a: GetUrlArgs): string {
  return [HOST_PATH_FUNCTIONS, '(', `rb_locate ${shQuote(a.dest)} 0 || exit 0`, `if [ -f "$rb_name" ] && [ ! -L "$rb_name" ] && [ -r "$rb_name" ]; then printf 'digest=%s\\n' "$(${a.checksum!.algo}sum < "$rb_name")"; fi`, ')'].join('\n');
}

/**
 * One read of the host: curl present, dest's state and digest, the owner and group asked for, and
 * the checksum file when checksum names one. In check mode, when dest is a file the forecast needs
 * to compare with, the URL is downloaded to a temporary file (removed) for its sha1, as Ansible does.
 */
export function getUrlProbe(a: GetUrlArgs, ctx: Pick<ModuleContext, 'check'>): { script: string; stdin?: string } {
  const parts: Record<string, string> = {
    tools: CURL_CHECK,
    ...fileStateSections('dest', destPath(a), { follow: false }),
    accounts: accountsScript(a),
  };
  if (a.checksum) parts.digest = digestLines(a);
  let stdin: string | undefined;
  if (a.checksum?.url) {
    stdin = curlConfig(fetchOptions(a, a.checksum.url));
    // Sections share one shell: no `exit` here, or the probe would stop before its end marker.
    parts.list = `if command -v curl >/dev/null 2>&1; then if b=$(curl ${curlFlags(fetchOptions(a, a.checksum.url))} 2>&1 | head -c 1048576); then printf 'ok\\n%s\\n' "$b"; else printf 'failed\\n%s\\n' "$b"; fi; fi`;
  } else if (ctx.check && !a.checksum && !a.dest.endsWith('/')) {
    stdin = curlConfig(fetchOptions(a, a.url));
    const dest = shQuote(a.dest);
    parts.compare = [
      `if [ -f ${dest} ] && [ ! -L ${dest} ] && command -v curl >/dev/null 2>&1 && t=$(mktemp ${a.tmp_dest !== undefined ? shQuote(a.tmp_dest) : '"${TMPDIR:-/tmp}"'}/.runbook-check.XXXXXXXXXX); then`,
      `  if curl ${curlFlags(fetchOptions(a, a.url))} -o "$t" 2>/dev/null; then printf 'sha1=%s\\n' "$(sha1sum < "$t")"; else echo failed=1; fi`,
      '  rm -f -- "$t"',
      'fi',
    ].join('\n');
  }
  return { script: sectionsScript(parts), ...(stdin ? { stdin } : {}) };
}

const first = (line: string | undefined): string | undefined => line?.split(' ')[0] || undefined;

function fail(msg: string, needs?: HostThing[], provides?: HostThing[]): Plan {
  return { changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) };
}

export function planGetUrl(a: GetUrlArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'check'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const s = parsed.sections;
  const state = parseFileState(s, 'dest', destPath(a));
  if (state.refused) return fail(state.refused);
  const intoDir = state.type === 'directory';
  const writes: HostThing[] = [{ kind: 'path', path: a.dest }];
  if (!intoDir && (a.dest.endsWith('/') || state.parent !== 'dir')) {
    const dir = a.dest.endsWith('/') ? destPath(a) : posix.dirname(a.dest);
    return fail(`destination directory ${dir} does not exist`, state.parent === 'missing' || a.dest.endsWith('/') ? [{ kind: 'path', path: dir }] : undefined, writes);
  }
  const acc = parseAccounts(a, s.accounts);
  if (acc.missing) return fail(acc.missing, acc.needs, writes);
  const curl = keyValues(s.tools).curl === '1';

  // The digest the download must have: given, or read from the checksum file.
  let digest = a.checksum?.digest;
  if (a.checksum?.url) {
    const list = s.list ?? '';
    if (!curl) return fail(NO_CURL, [{ kind: 'package', name: 'curl' }], writes);
    if (!list.startsWith('ok\n')) return fail(`could not download the checksum file ${a.checksum.url}: ${list.replace(/^failed\n/, '').trim() || 'no output'}`);
    digest = digestFromList(list.slice(3), urlFilename(a.url));
    if (digest === undefined) return fail(`Unable to find a checksum for file '${urlFilename(a.url)}' in '${a.checksum.url}'`);
    if (!/^[0-9a-f]+$/.test(digest)) return fail(`the checksum '${digest}' found in '${a.checksum.url}' is not hexadecimal`);
  }
  const base = { dest: a.dest, url: a.url };
  const regular = state.exists && state.type === 'file';

  if (!intoDir && regular && digest !== undefined && first(keyValues(s.digest).digest) === digest) {
    // Present and matching: no download at all (even with force), only owner and mode.
    const attrs = attrsStep(state, a, acc, false);
    const data = { ...base, checksum_dest: state.sha1 ?? null, checksum_src: state.sha1 ?? null, size: state.size ?? 0 };
    if (attrs.changes.length === 0) return { changes: [], steps: [], data: { ...data, msg: 'file already exists' } };
    return { changes: attrs.changes.map((c) => `${a.dest}: ${c}`), steps: [{ script: attrs.script! }], data: { ...data, msg: 'file already exists but file attributes changed' } };
  }
  if (!curl) return fail(NO_CURL, [{ kind: 'package', name: 'curl' }], writes);

  const what = intoDir ? `download ${a.url} into ${a.dest}` : `${state.exists ? 'update' : 'create'} ${a.dest} from ${a.url}`;
  if (ctx.check && !intoDir && state.exists && s.compare !== undefined) {
    // Downloaded for the forecast: the same bytes are no change.
    const cmp = keyValues(s.compare);
    if (first(cmp.sha1) !== undefined && first(cmp.sha1) === state.sha1) {
      const attrs = attrsStep(state, a, acc, false);
      if (attrs.changes.length === 0) return { changes: [], steps: [], data: { ...base, checksum_dest: state.sha1 ?? null, checksum_src: state.sha1 ?? null, msg: 'OK' } };
      return { changes: attrs.changes.map((c) => `${a.dest}: ${c}`), steps: [], data: base };
    }
  }
  // A dest that does not match the checksum is fetched whatever its date, as Ansible forces it.
  const step = downloadStep(a, { digest, intoDir, existed: regular && digest === undefined, keepMode: regular ? state.mode : undefined, uid: acc.uid, gid: acc.gid });
  return {
    changes: [what],
    steps: [step],
    provides: writes,
    data: base,
    afterApply: (results) => readDownload(a, results[0], digest),
  };
}

interface StepFacts {
  digest?: string;
  intoDir: boolean;
  /** dest is a regular file now: send If-Modified-Since unless force. */
  existed: boolean;
  keepMode?: number;
  uid?: number;
  gid?: number;
}

/**
 * The download: into a temporary file (O_EXCL, 0600) in dest's directory or tmp_dest, checked
 * against the digest, compared with dest, then owner, mode and a rename over dest. Prints
 * key=value lines for the result; a mismatch or a failed transfer leaves dest as it was.
 */
export function downloadStep(a: GetUrlArgs, f: StepFacts): Step {
  const o = fetchOptions(a, a.url);
  const timeCond = f.existed && !a.force && !f.intoDir ? ' -z "$name"' : '';
  const owner = f.uid !== undefined || f.gid !== undefined ? `${f.uid ?? ''}${f.gid !== undefined ? `:${f.gid}` : ''}` : undefined;
  const mode = a.mode ? chmodArg(a.mode, resolveMode(a.mode, f.keepMode, false)) : undefined;
  const lines = [
    HOST_PATH_FUNCTIONS,
    `dest=${shQuote(destPath(a))}`,
    f.intoDir
      ? `rb_enter "$dest" || { printf '%s\\n' "\${rb_why:-cannot enter $dest}" >&2; exit 1; }; name=`
      : `rb_locate "$dest" 0 || { printf '%s\\n' "\${rb_why:-cannot enter the directory of $dest}" >&2; exit 1; }; name=$rb_name`,
    `tmp=; dl=; trap 'rm -f -- "$tmp" "$dl"' EXIT`,
    `trap 'exit 129' HUP INT TERM`,
    'rb_mask=$(umask)',
    // mktemp: O_EXCL and 0600, so nothing planted at the name is written through and nobody reads it early.
    'tmp=$(mktemp .runbook-tmp.XXXXXXXXXX) || exit 1',
  ];
  if (a.tmp_dest !== undefined) lines.push(`dl=$(mktemp ${shQuote(a.tmp_dest)}/.runbook-dl.XXXXXXXXXX) || exit 1`);
  else lines.push('dl=$tmp');
  lines.push(
    // curl's own error line goes to the step's stderr; -w's facts to stdout.
    `w=$(curl ${curlFlags(o)}${timeCond} -o "$dl" -w 'status_code=%{http_code}\\nurl_effective=%{url_effective}\\ncd=%header{content-disposition}\\n'); rc=$?`,
    `printf '%s\\n' "$w"`,
    `if [ "$rc" -ne 0 ]; then exit ${FETCH_FAILED}; fi`,
    `case $w in *status_code=304*) echo not_modified=1; exit 0 ;; esac`,
  );
  if (a.tmp_dest !== undefined) lines.push('cat -- "$dl" > "$tmp" || exit 1; rm -f -- "$dl"; dl=');
  if (f.digest !== undefined) {
    lines.push(
      `got=$(${a.checksum!.algo}sum < "$tmp") || exit 1; got=\${got%% *}`,
      `if [ "$got" != ${shQuote(f.digest)} ]; then printf 'The checksum for %s did not match %s; it was %s. %s is unchanged.\\n' ${shQuote(a.url)} ${shQuote(f.digest)} "$got" "$dest" >&2; exit ${CHECKSUM_MISMATCH}; fi`,
    );
  }
  if (f.intoDir) {
    // Ansible's name: Content-Disposition's filename, else the last part of the final URL's path.
    lines.push(
      `cd_line=$(printf '%s\\n' "$w" | sed -n 's/^cd=//p')`,
      `name=$(printf '%s' "$cd_line" | sed -n 's/.*attachment; *filename="\\{0,1\\}\\([^";]*\\).*/\\1/p'); name=\${name##*/}`,
      `if [ -z "$name" ]; then u=$(printf '%s\\n' "$w" | sed -n 's/^url_effective=//p'); u=\${u#*://}; case $u in */*) u=/\${u#*/} ;; *) u=/ ;; esac; u=\${u%%[?#]*}; name=\${u##*/}; fi`,
      `case $name in '' | . | ..) name=index.html ;; esac`,
      `if [ -d "$name" ] && [ ! -L "$name" ]; then printf '%s is a directory\\n' "$PWD/$name" >&2; exit 1; fi`,
    );
  }
  lines.push(
    `printf 'dest_file=%s\\n' "$PWD/$name"`,
    'src_sum=$(sha1sum < "$tmp") || exit 1; src_sum=${src_sum%% *}',
    `printf 'checksum_src=%s\\nsize=%s\\n' "$src_sum" "$(stat -c %s -- "$tmp")"`,
    // The same content already there: only owner and mode may change, on the file itself (opened, never through a link).
    'if [ -f "$name" ] && [ ! -L "$name" ] && exec 3<"$name" && [ "$(stat -L -c %d:%i /proc/self/fd/3)" = "$(stat -c %d:%i -- "$name")" ]; then',
    '  old_sum=$(sha1sum < /proc/self/fd/3) || exit 1',
    '  if [ "${old_sum%% *}" = "$src_sum" ]; then',
    '    before=$(stat -L -c %u:%g:%a /proc/self/fd/3)',
    ...(owner !== undefined ? [`    chown ${shQuote(owner)} /proc/self/fd/3 || exit 1`] : []),
    ...(a.mode ? [`    chmod ${shQuote(a.mode.text)} /proc/self/fd/3 || exit 1`] : []),
    '    [ "$(stat -L -c %u:%g:%a /proc/self/fd/3)" = "$before" ] || echo attrs_changed=1',
    '    echo same=1; exit 0',
    '  fi',
    '  keep=$(stat -L -c %u:%g:%a /proc/self/fd/3)',
    '  exec 3<&-',
    'else',
    '  keep=',
    'fi',
  );
  // Owner and mode: the ones asked for, else the replaced file's, else 0666 minus the umask.
  if (owner !== undefined) lines.push(`chown ${shQuote(owner)} -- "$tmp" || exit 1`);
  else lines.push('if [ -n "$keep" ] && [ "$(id -u)" = 0 ]; then chown "${keep%:*}" -- "$tmp" || exit 1; fi');
  if (mode !== undefined && a.mode?.kind === 'octal') lines.push(`chmod ${shQuote(mode)} -- "$tmp" || exit 1`);
  else {
    lines.push(`if [ -n "$keep" ]; then chmod "\${keep##*:}" -- "$tmp"; else chmod "$(printf '%o' $(( 0666 & ~0$rb_mask )))" -- "$tmp"; fi || exit 1`);
    if (a.mode) lines.push(`chmod ${shQuote(a.mode.text)} -- "$tmp" || exit 1`);
  }
  if (a.backup) {
    lines.push(
      'if [ -e "$name" ] || [ -L "$name" ]; then',
      '  b="$name.$$.$(date +%Y-%m-%d@%H:%M:%S)~"',
      '  ln -P -- "$name" "$b" || exit 1',
      `  printf 'backup_file=%s\\n' "$PWD/$b"`,
      'fi',
    );
  }
  // -T: a directory (or a link to one) at the name is never moved into; a link there is replaced.
  lines.push('mv -fT -- "$tmp" "$name" || exit 1', 'tmp=', 'echo replaced=1');
  return { script: lines.join('\n'), stdin: curlConfig(o) };
}

/** The registered result from the step's key=value lines; unchanged when the bytes were already there. */
export function readDownload(a: GetUrlArgs, r: ExecResult | undefined, digest: string | undefined): { data?: Record<string, unknown>; failed?: string; unchanged?: boolean } {
  if (!r) return {};
  const kv = keyValues(r.stdout);
  const status = kv.status_code && /^\d+$/.test(kv.status_code) ? Number(kv.status_code) : undefined;
  const data: Record<string, unknown> = { url: a.url, dest: kv.dest_file ?? a.dest, ...(status !== undefined ? { status_code: status } : {}) };
  if (r.code === CHECKSUM_MISMATCH) return { data, failed: r.stderr.trim() };
  if (r.code === FETCH_FAILED) return { data, failed: `Request failed: ${r.stderr.trim().replace(/^curl: /, '') || 'no answer'}${status ? ` (HTTP status ${status})` : ''}` };
  if (r.code !== 0) return { data, failed: `downloading ${a.url} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}` };
  if (kv.not_modified) return { data: { ...data, msg: 'Not Modified' }, unchanged: true };
  Object.assign(data, { checksum_src: kv.checksum_src, checksum_dest: kv.checksum_src, size: Number(kv.size), ...(digest ? { [`${a.checksum!.algo}sum`]: digest } : {}) });
  if (kv.backup_file) data.backup_file = kv.backup_file;
  if (kv.same) return { data: { ...data, msg: `OK (${kv.size} bytes)` }, unchanged: !kv.attrs_changed };
  return { data: { ...data, msg: `OK (${kv.size} bytes)` } };
}

export const getUrlModule: RemoteModule<GetUrlArgs> = {
  kind: 'remote',
  name: 'get_url',
  ...specFields(getUrlSpec),
  parse: parseGetUrlArgs,
  probeAhead: false,
  probe: (a, ctx) => getUrlProbe(a, ctx),
  plan: (a, probe, ctx) => planGetUrl(a, probe, ctx),
};
