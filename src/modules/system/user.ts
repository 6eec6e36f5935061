// user: a local account present (uid, groups, shell, home, password hash, expiry, an SSH key) or
// absent, as Ansible 2.14's user module does on Linux (useradd / usermod / userdel), decided from one
// probe of the account (getent passwd, shadow and group). The password hash reaches the host only on
// chpasswd's stdin, and the key passphrase only in a root-only file read by ssh-keygen's askpass.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { HostThing, Plan, RemoteModule, Step } from '../types.js';

const ignoredOnLinux = (what: string) => ({ type: 'str', ignored: true, description: `Accepted for Ansible playbooks and ignored: ${what}, which Ansible's user module also ignores on Linux.` }) as const;

export const userSpec = defineSpec({
  description: 'Makes sure a local user account exists with the given uid, groups, shell, home, password hash and SSH key, or does not exist (useradd, usermod, userdel).',
  args: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'The account.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the account exists as described; absent: it does not.' },
    uid: { type: 'int', description: 'Its numeric id; an existing account with another uid gets this one (usermod -u).' },
    non_unique: { type: 'bool', default: false, description: 'Allow a uid another account already has (with uid).' },
    group: { type: 'str', description: 'Its primary group (a name or gid); the group must exist. Without it a new account gets a group of its own name, or the default group when a group of that name already exists (useradd -N), as in Ansible.' },
    groups: { type: 'list', description: "Supplementary groups (a list or 'a,b'); each must exist. Without append the account is removed from every other group; an empty string removes it from all of them but its primary group." },
    append: { type: 'bool', default: false, description: 'Add the account to groups, leaving its other groups as they are.' },
    comment: { type: 'str', description: 'The GECOS field (full name).' },
    shell: { type: 'str', description: 'Its login shell.' },
    home: { type: 'str', description: 'Its home directory (an absolute path). For an existing account, see move_home.' },
    create_home: { type: 'bool', default: true, aliases: ['createhome'], description: 'Create the home directory (from the skeleton) when the account is created, or later when it is missing.' },
    move_home: { type: 'bool', default: false, description: 'With home, move the existing home directory to the new path (usermod -m) instead of only changing the account.' },
    skeleton: { type: 'str', description: 'The skeleton directory copied into a new home (default /etc/skel); needs create_home.' },
    umask: { type: 'str', description: "The umask a new home directory is created with (useradd -K UMASK=), e.g. '0077'." },
    system: { type: 'bool', default: false, description: 'Create it as a system account (a uid from the system range); an existing account is left as it is.' },
    password: {
      type: 'str',
      noLog: true,
      description: "The password as a crypt hash ('$6$...', from the password_hash filter), or '!' / '*' for none. Set with chpasswd -e reading it from stdin, never on a command line. A value that is not a hash is refused (Ansible warns and stores it as it is).",
    },
    update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always', description: 'always: set the password whenever the hash differs; on_create: only when the account is created.' },
    password_lock: { type: 'bool', description: "yes: lock the password (usermod -L, a '!' before the hash); no: unlock it (usermod -U). Unset: leave it as it is." },
    expires: { type: 'raw', description: 'When the account expires, in seconds since the epoch (the day counts, UTC); a negative value removes the expiry.' },
    password_expire_max: { type: 'int', description: 'Days a password stays valid (chage -M).' },
    password_expire_min: { type: 'int', description: 'Days before a password may be changed again (chage -m).' },
    remove: { type: 'bool', default: false, description: 'With state absent: also remove the home directory and mail spool (userdel -r).' },
    force: { type: 'bool', default: false, description: 'With state absent: remove the account even while it is logged in (userdel -f). With generate_ssh_key: replace an existing key.' },
    generate_ssh_key: { type: 'bool', default: false, description: 'Generate an SSH key pair for the account when there is none (never replaces one unless force). ssh-keygen runs as the account itself, so it writes nowhere the account could not.' },
    ssh_key_bits: { type: 'int', description: "The key's size in bits; unset: ssh-keygen's default for the type." },
    ssh_key_type: { type: 'str', default: 'rsa', description: 'The key type (rsa, ed25519, ecdsa).' },
    ssh_key_file: { type: 'str', defaultText: '.ssh/id_TYPE', description: "The private key's path; a relative path is relative to the home directory. The public key is beside it with .pub." },
    ssh_key_comment: { type: 'str', defaultText: 'ansible-generated on HOSTNAME', description: "The key's comment; the default names the host, as Ansible's does." },
    ssh_key_passphrase: { type: 'str', noLog: true, description: "The private key's passphrase; unset: none. It reaches ssh-keygen through a root-only file and SSH_ASKPASS, never a command line." },
    seuser: { type: 'str', description: 'The SELinux user of a new account (useradd -Z); needs SELinux on the host.' },
    local: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: runbook always manages /etc/passwd with useradd (no luseradd).' },
    hidden: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: a macOS setting.' },
    login_class: ignoredOnLinux('a BSD login class'),
    profile: ignoredOnLinux('a Solaris profile'),
    authorization: ignoredOnLinux('a Solaris authorization'),
    role: ignoredOnLinux('a Solaris role'),
  },
  requiredIf: [['non_unique', true, ['uid']]],
  examples: `- name: The application's account
  user:
    name: app
    system: yes
    shell: /usr/sbin/nologin
    home: /srv/app

- name: A person, with a password hash and extra groups
  user:
    name: alice
    comment: Alice Example
    shell: /bin/bash
    groups: [sudo, adm]
    append: yes
    password: "{{ alice_password | password_hash('sha512', 'pepper') }}"

- name: A deploy account with its own SSH key
  user:
    name: deploy
    generate_ssh_key: yes
    ssh_key_type: ed25519
  register: deploy

- name: A former colleague gone, home directory included
  user:
    name: bob
    state: absent
    remove: yes`,
  returns: {
    name: 'The account.',
    state: 'present or absent.',
    uid: 'Its uid (present).',
    group: 'Its primary gid (present).',
    groups: 'The groups asked for, comma-separated (when groups was given).',
    comment: 'Its GECOS field (present).',
    home: 'Its home directory (present).',
    shell: 'Its login shell (present).',
    system: 'Whether system: was asked for (when the account is created).',
    create_home: 'Whether a home directory was asked for (when the account is created).',
    append: 'The append argument (when the account existed).',
    move_home: 'The move_home argument (when the account existed).',
    password: "'NOT_LOGGING_PASSWORD' when a password was given; never the hash.",
    ssh_key_file: 'The private key (generate_ssh_key).',
    ssh_public_key: 'The public key (generate_ssh_key).',
    ssh_fingerprint: "The key's fingerprint, as ssh-keygen -l prints it (generate_ssh_key).",
    force: 'The force argument (state absent, when the account existed).',
    remove: 'The remove argument (state absent, when the account existed).',
  },
  checkMode: 'Forecasts from the probe alone. A new account forecasts itself, its group and home for later tasks (authorized_key, file owner).',
});

