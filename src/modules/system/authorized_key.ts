// authorized_key: SSH public keys present in (or absent from) a user's authorized_keys, as
// ansible.posix's authorized_key does (exclusive, key_options, comment, several keys in one task),
// decided from one probe of the account and the file; the file is written atomically, owned by the
// user with mode 0600, in a 0700 directory, never through a link nobody trusted.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { fileDiff } from '../lib/diff.js';
import { HOST_PATH_FUNCTIONS } from '../lib/host-path.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { HostThing, ModuleContext, Plan, RemoteModule } from '../types.js';
import { editKeys, parseNewKeys, type KeyLine } from './authorized-keys-file.js';

export const authorizedKeySpec = defineSpec({
  description: "Makes sure SSH public keys are in a user's authorized_keys (or are not), optionally as the only ones, with the options and comment given.",
  args: {
    user: { type: 'str', required: true, description: 'The account whose authorized_keys is edited; it must exist (in --check, a user an earlier task creates is enough).' },
    key: {
      type: 'str',
      required: true,
      description: "The public key, or several, one a line (blank lines and '#' comments skipped). A URL (https://github.com/NAME.keys) is refused: runbook does not fetch keys from the host; fetch them with a uri task on the controller and pass the text.",
    },
    path: { type: 'str', defaultText: '~USER/.ssh/authorized_keys', description: 'Another authorized_keys file (an absolute path), such as one under /etc/ssh. Set manage_dir: no with it unless its directory should be 0700 and the user\'s.' },
    manage_dir: { type: 'bool', default: true, description: "When the file changes: create its directory (0700) if missing, and make it the user's with mode 0700." },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the keys are in the file (with these options and comment); absent: they are not.' },
    key_options: { type: 'str', description: "Options put before each key ('no-port-forwarding,from=\"10.0.1.1\"'); a key present with other options is rewritten." },
    exclusive: { type: 'bool', default: false, description: 'Remove every other line of the file (other keys and comments). Not loop-aware: give all keys in one key.' },
    comment: { type: 'str', description: "Each key's comment, replacing the one in key." },
    follow: {
      type: 'bool',
      default: false,
      description: "Write the file a symbolic link at the path points to, keeping the link; without it the link is replaced by a file. Only a link owned by root, the task's user or the owner of its target is followed or read; any other fails the task (follow: yes) or is replaced unread.",
    },
    validate_certs: { type: 'bool', default: true, ignored: true, description: 'Accepted for Ansible playbooks and ignored: it applies to a key URL, which runbook refuses.' },
  },
  examples: `- name: The deploy account's key
  authorized_key:
    user: deploy
    key: "{{ lookup('file', 'files/deploy.pub') }}"

- name: Only these two keys, without port forwarding
  authorized_key:
    user: app
    exclusive: yes
    key_options: no-port-forwarding,no-agent-forwarding
    key: |
      ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGXnCqXS8vrGZ2bmP5QyOwMYl5Gf1I5h9A2+eJtU5a0c alice
      ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBCg4SO1Fd1MOfBbxxz7zcZ8pTwJgDsRfgZ1NjKzZbFi bob

- name: A key gone
  authorized_key:
    user: app
    state: absent
    key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBCg4SO1Fd1MOfBbxxz7zcZ8pTwJgDsRfgZ1NjKzZbFi bob`,
  returns: {
    user: 'The account.',
    key: 'The key argument.',
    keyfile: 'The authorized_keys file edited.',
    path: 'The path argument (null when not given).',
    state: 'present or absent.',
    exclusive: 'The exclusive argument.',
    key_options: 'The key_options argument.',
    comment: 'The comment argument.',
    manage_dir: 'The manage_dir argument.',
    follow: 'The follow argument.',
    validate_certs: 'The validate_certs argument.',
  },
  diff: "The file's text before and after (public keys are not secret, so it is shown).",
});

