// Reads block / rescue / always into a Block; its tags reach every task inside.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import type { YamlMap } from '../yaml/expect.js';
import type { TaskContext } from './context.js';
import { toEnvironment } from './environment.js';
import { BLOCK_KEYWORDS, becomeKeywords, rejectKeyword } from './keywords.js';
import { parseTaskList } from './list.js';
import { mergeModuleDefaults, toModuleDefaults } from './module-defaults.js';
import type { Block } from './types.js';
import { toBool, toConditions, toName, toTags, toVars, uniq } from './values.js';

const keywords: readonly string[] = BLOCK_KEYWORDS;

export function parseBlock(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): Block {
  const at = (k: string): SourceLoc => locAt(raw, k, loc);
  for (const k of Object.keys(raw)) if (!keywords.includes(k)) rejectKeyword(k, 'on a block', keywords, keyLocAt(raw, k, loc));
  if (ctx.handlers) throw new InputError('blocks are not supported in handlers', loc, 'make each handler a single task');
  if (raw.block === undefined) {
    throw new InputError('rescue: and always: belong to a block', loc, 'put the tasks under block: and keep rescue:/always: beside it');
  }
  const tags = uniq([...ctx.tags, ...(raw.tags !== undefined ? toTags(raw.tags, at('tags')) : [])]);
  const defaults = raw.module_defaults !== undefined ? mergeModuleDefaults(ctx.moduleDefaults, toModuleDefaults(raw.module_defaults, at('module_defaults'), ctx.env)) : ctx.moduleDefaults;
  const inner: TaskContext = { ...ctx, tags, ...(defaults ? { moduleDefaults: defaults } : {}) };
  const block: Block = {
    kind: 'block',
    block: parseTaskList(raw.block, 'block', at('block'), inner),
    rescue: parseTaskList(raw.rescue, 'rescue', at('rescue'), inner),
    always: parseTaskList(raw.always, 'always', at('always'), inner),
    when: raw.when !== undefined ? toConditions(raw.when, 'when', at('when')) : [],
    tags,
    vars: toVars(raw.vars, 'vars', at('vars')),
    ignoreErrors: raw.ignore_errors !== undefined ? toBool(raw.ignore_errors, 'ignore_errors', at('ignore_errors')) : false,
    loc,
  };
  if (raw.name !== undefined && raw.name !== null) block.name = toName(raw.name, 'name', at('name'));
  if (raw.become !== undefined) block.become = toBool(raw.become, 'become', at('become'));
  Object.assign(block, becomeKeywords(raw, at));
  if (raw.become_user !== undefined) block.becomeUser = toName(raw.become_user, 'become_user', at('become_user'));
  if (raw.environment !== undefined) block.environment = toEnvironment(raw.environment, at('environment'));
  if (raw.any_errors_fatal !== undefined) block.anyErrorsFatal = toBool(raw.any_errors_fatal, 'any_errors_fatal', at('any_errors_fatal'));
  if (ctx.role) block.role = ctx.role;
  return block;
}