type SpecArgs = ArgsOf<typeof userSpec>;

export interface UserArgs extends Omit<SpecArgs, 'groups' | 'expires'> {
  /** The groups asked for, split on commas and trimmed; [] for '' (none but the primary); undefined: not managed. */
  groups: string[] | undefined;
  /** Seconds since the epoch; negative: no expiry. */
  expires: number | undefined;
}

/** What useradd accepts on Debian: no leading '-', no ':' or whitespace, at most 32 characters. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}\$?$/;
const GROUP = /^([A-Za-z0-9_][A-Za-z0-9_.-]{0,30}\$?|\d+)$/;
/** A crypt hash as Ansible recognises one ($id$salt$hash, the last part of [a-zA-Z0-9./=]), or a disabled password. */
const DISABLED = new Set(['*', '!', '*************']);

function looksHashed(pw: string): boolean {
  if (DISABLED.has(pw)) return true;
  if (/[:*!]/.test(pw) || !pw.includes('$')) return false;
  const fields = pw.split('$');
  if (fields.length < 3) return false;
  const last = fields[fields.length - 1]!;
  if (/[^a-zA-Z0-9./=]/.test(last)) return false;
  const lengths: Record<string, number> = { '1': 22, '5': 43, '6': 86 };
  const want = lengths[fields[1]!];
  return want === undefined || last.length === want;
}