export interface AuthorizedKeyArgs extends ArgsOf<typeof authorizedKeySpec> {
  /** The keys of `key`, parsed. */
  keys: KeyLine[];
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}\$?$/;

export function parseAuthorizedKeyArgs(raw: Record<string, unknown>, loc: SourceLoc): AuthorizedKeyArgs {
  const { args, reader } = parseSpec('authorized_key', authorizedKeySpec, raw, loc);
  if (!NAME.test(args.user)) throw reader.error(`'${args.user}' is not a user name`);
  if (args.key.startsWith('http')) {
    throw reader.error(`key is a URL (${args.key}): runbook does not fetch keys from the managed host`, 'fetch them on the controller (a uri task with register, delegate_to: localhost) and pass the text as key');
  }
  if (args.path !== undefined && !args.path.startsWith('/')) throw reader.error(`path must be an absolute path, got '${args.path}'`);
  const parsed = parseNewKeys(args.key);
  if ('invalid' in parsed) throw reader.error(`invalid key specified: ${parsed.invalid}`, 'a key line is [options] TYPE BASE64 [comment], e.g. ssh-ed25519 AAAA... alice');
  return { ...args, keys: parsed.keys };
}

/**
 * The account, then the file as it will be written: the directories entered as host-path.ts does;
 * a link at the file itself is read through only when trusted (its target's keys are kept), and
 * otherwise reported (follow: no replaces it unread; follow: yes fails).
 */
export function authorizedKeyProbe(a: AuthorizedKeyArgs): string {
  const path = a.path !== undefined ? shQuote(a.path) : '"$rb_home/.ssh/authorized_keys"';
  const why = `printf 'refused=%s\\n' "\${rb_why:-cannot reach $rb_path}"; exit`;
  return sectionsScript({
    passwd: [
      `rb_p=$(getent passwd ${shQuote(a.user)}); rb_home=`,
      'if [ -n "$rb_p" ]; then IFS=: read -r rb_n rb_x rb_uid rb_gid rb_gecos rb_home rb_shell <<RB_EOF\n$rb_p\nRB_EOF',
      `printf 'uid=%s\\ngid=%s\\nhome=%s\\n' "$rb_uid" "$rb_gid" "$rb_home"; fi`,
    ].join('\n'),
    file: [
      `rb_path=${path}`,
      `printf 'keyfile=%s\\n' "$rb_path"`,
      `if [ -n "$rb_p" ] || ${a.path !== undefined ? 'true' : 'false'}; then (`,
      HOST_PATH_FUNCTIONS,
      'rb_locate "$rb_path" 0; rb_rc=$?',
      `case $rb_rc in 0) ;; 2) echo state=missing; exit ;; *) ${why} ;; esac`,
      'if [ -L "$rb_name" ]; then',
      `  if rb_trusted "$rb_name"; then echo link=trusted; cd / && rb_locate "$rb_path" 1; rb_rc=$?; case $rb_rc in 0) ;; 2) echo state=missing; exit ;; *) ${why} ;; esac`,
      `  elif ${a.follow ? 'true' : 'false'}; then rb_refuse_link "$rb_name"; ${why}`,
      '  else echo link=untrusted; echo state=missing; exit',
      '  fi',
      'fi',
      'if [ -f "$rb_name" ]; then',
      '  if [ -r "$rb_name" ]; then echo state=file; echo base64; base64 < "$rb_name"; else echo state=unreadable; fi',
      'elif [ -e "$rb_name" ]; then echo state=other',
      'else echo state=missing',
      'fi',
      ')',
      'fi',
    ].join('\n'),
  });
}

const fail = (msg: string, needs?: HostThing[], provides?: HostThing[]): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) });

