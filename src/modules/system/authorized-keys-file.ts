// The authorized_keys edit of Ansible's authorized_key module (ansible.posix), pure: lines are
// parsed as it parses them (options, type, key, comment; anything else kept as it is), keys are
// matched by their base64 blob, and a changed file is written in its layout ("TYPE KEY COMMENT").

/** ssh key types Ansible's module recognises. */
const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-dss',
  'ssh-rsa',
  'ssh-xmss@openssh.com',
  'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256',
  'rsa-sha2-512',
  'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** Options in their order; a name may repeat (permitopen twice). null: a flag (no-pty). */
export type KeyOptions = [string, string | null][];

export interface KeyLine {
  kind: 'key';
  blob: string;
  type: string;
  options: KeyOptions;
  comment: string;
  rank: number;
}

/** A comment, a blank or an unparsable line: kept as it is (its text, newline included). */
export interface OtherLine {
  kind: 'other';
  line: string;
  rank: number;
}

export type Entry = KeyLine | OtherLine;

/** Splits options on commas outside quotes, as Ansible's parseoptions does. */
export function parseOptions(text: string | undefined): KeyOptions {
  if (!text) return [];
  const out: KeyOptions = [];
  for (const part of text.match(/(?:[^,"']|"[^"]*"|'[^']*')+/g) ?? []) {
    const eq = part.indexOf('=');
    out.push(eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, null]);
  }
  return out;
}

/** One key line: [options] TYPE KEY [comment]; undefined when it is not one. */
export function parseKey(raw: string, rank: number): KeyLine | undefined {
  const parts = raw.replace(/\\#/g, '#').split(/[ \t\r\n]+/).filter((p) => p !== '');
  if (parts[0] === '#') return undefined;
  const at = parts.findIndex((p) => KEY_TYPES.has(p));
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return { kind: 'key', blob: parts[at + 1]!, type: parts[at]!, options: parseOptions(at > 0 ? parts.slice(0, at).join(' ') : undefined), comment: parts.slice(at + 2).join(' '), rank };
}

/** The keys given in `key`: one a line, blank lines and '#' comments skipped. A line that is no key is returned as an error. */
export function parseNewKeys(text: string): { keys: KeyLine[] } | { invalid: string } {
  const lines = text.split(/\r?\n/).filter((s) => s !== '' && !s.startsWith('#'));
  const keys: KeyLine[] = [];
  for (const [i, line] of lines.entries()) {
    const k = parseKey(line, i);
    if (!k) return { invalid: line };
    keys.push(k);
  }
  return { keys };
}

/** The file's entries by identity (a key's blob, another line's text): a later duplicate replaces the earlier one, as in Ansible. */
export function parseFile(text: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const [rank, line] of (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).entries()) {
    const k = parseKey(line, rank);
    if (k) entries.set(k.blob, k);
    else entries.set(line, { kind: 'other', line, rank });
  }
  return entries;
}

function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  const group = (o: KeyOptions) => {
    const m = new Map<string, (string | null)[]>();
    for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v]);
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  if (ga.size !== gb.size) return false;
  for (const [k, v] of ga) {
    const w = gb.get(k);
    if (!w || w.length !== v.length || v.some((x, i) => x !== w[i])) return false;
  }
  return true;
}

const sameKey = (a: KeyLine, b: KeyLine): boolean => a.blob === b.blob && a.type === b.type && a.comment === b.comment && sameOptions(a.options, b.options);

export interface EditRequest {
  keys: KeyLine[];
  state: 'present' | 'absent';
  /** key_options: replaces each given key's own options. */
  keyOptions?: string;
  /** comment: replaces each given key's own comment. */
  comment?: string;
  exclusive: boolean;
}

/** Ansible's enforce_state: the new text, or undefined when nothing changes. */
export function editKeys(before: string, req: EditRequest): string | undefined {
  const existing = parseFile(before);
  const maxRank = existing.size;
  const keep = new Set<string>();
  let write = false;
  for (const given of req.keys) {
    const k: KeyLine = {
      ...given,
      ...(req.keyOptions !== undefined ? { options: parseOptions(req.keyOptions) } : {}),
      ...(req.comment !== undefined ? { comment: req.comment } : {}),
    };
    const old = existing.get(k.blob);
    // A key with other options or another comment counts as a different line when state is present.
    const matched = old !== undefined && (req.state === 'absent' || (old.kind === 'key' && sameKey(old, k)));
    if (req.state === 'present') {
      keep.add(k.blob);
      if (old !== undefined && !matched) {
        existing.delete(k.blob);
        write = true;
      }
      if (!matched) {
        existing.set(k.blob, { ...k, rank: maxRank + k.rank });
        write = true;
      }
    } else if (matched) {
      existing.delete(k.blob);
      write = true;
    }
  }
  if (req.state === 'present' && req.exclusive) {
    for (const id of [...existing.keys()]) {
      if (!keep.has(id)) {
        existing.delete(id);
        write = true;
      }
    }
  }
  return write ? serialize(existing) : undefined;
}

/** Ansible's layout: "OPTIONS TYPE KEY COMMENT\n" (a space before an empty comment too), other lines as they were, in rank order. */
export function serialize(entries: Map<string, Entry>): string {
  return [...entries.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((e) => {
      if (e.kind === 'other') return e.line.endsWith('\n') ? e.line : `${e.line}\n`;
      const opts = e.options.length ? `${e.options.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(',')} ` : '';
      return `${opts}${e.type} ${e.blob} ${e.comment}\n`;
    })
    .join('');
}