export function parseUserArgs(raw: Record<string, unknown>, loc: SourceLoc): UserArgs {
  const { args, reader } = parseSpec('user', userSpec, raw, loc);
  if (!NAME.test(args.name)) throw reader.error(`'${args.name}' is not a user name`, "letters, digits, '_', '.' and '-', not starting with '-', at most 32 characters");
  const groups = args.groups?.flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  for (const g of [...(groups ?? []), ...(args.group !== undefined ? [args.group] : [])]) {
    if (!GROUP.test(g)) throw reader.error(`'${g}' is not a group name`);
  }
  if (args.home !== undefined && !args.home.startsWith('/')) throw reader.error(`home must be an absolute path, got '${args.home}'`);
  for (const [key, v] of [['shell', args.shell], ['comment', args.comment], ['home', args.home]] as const) {
    if (v !== undefined && /[:\n]/.test(v)) throw reader.error(`${key} cannot hold ':' or a line break (they separate /etc/passwd's fields)`);
  }
  if (args.password !== undefined && !looksHashed(args.password)) {
    throw reader.error("password must be a crypt hash, not the password itself", "write password: \"{{ 'secret' | password_hash('sha512') }}\", or '!' for no password");
  }
  if (args.umask !== undefined && !/^0?[0-7]{3}$/.test(args.umask)) throw reader.error(`umask must be octal like '0077', got '${args.umask}'`);
  if (args.ssh_key_type !== undefined && !/^[a-z0-9-]+$/.test(args.ssh_key_type)) throw reader.error(`'${args.ssh_key_type}' is not an SSH key type`, 'rsa, ed25519, ecdsa');
  let expires: number | undefined;
  if (args.expires !== undefined && args.expires !== null && args.expires !== '') {
    expires = typeof args.expires === 'number' ? args.expires : Number(String(args.expires).trim());
    if (!Number.isFinite(expires)) throw reader.error(`expires must be seconds since the epoch (a number), got '${String(args.expires)}'`);
  }
  return { ...args, groups, expires };
}

// ---------------------------------------------------------------------------------------------
// Probe: one script, sections read back by name.

const q = shQuote;