/** Creates the key file's directory if missing (0700) and makes it the user's, entering it as host-path.ts does. */
function manageDirScript(dir: string, uid: string, gid: string): string {
  return [
    '(',
    HOST_PATH_FUNCTIONS,
    `rb_locate ${shQuote(dir)} 1 || { printf '%s\\n' "\${rb_why:-cannot reach ${dir.replace(/[^\w./-]/g, '?')}}" >&2; exit 1; }`,
    'if [ ! -e "$rb_name" ] && [ ! -L "$rb_name" ]; then mkdir -m 0700 -- "$rb_name" || exit 1; fi',
    `rb_enter "$rb_name" || { printf '%s\\n' "\${rb_why:-cannot enter ${dir.replace(/[^\w./-]/g, '?')}}" >&2; exit 1; }`,
    `chown ${uid}:${gid} . && chmod 0700 .`,
    ') || exit 1',
  ].join('\n');
}

export function planAuthorizedKey(a: AuthorizedKeyArgs, probe: ExecResult, ctx?: Pick<ModuleContext, 'diff'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const account = keyValues(parsed.sections.passwd);
  const fileFacts = keyValues(parsed.sections.file?.split('\nbase64\n')[0]);
  const keyfile = a.path ?? fileFacts.keyfile ?? '';
  const data = {
    user: a.user,
    key: a.key,
    keyfile,
    path: a.path ?? null,
    state: a.state,
    exclusive: a.exclusive,
    key_options: a.key_options ?? null,
    comment: a.comment ?? null,
    manage_dir: a.manage_dir,
    follow: a.follow,
    validate_certs: a.validate_certs,
  };
  if (account.uid === undefined) {
    // No account, so none of its keys to remove: the state asked for holds (Ansible fails here).
    if (a.state === 'absent' && a.path === undefined) return { changes: [], steps: [], data };
    // An earlier task of the run may create the account (check mode forecasts it).
    return fail(`Failed to lookup user ${a.user}: no such user`, [{ kind: 'user', name: a.user }], a.path !== undefined ? [{ kind: 'path', path: a.path }] : undefined);
  }
  if (fileFacts.refused !== undefined) return fail(fileFacts.refused);
  if (fileFacts.state === 'other') return fail(`${keyfile} is not a regular file`);
  if (fileFacts.state === 'unreadable') return fail(`cannot read ${keyfile} on the host (permission denied? become: yes)`);
  const exists = fileFacts.state === 'file';
  const beforeText = exists ? Buffer.from((parsed.sections.file ?? '').split('\nbase64\n')[1]?.replace(/\s+/g, '') ?? '', 'base64').toString('utf8') : '';
  const after = editKeys(beforeText, { keys: a.keys, state: a.state, keyOptions: a.key_options, comment: a.comment, exclusive: a.exclusive });
  if (after === undefined) return { changes: [], steps: [], data };

  const dir = posix.dirname(keyfile);
  const write = atomicWriteStep({ path: keyfile, content: after, owner: account.uid, group: account.gid, mode: '0600', follow: a.follow, makeParents: !a.manage_dir });
  const script = a.manage_dir ? `${manageDirScript(dir, account.uid!, account.gid!)}\n${write.script}` : write.script;
  const added = a.state === 'present';
  return {
    changes: [`${keyfile}: ${added ? (a.exclusive ? 'keys set' : 'key added') : 'key removed'}`],
    steps: [{ script, stdin: write.stdin }],
    diffs: ctx?.diff ? [fileDiff(keyfile, exists ? Buffer.from(beforeText) : null, Buffer.from(after))] : undefined,
    data,
    ...(exists ? {} : { provides: [{ kind: 'path', path: keyfile }] }),
    afterApply(results) {
      const out = writeOutcome(results[0]);
      return out.failed ? { failed: out.failed } : {};
    },
  };
}

export const authorizedKeyModule: RemoteModule<AuthorizedKeyArgs> = {
  kind: 'remote',
  name: 'authorized_key',
  ...specFields(authorizedKeySpec),
  parse: parseAuthorizedKeyArgs,
  probe: (a) => ({ script: authorizedKeyProbe(a) }),
  plan: (a, probe, ctx) => planAuthorizedKey(a, probe, ctx),
};
