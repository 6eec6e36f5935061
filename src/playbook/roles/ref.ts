// A reference to a role, as written in `roles:`, in meta/main.yml `dependencies:` or in
// import_role: its name, its parameters, and the keywords that apply to all its tasks.
import { InputError } from '../../core/errors.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import { describeValue, isMapping } from '../../yaml/expect.js';
import { locAt } from '../../yaml/locs.js';
import { toEnvironment, type EnvironmentLayer } from '../environment.js';
import { ROLE_REF_KEYWORDS } from '../keywords.js';
import { toBool, toConditions, toName, toTags, toVars } from '../values.js';

export interface RoleRef {
  name: string;
  params: Vars;
  tags: string[];
  when: string[];
  become?: boolean;
  becomeUser?: string;
  environment?: EnvironmentLayer[];
  loc: SourceLoc;
}

/** `name`, or `{role: name, tags: ..., when: ..., vars: {...}, other_param: ...}`. */
export function parseRoleRef(entry: unknown, loc: SourceLoc): RoleRef {
  if (typeof entry === 'string' && entry.trim() !== '') return { name: entry.trim(), params: {}, tags: [], when: [], loc };
  if (!isMapping(entry)) throw new InputError(`a role reference must be a name or a mapping with role:, found ${describeValue(entry)}`, loc);
  const at = (k: string): SourceLoc => locAt(entry, k, loc);
  const nameKey = entry.role !== undefined ? 'role' : 'name';
  if (entry[nameKey] === undefined) throw new InputError('a role reference needs role: NAME', loc);
  const ref: RoleRef = {
    name: toName(entry[nameKey], nameKey, at(nameKey)).trim(),
    params: {},
    tags: entry.tags !== undefined ? toTags(entry.tags, at('tags')) : [],
    when: entry.when !== undefined ? toConditions(entry.when, 'when', at('when')) : [],
    loc,
  };
  if (entry.become !== undefined) ref.become = toBool(entry.become, 'become', at('become'));
  if (entry.become_user !== undefined) ref.becomeUser = toName(entry.become_user, 'become_user', at('become_user'));
  if (entry.environment !== undefined) ref.environment = toEnvironment(entry.environment, at('environment'));
  const keywords: readonly string[] = ROLE_REF_KEYWORDS;
  for (const [k, v] of Object.entries(entry)) if (!keywords.includes(k)) ref.params[k] = v;
  Object.assign(ref.params, toVars(entry.vars, 'vars', at('vars')));
  return ref;
}