/** The ssh key path as the shell computes it, relative paths under the home the account will have ($rb_home). */
function keyPathShell(a: UserArgs): string {
  const file = a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`;
  return file.startsWith('/') ? q(file) : `"$rb_home"/${q(file)}`;
}

function caseAlternatives(words: string[]): string {
  return words.map(q).join('|');
}

export function userProbe(a: UserArgs): string {
  const name = q(a.name);
  const parts: Record<string, string> = {
    // The fields go through a here-document, not a pipe, so they stay set for the later parts.
    passwd: [
      `rb_p=$(getent passwd ${name})`,
      'rb_home=',
      'if [ -n "$rb_p" ]; then',
      'IFS=: read -r rb_n rb_x rb_uid rb_gid rb_gecos rb_home rb_shell <<RB_EOF\n$rb_p\nRB_EOF',
      `printf 'uid=%s\\ngid=%s\\ncomment=%s\\nhome=%s\\nshell=%s\\n' "$rb_uid" "$rb_gid" "$rb_gecos" "$rb_home" "$rb_shell"`,
      'fi',
    ].join('\n'),
  };
  if (a.state === 'absent') return sectionsScript(parts);
  const needShadow = a.password !== undefined || a.password_lock !== undefined || a.expires !== undefined || a.password_expire_max !== undefined || a.password_expire_min !== undefined;
  if (needShadow) {
    parts.shadow = [
      `rb_s=$(getent shadow ${name})`,
      'if [ -n "$rb_s" ]; then',
      'IFS=: read -r rb_n rb_pw rb_last rb_min rb_max rb_warn rb_inact rb_exp rb_rest <<RB_EOF\n$rb_s\nRB_EOF',
      `case $rb_pw in '!'*) echo locked=1 ;; *) echo locked=0 ;; esac`,
      `printf 'min=%s\\nmax=%s\\nexpires=%s\\n' "$rb_min" "$rb_max" "$rb_exp"`,
      // Only a digest of the hash leaves the host, with its leading '!'s removed as Ansible compares it.
      ...(a.password !== undefined || a.password_lock === false ? [`while case $rb_pw in '!'*) true ;; *) false ;; esac; do rb_pw=\${rb_pw#!}; done`, `printf 'pw_sha=%s\\n' "$(printf '%s' "$rb_pw" | sha256sum)"`] : []),
      'elif [ -n "$rb_p" ]; then echo unreadable=1',
      'fi',
    ].join('\n');
  }
  const wanted = [...new Set([a.name, ...(a.group !== undefined ? [a.group] : []), ...(a.groups ?? [])])];
  const names = wanted.filter((g) => !/^\d+$/.test(g));
  const gids = wanted.filter((g) => /^\d+$/.test(g));
  parts.groups = [
    'getent group | while IFS=: read -r rb_g rb_x rb_gid rb_mem; do',
    `  case ,$rb_mem, in *,${q(a.name)},*) printf 'member=%s\\n' "$rb_g" ;; esac`,
    ...(names.length ? [`  case $rb_g in ${caseAlternatives(names)}) printf 'group=%s:%s\\n' "$rb_g" "$rb_gid" ;; esac`] : []),
    ...(gids.length ? [`  case $rb_gid in ${gids.join('|')}) printf 'group=%s:%s\\n' "$rb_gid" "$rb_gid" ;; esac`] : []),
    'done',
  ].join('\n');
  if (a.home !== undefined) parts.home = `[ -e ${q(a.home)} ] && echo new=1; [ -d ${q(posix.dirname(a.home))} ] && echo parent=1; [ -n "$rb_home" ] && [ -e "$rb_home" ] && echo old=1; :`;
  else parts.home = '[ -n "$rb_home" ] && [ -e "$rb_home" ] && echo old=1; :';
  if (a.generate_ssh_key) {
    parts.key = [
      `rb_home=\${rb_home:-${q(a.home ?? `/home/${a.name}`)}}`,
      ...(a.home !== undefined ? [`rb_home=${q(a.home)}`] : []),
      `rb_k=${keyPathShell(a)}`,
      `printf 'file=%s\\n' "$rb_k"`,
      '[ -e "$rb_k" ] || [ -L "$rb_k" ] && echo private=1',
      // A public key that is a link is not read: it could point anywhere.
      'if [ -f "$rb_k.pub" ] && [ ! -L "$rb_k.pub" ]; then echo public=1',
      `  read -r rb_pub < "$rb_k.pub"; printf 'pub=%s\\n' "$rb_pub"`,
      `  printf 'fingerprint=%s\\n' "$(ssh-keygen -l -f "$rb_k.pub" 2>&1)"`,
      'elif [ -e "$rb_k.pub" ] || [ -L "$rb_k.pub" ]; then echo public=1',
      'fi',
    ].join('\n');
  }
  return sectionsScript(parts);
}

// ---------------------------------------------------------------------------------------------
// Plan: pure, from the probe's sections.

