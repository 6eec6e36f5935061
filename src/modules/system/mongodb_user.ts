// mongodb_user: community.mongodb's arguments, read and checked so playbooks that use it load and
// their mistakes show at file:line:col; running it fails with a clear message, because runbook has no
// MongoDB client to drive (Debian 12 ships no MongoDB, so nothing here could be tested on a lab host).
import type { SourceLoc } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const mongodbUserSpec = defineSpec({
  description: 'Accepts and checks community.mongodb\'s mongodb_user arguments (a MongoDB user, its password and roles); running it fails: runbook does not drive MongoDB yet.',
  args: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'The user.' },
    database: { type: 'str', required: true, aliases: ['db'], description: 'The database the user is defined in (admin for cluster-wide users).' },
    password: { type: 'str', noLog: true, aliases: ['pass'], description: 'Its password.' },
    roles: { type: 'raw', description: "Its roles: names ('readWrite') or mappings {db:, role:}, or a comma-separated string." },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the user exists; absent: it does not.' },
    update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always', description: 'always: an existing user gets password; on_create: only a new one.' },
    replica_set: { type: 'str', description: 'The replica set to connect to.' },
    login_user: { type: 'str', description: 'The user to log in as.' },
    login_password: { type: 'str', noLog: true, description: 'Its password.' },
    login_host: { type: 'str', default: 'localhost', description: 'The server.' },
    login_port: { type: 'int', default: 27017, max: 65535, description: 'Its port.' },
    login_database: { type: 'str', default: 'admin', description: 'The database login_user is defined in.' },
    ssl: { type: 'bool', default: false, aliases: ['tls'], description: 'Connect over TLS.' },
    create_for_localhost_exception: { type: 'str', description: 'A file whose presence marks the first admin as created through the localhost exception.' },
  },
  examples: `- name: The application's user
  mongodb_user:
    database: app
    name: app
    password: "{{ app_mongo_password }}"
    roles: readWrite`,
});

export type MongodbUserArgs = ArgsOf<typeof mongodbUserSpec>;

const ROLE = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseMongodbUserArgs(raw: Record<string, unknown>, loc: SourceLoc): MongodbUserArgs {
  const { args, reader } = parseSpec('mongodb_user', mongodbUserSpec, raw, loc);
  if (args.state === 'present' && args.password === undefined && args.update_password === 'always' && args.roles === undefined) {
    throw reader.error("state=present needs password or roles", 'give the password the user logs in with');
  }
  const roles = args.roles;
  const list = typeof roles === 'string' ? roles.split(',').map((r) => r.trim()).filter(Boolean) : Array.isArray(roles) ? roles : roles === undefined || roles === null ? [] : undefined;
  if (list === undefined) throw reader.error('roles must be a list (of names or {db, role} mappings) or a comma-separated string');
  for (const r of list) {
    if (typeof r === 'string' ? !ROLE.test(r) : !(r && typeof r === 'object' && typeof (r as Record<string, unknown>).role === 'string' && typeof (r as Record<string, unknown>).db === 'string')) {
      throw reader.error(`roles: ${JSON.stringify(r)} is not a role name or a {db, role} mapping`);
    }
  }
  return args;
}

export const mongodbUserModule: RemoteModule<MongodbUserArgs> = {
  kind: 'remote',
  name: 'mongodb_user',
  ...specFields(mongodbUserSpec),
  parse: parseMongodbUserArgs,
  probe: () => ({ script: '' }),
  plan: (a): Plan => ({
    changes: [],
    steps: [],
    failure: { msg: `mongodb_user (${a.name} in ${a.database}): runbook checks this module's arguments but does not drive MongoDB; run mongosh in a command task meanwhile (the password on its stdin, not its command line)` },
  }),
};
