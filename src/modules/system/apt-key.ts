// apt_key: an OpenPGP key apt trusts, present or absent, as Ansible 2.14's (deprecated) apt_key
// module: with keyring, in that keyring file (signed-by); without, in /etc/apt/trusted.gpg.d. apt-key
// itself is gone from newer apt and needs gpg: runbook reads and writes the keyring files directly,
// splitting keys and computing fingerprints on the controller (lib/openpgp.ts), so hosts need no gpg.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { armor, dearmor, isArmored, keyMatches, readKeys, type PgpKey } from '../lib/openpgp.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';

export const aptKeySpec = defineSpec({
  description: 'Adds or removes an OpenPGP key apt trusts: in a keyring file for signed-by, or for every source (deprecated, as in Ansible). Needs no gpg on the host.',
  args: {
    id: { type: 'str', description: 'The key id (8 or 16 hex digits) or fingerprint (40): a key already there is left alone; required with state: absent.' },
    data: { type: 'str', description: 'The key itself, armored (-----BEGIN PGP PUBLIC KEY BLOCK-----).' },
    file: { type: 'str', description: 'A key file on the host (armored or binary).' },
    url: { type: 'str', description: 'Where the host downloads the key from (with curl or wget on the host).' },
    keyserver: { type: 'str', description: 'Not supported: runbook does not query key servers (give data, file or url).' },
    keyring: {
      type: 'str',
      description: "The keyring file to add to or remove from, e.g. /etc/apt/keyrings/vendor.gpg (binary) or .asc (armored), named in the source's signed-by. Without it the key is trusted for every source, from /etc/apt/trusted.gpg.d.",
    },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the key is in the keyring; absent: it is in none of them.' },
    validate_certs: { type: 'bool', default: true, description: 'With url: check the server certificate (false passes -k to curl).' },
  },
  mutuallyExclusive: [['data', 'file', 'keyserver', 'url']],
  requiredIf: [['state', 'absent', ['id']]],
  examples: `- name: The vendor's signing key, for its signed-by source
  apt_key:
    data: "{{ lookup('file', 'vendor.asc') }}"
    keyring: /etc/apt/keyrings/vendor.gpg

- name: An old key gone
  apt_key:
    id: 0123456789ABCDEF
    keyring: /etc/apt/keyrings/vendor.gpg
    state: absent`,
  returns: {
    id: 'The id given.',
    fp: 'The fingerprint of the key added, removed or found.',
    key_id: 'Its long id (16 hex digits).',
    short_id: 'Its short id (8 hex digits).',
    before: 'Fingerprints in the keyring(s) before.',
    after: 'Fingerprints in the keyring(s) after.',
  },
});

export interface AptKeyArgs {
  id?: string;
  data?: string;
  file?: string;
  url?: string;
  keyring?: string;
  state: 'present' | 'absent';
  validateCerts: boolean;
}

const TRUSTED_DIR = '/etc/apt/trusted.gpg.d';