interface Account {
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

interface Facts {
  account?: Account;
  shadow?: { locked: boolean; min?: number; max?: number; expires?: number; pwSha?: string };
  shadowUnreadable: boolean;
  /** Groups asked for that exist: name or gid as asked -> gid. */
  groups: Map<string, number>;
  /** Groups whose member list names the account. */
  memberOf: string[];
  home: { new: boolean; parent: boolean; old: boolean };
  key?: { file: string; private: boolean; public: boolean; pub?: string; fingerprint?: string };
}

const num = (v: string | undefined): number | undefined => (v === undefined || v.trim() === '' ? undefined : Number(v));

function readFacts(sections: Record<string, string>): Facts {
  const p = keyValues(sections.passwd);
  const account = p.uid !== undefined ? { uid: Number(p.uid), gid: Number(p.gid), comment: p.comment ?? '', home: p.home ?? '', shell: p.shell ?? '' } : undefined;
  const s = keyValues(sections.shadow);
  const shadow = s.locked !== undefined ? { locked: s.locked === '1', min: num(s.min), max: num(s.max), expires: num(s.expires), pwSha: s.pw_sha?.split(' ')[0] } : undefined;
  const groups = new Map<string, number>();
  const memberOf: string[] = [];
  for (const line of (sections.groups ?? '').split('\n')) {
    if (line.startsWith('member=')) memberOf.push(line.slice(7));
    if (line.startsWith('group=')) {
      const [g, gid] = line.slice(6).split(':');
      groups.set(g!, Number(gid));
    }
  }
  const h = keyValues(sections.home);
  const k = keyValues(sections.key);
  const key = sections.key !== undefined ? { file: k.file ?? '', private: k.private === '1', public: k.public === '1', pub: k.pub, fingerprint: k.fingerprint } : undefined;
  return { account, shadow, shadowUnreadable: s.unreadable === '1', groups, memberOf, home: { new: h.new === '1', parent: h.parent === '1', old: h.old === '1' }, ...(key ? { key } : {}) };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const DAY = 86_400;

/** useradd/usermod -e's date: the UTC day of `expires`, or '' (no expiry) for a negative value. */
function expiryDate(expires: number): string {
  return expires < 0 ? '' : new Date(Math.floor(expires) * 1000).toISOString().slice(0, 10);
}

/** The password step: chpasswd -e reads NAME:HASH from stdin, so the hash is never on a command line. */
function passwordStep(a: UserArgs, hash: string): Step {
  return { script: 'chpasswd -e', stdin: `${a.name}:${hash}\n` };
}

function lockedHash(a: UserArgs, pw: string): string {
  return a.password_lock ? `!${pw.replace(/^!+/, '')}` : pw;
}

/** Creates a missing home as Ansible does: the skeleton copied in, owned by the account, mode from login.defs' UMASK. */
export function homeStep(a: UserArgs, home: string): Step {
  const skel = q(a.skeleton ?? '/etc/skel');
  const h = q(home);
  return {
    script: [
      `mkdir -p -- ${q(posix.dirname(home))} && mkdir -- ${h} || exit 1`,
      `if [ -d ${skel} ]; then cp -RPp -- ${skel}/. ${h}/ || exit 1; fi`,
      `chown -R -P -- ${q(`${a.name}:`)} ${h} || exit 1`,
      `rb_um=022; while read -r rb_k rb_v rb_r; do [ "$rb_k" = UMASK ] && rb_um=$rb_v; done < /etc/login.defs`,
      `chmod "$(printf '%o' $(( 0777 & ~0$rb_um )))" -- ${h}`,
    ].join('\n'),
  };
}

/**
 * Generates the key as the account itself (setpriv), so a link the account planted in its home
 * never makes root write elsewhere. A passphrase arrives on stdin into a root-only temporary file
 * that only ssh-keygen's askpass reads.
 */
export function keyStep(a: UserArgs, home: string | undefined, force: boolean): Step {
  const comment = a.ssh_key_comment !== undefined ? q(a.ssh_key_comment) : '"ansible-generated on $rb_host"';
  const keygen = `ssh-keygen -q -t ${q(a.ssh_key_type)}${a.ssh_key_bits ? ` -b ${a.ssh_key_bits}` : ''} -C ${comment} -f "$rb_k"`;
  const lines = [
    `rb_p=$(getent passwd ${q(a.name)}) || { echo 'the account ${a.name} does not exist' >&2; exit 1; }`,
    'IFS=: read -r rb_n rb_x rb_uid rb_gid rb_gecos rb_home rb_shell <<RB_EOF\n$rb_p\nRB_EOF',
    ...(home !== undefined ? [`rb_home=${q(home)}`] : []),
    `rb_k=${keyPathShell(a)}`,
    'read -r rb_host < /proc/sys/kernel/hostname',
    'rb_as() { env HOME="$rb_home" setpriv --reuid="$rb_uid" --regid="$rb_gid" --init-groups -- "$@"; }',
    `[ -d "\${rb_k%/*}" ] || rb_as mkdir -m 0700 -- "\${rb_k%/*}" || exit 1`,
    ...(force ? ['rb_as rm -f -- "$rb_k" "$rb_k.pub" || exit 1'] : []),
  ];
  if (a.ssh_key_passphrase === undefined) {
    lines.push(`rb_as ${keygen} -N '' < /dev/null`);
  } else {
    lines.push(
      'rb_t=$(umask 077; mktemp -d) || exit 1',
      `trap 'rm -rf -- "$rb_t"' EXIT`,
      '(umask 077; cat > "$rb_t/p") || exit 1',
      `printf '#!/bin/sh\\ncat %s\\n' "$rb_t/p" > "$rb_t/ask" && chmod 0500 "$rb_t/ask" || exit 1`,
      'chown -R -- "$rb_uid" "$rb_t" || exit 1',
      'export SSH_ASKPASS="$rb_t/ask" SSH_ASKPASS_REQUIRE=force',
      `rb_as ${keygen} < /dev/null`,
    );
  }
  return { script: lines.join('\n'), ...(a.ssh_key_passphrase !== undefined ? { stdin: `${a.ssh_key_passphrase}\n` } : {}) };
}

/** Reads the account (and its key) back after a change, for the registered result. */
function readbackStep(a: UserArgs): Step {
  const lines = [
    `getent passwd ${q(a.name)} | { IFS=: read -r rb_n rb_x rb_uid rb_gid rb_gecos rb_home rb_shell; printf 'uid=%s\\ngid=%s\\ncomment=%s\\nhome=%s\\nshell=%s\\n' "$rb_uid" "$rb_gid" "$rb_gecos" "$rb_home" "$rb_shell"; }`,
  ];
  if (a.generate_ssh_key) {
    lines.push(
      `rb_p=$(getent passwd ${q(a.name)}); IFS=: read -r rb_n rb_x rb_uid rb_gid rb_gecos rb_home rb_shell <<RB_EOF\n$rb_p\nRB_EOF`,
      `rb_k=${keyPathShell(a)}`,
      `printf 'key_file=%s\\n' "$rb_k"`,
      'if [ -f "$rb_k.pub" ] && [ ! -L "$rb_k.pub" ]; then read -r rb_pub < "$rb_k.pub"; printf \'pub=%s\\n\' "$rb_pub"; printf \'fingerprint=%s\\n\' "$(ssh-keygen -l -f "$rb_k.pub" 2>&1)"; fi',
    );
  }
  return { script: lines.join('\n') };
}

const fail = (msg: string, needs?: HostThing[], provides?: HostThing[]): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) });

