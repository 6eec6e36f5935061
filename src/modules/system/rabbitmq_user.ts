// rabbitmq_user: a RabbitMQ user present or absent, with its tags and permissions, as
// community.rabbitmq's rabbitmq_user does through rabbitmqctl. The password goes to rabbitmqctl on
// stdin (add_user, change_password and authenticate_user read it there when it is not an argument),
// never on a command line where ps shows it to every user of the host.
import { randomBytes } from 'node:crypto';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule, Step } from '../types.js';
import { ctl, ctlFailure, ctlPrelude, jsonRows, nodeArg } from './rabbitmq-ctl.js';

const priv = (what: string) =>
  ({ type: 'str', default: '^$', description: `A regular expression of the resources the user may ${what} on vhost; ignored when permissions is given.` }) as const;

export const rabbitmqUserSpec = defineSpec({
  description: 'Makes sure a RabbitMQ user exists, with its tags and permissions, or does not, through rabbitmqctl on the host.',
  args: {
    user: { type: 'str', required: true, aliases: ['username', 'name'], description: 'The user name.' },
    password: {
      type: 'str',
      noLog: true,
      description:
        "The password, given to rabbitmqctl on stdin, never on a command line. rabbitmqctl reads one line and trims it, so a password with a line break or surrounding spaces is refused. Without it the user has no password (it logs in by other means). An existing user's password changes only with update_password: always.",
    },
    update_password: {
      type: 'str',
      choices: ['on_create', 'always'],
      default: 'on_create',
      description: 'on_create: the password is set when the user is created; always: also changed when it does not match (checked with rabbitmqctl authenticate_user).',
    },
    tags: { type: 'str', description: 'Tags, separated by commas (administrator,monitoring). Not given: the user has none, as in Ansible.' },
    vhost: { type: 'str', default: '/', description: 'The virtual host configure_priv, write_priv and read_priv apply to; ignored when permissions is given.' },
    configure_priv: priv('configure'),
    write_priv: priv('write to'),
    read_priv: priv('read from'),
    permissions: {
      type: 'raw',
      default: [],
      description:
        "Every permission of the user: a list of {vhost, configure_priv, write_priv, read_priv} (or configure, write, read); a privilege not given is '^$'. Permissions on any other virtual host are cleared.",
      schema: { type: ['array', 'string', 'null'] },
    },
    force: { type: 'bool', default: false, description: 'Delete and re-create an existing user (always a change).' },
    node: nodeArg,
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the user exists as described; absent: it does not.' },
  },
  examples: `- name: The application's user, with full rights on its virtual host
  rabbitmq_user:
    user: app
    password: "{{ app_mq_password }}"
    vhost: /app
    configure_priv: .*
    read_priv: .*
    write_priv: .*
    tags: monitoring

- name: No guest login
  rabbitmq_user:
    user: guest
    state: absent`,
  returns: { user: 'The user name.', state: 'The state asked for.' },
  checkMode:
    'Forecasts exactly: the probe lists the users and the permissions of this one, and with update_password: always checks the password (authenticate_user, the password on stdin); nothing changes.',
});

interface Permission {
  vhost: string;
  configure: string;
  write: string;
  read: string;
}

export interface RabbitmqUserArgs {
  user: string;
  password?: string;
  updatePassword: 'on_create' | 'always';
  tags: string[];
  /** Bulk (permissions given): every vhost not listed is cleared. Otherwise only the one vhost is compared. */
  bulk: boolean;
  permissions: Permission[];
  force: boolean;
  node: string;
  state: 'present' | 'absent';
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

export function parseRabbitmqUserArgs(raw: Record<string, unknown>, loc: SourceLoc): RabbitmqUserArgs {
  const { args, reader } = parseSpec('rabbitmq_user', rabbitmqUserSpec, raw, loc);
  if (args.user === '') throw reader.error("'user' must not be empty");
  const pw = args.password;
  if (pw !== undefined && (/[\r\n]/.test(pw) || pw !== pw.trim())) {
    throw reader.error('the password has a line break or surrounding spaces', 'rabbitmqctl reads the password from stdin as one trimmed line; choose a password without them');
  }
  const list = args.permissions;
  if (!Array.isArray(list)) throw reader.error("'permissions' must be a list of {vhost, configure_priv, write_priv, read_priv}");
  const permissions: Permission[] = list.map((p, i) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw reader.error(`permissions[${i}] must be a mapping with vhost and the privileges`);
    const e = p as Record<string, unknown>;
    const vhost = str(e.vhost);
    if (!vhost) throw reader.error(`permissions[${i}] needs a vhost`, "an empty vhost cannot have permissions (Ansible refuses it too)");
    const pick = (k: string): string => str(e[`${k}_priv`]) ?? str(e[k]) ?? '^$';
    return { vhost, configure: pick('configure'), write: pick('write'), read: pick('read') };
  });
  const seen = new Set<string>();
  for (const p of permissions) {
    if (seen.has(p.vhost)) throw reader.error(`permissions: vhost '${p.vhost}' is listed twice`, 'give each virtual host one entry');
    seen.add(p.vhost);
  }
  const bulk = permissions.length > 0;
  if (!bulk) permissions.push({ vhost: args.vhost, configure: args.configure_priv, write: args.write_priv, read: args.read_priv });
  const tags = (args.tags ?? '').replace(/ /g, '').split(',').filter((t) => t !== '');
  return { user: args.user, ...(pw !== undefined ? { password: pw } : {}), updatePassword: args.update_password, tags, bulk, permissions, force: args.force, node: args.node, state: args.state };
}