export function parseAptKeyArgs(raw: Record<string, unknown>, loc: SourceLoc): AptKeyArgs {
  const { args, reader } = parseSpec('apt_key', aptKeySpec, raw, loc);
  if (args.keyserver !== undefined) throw reader.error('keyserver is not supported: runbook does not query key servers', 'give the key as data, file or url');
  if (args.id !== undefined && !/^(0x)?([0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$/.test(args.id.replace(/\s/g, ''))) {
    throw reader.error(`'${args.id}' is not a key id`, '8 or 16 hex digits, or a 40-digit fingerprint');
  }
  if (args.state === 'present' && [args.id, args.data, args.file, args.url].every((v) => v === undefined)) throw reader.error("one of 'id', 'data', 'file' or 'url' is required");
  if (args.keyring !== undefined && !args.keyring.startsWith('/')) throw reader.error(`'keyring' must be an absolute path, got '${args.keyring}'`);
  if (args.data !== undefined) {
    try {
      readKeys(Buffer.from(args.data, isArmored(Buffer.from(args.data)) ? 'utf8' : 'latin1'));
    } catch (err) {
      throw reader.error(`'data' is not an OpenPGP public key: ${(err as Error).message}`);
    }
  }
  return { id: args.id?.replace(/\s/g, ''), data: args.data, file: args.file, url: args.url, keyring: args.keyring, state: args.state, validateCerts: args.validate_certs };
}

export function aptKeyProbe(a: AptKeyArgs): string {
  const show = 'rb_show() { if [ -f "$1" ]; then printf \'file\\t%s\\t%s\\n\' "$1" "$(stat -c %a -- "$1")"; base64 -w0 -- "$1" || exit 1; echo; fi; }';
  const files = a.keyring !== undefined ? shQuote(a.keyring) : `/etc/apt/trusted.gpg ${TRUSTED_DIR}/*.gpg ${TRUSTED_DIR}/*.asc`;
  const parts: Record<string, string> = { keyrings: `${show}\nfor f in ${files}; do rb_show "$f"; done` };
  if (a.state === 'present' && a.file !== undefined) {
    parts.source = `if [ -f ${shQuote(a.file)} ]; then base64 -w0 -- ${shQuote(a.file)} || exit 1; echo; else echo missing; fi`;
  }
  if (a.state === 'present' && a.url !== undefined) {
    const u = shQuote(a.url);
    parts.source = [
      '(',
      `if command -v curl >/dev/null 2>&1; then k=$(curl -fsSL${a.validateCerts ? '' : ' -k'} -- ${u} | base64 -w0) || { echo 'fetch failed'; exit 0; }`,
      `elif command -v wget >/dev/null 2>&1; then k=$(wget -q${a.validateCerts ? '' : ' --no-check-certificate'} -O - -- ${u} | base64 -w0) || { echo 'fetch failed'; exit 0; }`,
      `else echo 'no downloader'; exit 0; fi`,
      'printf \'%s\\n\' "$k"',
      ')',
    ].join('\n');
  }
  return sectionsScript(parts);
}

interface Keyring {
  path: string;
  mode: string;
  content: Buffer;
  keys: PgpKey[];
}

function parseKeyrings(text: string): Keyring[] | { error: string } {
  const out: Keyring[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('file\t')) continue;
    const [, path = '', mode = ''] = lines[i]!.split('\t');
    const content = Buffer.from(lines[i + 1] ?? '', 'base64');
    try {
      out.push({ path, mode, content, keys: content.length ? readKeys(content) : [] });
    } catch (err) {
      return { error: `${path} is not an OpenPGP keyring apt can read: ${(err as Error).message}` };
    }
  }
  return out;
}

/** A keyring file's content: armored for .asc (as apt reads those), binary otherwise. */
function keyringContent(path: string, keys: PgpKey[]): Buffer {
  const bin = Buffer.concat(keys.map((k) => k.bytes));
  return path.endsWith('.asc') ? Buffer.from(armor(bin)) : bin;
}

function ids(fp: string | undefined): Vars {
  return fp === undefined ? {} : { fp, key_id: fp.slice(-16), short_id: fp.slice(-8) };
}

const fail = (msg: string, data?: Vars): Plan => ({ changes: [], steps: [], failure: { msg }, ...(data ? { data } : {}) });

export function planAptKey(a: AptKeyArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const rings = parseKeyrings(parsed.sections.keyrings ?? '');
  if ('error' in rings) return fail(rings.error);
  const before = rings.flatMap((r) => r.keys.map((k) => k.fingerprint));
  const base: Vars = { id: a.id ?? null, before };
  const where = a.keyring ?? `/etc/apt/trusted.gpg and ${TRUSTED_DIR}`;
  const steps: Step[] = [];
  const changes: string[] = [];

  if (a.state === 'absent') {
    const id = a.id!;
    let fp: string | undefined;
    for (const ring of rings) {
      const gone = ring.keys.filter((k) => keyMatches(k, id));
      if (gone.length === 0) continue;
      fp ??= gone[0]!.fingerprint;
      const kept = ring.keys.filter((k) => !keyMatches(k, id));
      if (kept.length === 0) steps.push({ script: `rm -f -- ${shQuote(ring.path)}` });
      else steps.push(atomicWriteStep({ path: ring.path, content: keyringContent(ring.path, kept), mode: ring.mode }));
      changes.push(`remove key ${gone.map((k) => k.fingerprint).join(', ')} from ${ring.path}${kept.length === 0 ? ' (the file, its only key)' : ''}`);
    }
    const after = before.filter((f) => !rings.some((r) => r.keys.some((k) => k.fingerprint === f && keyMatches(k, id))));
    return { changes, steps, data: { ...base, ...ids(fp), after }, afterApply: writesChecked };
  }

  const all = rings.flatMap((r) => r.keys);
  const found = a.id !== undefined ? all.find((k) => keyMatches(k, a.id!)) : undefined;
  if (found) return { changes: [], steps: [], data: { ...base, ...ids(found.fingerprint), after: before } };

  let source: Buffer | undefined;
  if (a.data !== undefined) source = isArmored(Buffer.from(a.data)) ? dearmor(a.data) : Buffer.from(a.data, 'latin1');
  const fetched = parsed.sections.source?.trim();
  if (a.file !== undefined) {
    if (fetched === 'missing') return fail(`the key file ${a.file} does not exist on the host`, base);
    source = Buffer.from(fetched ?? '', 'base64');
  }
  if (a.url !== undefined) {
    if (fetched === 'no downloader') return fail(`cannot download ${a.url}: the host has neither curl nor wget`, base);
    if (fetched === 'fetch failed' || !fetched) return fail(`downloading the key from ${a.url} failed`, base);
    source = Buffer.from(fetched, 'base64');
  }
  if (source === undefined) return fail(`key ${a.id} is not in ${where}, and no data, file or url was given to add it (keyserver is not supported)`, base);
  let keys: PgpKey[];
  try {
    keys = readKeys(source);
  } catch (err) {
    return fail(`${a.file ?? a.url ?? 'data'} is not an OpenPGP public key: ${(err as Error).message}`, base);
  }
  if (a.id !== undefined && !keys.some((k) => keyMatches(k, a.id!))) {
    return fail(`the key given holds ${keys.map((k) => k.fingerprint).join(', ')}, not the id ${a.id}`, base);
  }
  const missing = keys.filter((k) => !all.some((have) => have.fingerprint === k.fingerprint));
  const fp = (a.id !== undefined ? keys.find((k) => keyMatches(k, a.id!)) : keys[0])?.fingerprint;
  if (missing.length === 0) return { changes: [], steps: [], data: { ...base, ...ids(fp), after: before } };
  const path = a.keyring ?? `${TRUSTED_DIR}/runbook-${missing[0]!.fingerprint.slice(-16)}.gpg`;
  const ring = rings.find((r) => r.path === path);
  steps.push(atomicWriteStep({ path, content: keyringContent(path, [...(ring?.keys ?? []), ...missing]), mode: ring?.mode ?? '0644', makeParents: true }));
  changes.push(`add key ${missing.map((k) => k.fingerprint).join(', ')} to ${path}`);
  return {
    changes,
    steps,
    provides: [{ kind: 'path', path }],
    data: { ...base, ...ids(fp), after: [...before, ...missing.map((k) => k.fingerprint)] },
    afterApply: writesChecked,
  };
}

function writesChecked(results: ExecResult[]): { failed?: string } {
  for (const r of results) {
    const out = writeOutcome(r);
    if (out.failed) return { failed: out.failed };
  }
  return {};
}

export const aptKeyModule: RemoteModule<AptKeyArgs> = {
  kind: 'remote',
  name: 'apt_key',
  ...specFields(aptKeySpec),
  parse: parseAptKeyArgs,
  probe: (a) => ({ script: aptKeyProbe(a) }),
  plan: (a, probe) => planAptKey(a, probe),
};