function missingGroups(a: UserArgs, facts: Facts): string[] {
  return [...(a.group !== undefined ? [a.group] : []), ...(a.groups ?? [])].filter((g) => !facts.groups.has(g));
}

export function planUser(a: UserArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const facts = readFacts(parsed.sections);
  const name = q(a.name);
  const cur = facts.account;

  if (a.state === 'absent') {
    const data = { name: a.name, state: 'absent' };
    if (!cur) return { changes: [], steps: [], data };
    const opts = `${a.force ? ' -f' : ''}${a.remove ? ' -r' : ''}`;
    return { changes: [`remove user ${a.name}${a.remove ? ' and its home directory' : ''}`], steps: [{ script: `userdel${opts} ${name}` }], data: { ...data, force: a.force, remove: a.remove } };
  }

  const base: Record<string, unknown> = {
    name: a.name,
    state: 'present',
    ...(a.groups !== undefined ? { groups: a.groups.join(',') } : {}),
    ...(a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
  };
  const missing = missingGroups(a, facts);
  const home = a.home ?? cur?.home ?? `/home/${a.name}`;
  const keyFile = (a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`).startsWith('/') ? (a.ssh_key_file as string) : posix.join(home, a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`);
  const creates: HostThing[] = [
    { kind: 'user', name: a.name },
    ...(a.create_home ? [{ kind: 'path', path: home } as const] : []),
    ...(a.generate_ssh_key ? [{ kind: 'path', path: keyFile } as const, { kind: 'path', path: `${keyFile}.pub` } as const] : []),
  ];
  if (missing.length) {
    return fail(`Group ${missing[0]} does not exist`, missing.map((g) => ({ kind: 'group', name: g }) as const), cur ? undefined : creates);
  }
  if ((a.password !== undefined || a.password_lock !== undefined || a.password_expire_max !== undefined || a.password_expire_min !== undefined || a.expires !== undefined) && cur && facts.shadowUnreadable) {
    return fail(`cannot read the shadow entry of ${a.name}: managing its password or expiry needs root (become: yes)`);
  }

  const steps: Step[] = [];
  const changes: string[] = [];
  if (!cur) {
    const o: string[] = ['useradd'];
    if (a.uid !== undefined) o.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
    if (a.seuser !== undefined) o.push('-Z', q(a.seuser));
    if (a.group !== undefined) o.push('-g', q(a.group));
    // A group of the account's name already exists: useradd would fail creating it (USERGROUPS_ENAB).
    else if (facts.groups.has(a.name)) o.push('-N');
    if (a.groups?.length) o.push('-G', q(a.groups.join(',')));
    if (a.comment !== undefined) o.push('-c', q(a.comment));
    if (a.home !== undefined) o.push('-d', q(a.home));
    if (a.shell !== undefined) o.push('-s', q(a.shell));
    if (a.expires !== undefined) o.push('-e', q(expiryDate(a.expires)));
    if (a.create_home) {
      o.push('-m');
      if (a.skeleton !== undefined) o.push('-k', q(a.skeleton));
      if (a.umask !== undefined) o.push('-K', q(`UMASK=${a.umask}`));
    } else o.push('-M');
    if (a.system) o.push('-r');
    o.push(name);
    // useradd cannot create a home whose parent is missing: Ansible makes the parents first.
    if (a.home !== undefined && a.create_home && !facts.home.parent) steps.push({ script: `mkdir -p -- ${q(posix.dirname(a.home))}` });
    steps.push({ script: o.join(' ') });
    changes.push(`create user ${a.name}`);
    if (a.password !== undefined) steps.push(passwordStep(a, lockedHash(a, a.password)));
    const chage = chageOpts(a, undefined);
    if (chage) steps.push({ script: `chage${chage} ${name}` });
    if (a.generate_ssh_key) {
      steps.push(keyStep(a, undefined, false));
      changes.push(`generate ssh key ${keyFile}`);
    }
    steps.push(readbackStep(a));
    const data = { ...base, system: a.system, create_home: a.create_home, home, ...(a.uid !== undefined ? { uid: a.uid } : {}), ...(a.generate_ssh_key ? { ssh_key_file: keyFile } : {}) };
    return { changes, steps, data, provides: creates, afterApply: (results) => ({ data: { ...data, ...readback(results[results.length - 1]) } }) };
  }

  // The account exists: usermod with what differs, as Ansible's modify_user_usermod.
  const o: string[] = [];
  if (a.uid !== undefined && a.uid !== cur.uid) {
    o.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
    changes.push(`change uid of user ${a.name} from ${cur.uid} to ${a.uid}`);
  }
  const gid = a.group !== undefined ? facts.groups.get(a.group)! : cur.gid;
  if (gid !== cur.gid) {
    o.push('-g', String(gid));
    changes.push(`change primary group of user ${a.name} to ${a.group}`);
  }
  if (a.groups !== undefined) {
    const current = new Set(facts.memberOf);
    const want = new Set(a.groups);
    const add = [...want].filter((g) => !current.has(g));
    const drop = [...current].filter((g) => !want.has(g));
    if (a.append ? add.length > 0 : add.length + drop.length > 0) {
      o.push(...(a.append ? ['-a'] : []), '-G', q(a.groups.join(',')));
      if (add.length) changes.push(`add user ${a.name} to group${add.length > 1 ? 's' : ''} ${add.join(', ')}`);
      if (!a.append && drop.length) changes.push(`remove user ${a.name} from group${drop.length > 1 ? 's' : ''} ${drop.join(', ')}`);
    }
  }
  if (a.comment !== undefined && a.comment !== cur.comment) {
    o.push('-c', q(a.comment));
    changes.push(`change comment of user ${a.name}`);
  }
  const moving = a.home !== undefined && a.home !== cur.home;
  if (moving) {
    o.push('-d', q(a.home!), ...(a.move_home ? ['-m'] : []));
    changes.push(`${a.move_home && facts.home.old ? 'move' : 'change'} home of user ${a.name} from ${cur.home} to ${a.home}`);
  }
  if (a.shell !== undefined && a.shell !== cur.shell) {
    o.push('-s', q(a.shell));
    changes.push(`change shell of user ${a.name} to ${a.shell}`);
  }
  if (a.expires !== undefined) {
    const days = facts.shadow?.expires;
    if (a.expires < 0 ? days !== undefined && days >= 0 : days === undefined || days < 0 || expiryDate(days * DAY) !== expiryDate(a.expires)) {
      o.push('-e', q(expiryDate(a.expires)));
      changes.push(a.expires < 0 ? `remove the expiry of user ${a.name}` : `set user ${a.name} to expire on ${expiryDate(a.expires)}`);
    }
  }
  const pwChange = a.update_password === 'always' && a.password !== undefined && facts.shadow?.pwSha !== sha256(a.password.replace(/^!+/, ''));
  if (!pwChange && a.password_lock === true && facts.shadow && !facts.shadow.locked) {
    o.push('-L');
    changes.push(`lock the password of user ${a.name}`);
  } else if (!pwChange && a.password_lock === false && facts.shadow?.locked && facts.shadow.pwSha !== sha256('')) {
    // usermod -U refuses to leave an account without a password ('!' alone) and changes nothing,
    // which Ansible reports as changed on every run; here it is simply not tried.
    o.push('-U');
    changes.push(`unlock the password of user ${a.name}`);
  }
  if (o.length) steps.push({ script: `usermod ${o.join(' ')} ${name}` });
  if (pwChange) {
    steps.push(passwordStep(a, lockedHash(a, a.password!)));
    changes.push(`set the password of user ${a.name}${a.password_lock ? ' (locked)' : ''}`);
  }
  // Ansible creates a missing home afterwards (not when usermod -m moves the old one there).
  const homeWillExist = moving ? facts.home.new || (a.move_home && facts.home.old) : facts.home.old;
  if (a.create_home && !homeWillExist) {
    steps.push(homeStep(a, home));
    changes.push(`create home ${home}`);
  }
  if (a.generate_ssh_key && facts.key && (a.force || (!facts.key.private && !facts.key.public))) {
    steps.push(keyStep(a, moving ? home : undefined, a.force && (facts.key.private || facts.key.public)));
    changes.push(`generate ssh key ${facts.key.file}`);
  }
  const chage = chageOpts(a, facts.shadow);
  if (chage) {
    steps.push({ script: `chage${chage} ${name}` });
    changes.push(`set password aging of user ${a.name}`);
  }
  const uid = a.uid ?? cur.uid;
  const data: Record<string, unknown> = {
    ...base,
    append: a.append,
    move_home: a.move_home,
    uid,
    group: gid,
    comment: a.comment ?? cur.comment,
    home,
    shell: a.shell ?? cur.shell,
    ...(a.generate_ssh_key && facts.key ? { ssh_key_file: facts.key.file, ssh_public_key: facts.key.pub ?? null, ssh_fingerprint: facts.key.fingerprint ?? '' } : {}),
  };
  if (!steps.length) return { changes, steps, data };
  const keyMade = changes.some((c) => c.startsWith('generate ssh key'));
  if (keyMade) steps.push(readbackStep(a));
  const provides: HostThing[] = [
    ...(changes.includes(`create home ${home}`) ? [{ kind: 'path', path: home } as const] : []),
    ...(keyMade ? creates.filter((t) => t.kind === 'path' && t.path.startsWith(keyFile)) : []),
  ];
  return {
    changes,
    steps,
    data,
    ...(provides.length ? { provides } : {}),
    ...(keyMade ? { afterApply: (results: ExecResult[]) => ({ data: { ...data, ...readback(results[results.length - 1]) } }) } : {}),
  };
}

function chageOpts(a: UserArgs, shadow: Facts['shadow']): string {
  const m = a.password_expire_min !== undefined && a.password_expire_min !== shadow?.min ? ` -m ${a.password_expire_min}` : '';
  const M = a.password_expire_max !== undefined && a.password_expire_max !== shadow?.max ? ` -M ${a.password_expire_max}` : '';
  return m + M;
}

/** The registered values read back after a change (uid useradd picked, the key generated). */
function readback(result: ExecResult | undefined): Record<string, unknown> {
  const kv = keyValues(result?.stdout);
  const out: Record<string, unknown> = {};
  if (kv.uid) Object.assign(out, { uid: Number(kv.uid), group: Number(kv.gid), comment: kv.comment ?? '', home: kv.home ?? '', shell: kv.shell ?? '' });
  if (kv.key_file !== undefined) Object.assign(out, { ssh_key_file: kv.key_file, ssh_public_key: kv.pub ?? null, ssh_fingerprint: kv.fingerprint ?? '' });
  return out;
}

export const userModule: RemoteModule<UserArgs> = {
  kind: 'remote',
  name: 'user',
  ...specFields(userSpec),
  parse: parseUserArgs,
  probe: (a) => ({ script: userProbe(a) }),
  plan: (a, probe) => planUser(a, probe),
};