export function rabbitmqUserProbe(a: RabbitmqUserArgs): { script: string; stdin?: string } {
  const u = shQuote(a.user);
  const parts: Record<string, string> = {
    users: 'rb_ctl list_users --formatter json </dev/null || exit 1',
    // A user that does not exist has no permissions to list: rabbitmqctl then fails, and that is read as none.
    permissions: `rb_ctl list_user_permissions ${u} --formatter json </dev/null 2>/dev/null || echo '[]'`,
  };
  const check = a.state === 'present' && !a.force && a.updatePassword === 'always' && a.password !== undefined;
  if (check) parts.password = `if rb_ctl authenticate_user ${u} >/dev/null 2>&1; then echo matches=1; else echo matches=0; fi`;
  return { script: `${ctlPrelude(a.node)}\n${sectionsScript(parts)}`, ...(check ? { stdin: `${a.password}\n` } : {}) };
}

const samePermission = (x: Permission | undefined, y: Permission): boolean => x !== undefined && x.configure === y.configure && x.write === y.write && x.read === y.read;

export function planRabbitmqUser(a: RabbitmqUserArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'addSecret'>): Plan {
  if (a.password) ctx.addSecret(a.password);
  const data = { user: a.user, state: a.state };
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: ctlFailure(parsed.error.replace("the host's state", 'the users'), probe.stderr) };
  const users = jsonRows(parsed.sections.users);
  const perms = jsonRows(parsed.sections.permissions);
  if (!users || !perms) return { changes: [], steps: [], failure: { msg: 'rabbitmqctl printed users or permissions runbook cannot read' } };
  const found = users.find((r) => r.user === a.user);
  const c = ctl(a.node);
  const u = shQuote(a.user);
  const steps: Step[] = [];
  const changes: string[] = [];
  if (a.state === 'absent') {
    if (found) {
      changes.push(`delete user ${a.user}`);
      steps.push({ script: `${c} delete_user ${u}` });
    }
    return { changes, steps, data };
  }
  // Without a password, rabbitmqctl still needs one to add the user: a random one, cleared at once.
  const add = (): void => {
    steps.push({ script: `${c} add_user ${u} >/dev/null`, stdin: `${a.password || randomBytes(24).toString('base64')}\n` });
    if (!a.password) steps.push({ script: `${c} clear_password ${u}` });
  };
  const created = !found || a.force;
  if (!found) {
    changes.push(`add user ${a.user}`);
    add();
  } else if (a.force) {
    changes.push(`delete and re-create user ${a.user} (force)`);
    steps.push({ script: `${c} delete_user ${u}` });
    add();
  } else if (a.updatePassword === 'always' && a.password !== undefined && keyValues(parsed.sections.password).matches !== '1') {
    changes.push(`change the password of ${a.user}`);
    steps.push({ script: `${c} change_password ${u} >/dev/null`, stdin: `${a.password}\n` });
  }
  const haveTags = created ? [] : Array.isArray(found?.tags) ? (found.tags as unknown[]).map(String) : [];
  const sameTags = new Set(a.tags).size === new Set(haveTags).size && a.tags.every((t) => haveTags.includes(t));
  if (!sameTags || (created && a.tags.length > 0)) {
    changes.push(`tags of ${a.user}: ${a.tags.join(',') || '(none)'}`);
    steps.push({ script: `${c} set_user_tags ${u}${a.tags.map((t) => ` ${shQuote(t)}`).join('')}` });
  }
  const have: Permission[] = created ? [] : perms.map((p) => ({ vhost: String(p.vhost), configure: String(p.configure), write: String(p.write), read: String(p.read) }));
  if (a.bulk) {
    for (const p of have) {
      if (a.permissions.some((w) => w.vhost === p.vhost)) continue;
      changes.push(`clear the permissions of ${a.user} on ${p.vhost}`);
      steps.push({ script: `${c} clear_permissions -p ${shQuote(p.vhost)} ${u}` });
    }
  }
  for (const w of a.permissions) {
    if (samePermission(have.find((p) => p.vhost === w.vhost), w)) continue;
    changes.push(`permissions of ${a.user} on ${w.vhost}: configure ${w.configure} write ${w.write} read ${w.read}`);
    steps.push({ script: `${c} set_permissions -p ${shQuote(w.vhost)} ${u} ${shQuote(w.configure)} ${shQuote(w.write)} ${shQuote(w.read)}` });
  }
  return { changes, steps, data };
}

export const rabbitmqUserModule: RemoteModule<RabbitmqUserArgs> = {
  kind: 'remote',
  name: 'rabbitmq_user',
  ...specFields(rabbitmqUserSpec),
  parse: parseRabbitmqUserArgs,
  probe: (a) => rabbitmqUserProbe(a),
  plan: (a, probe, ctx) => planRabbitmqUser(a, probe, ctx),
};
