// module_defaults on a play, block or task: default arguments per module, merged under each task's
// own arguments when the playbook loads (task > block > play, key by key), as Ansible merges them.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import type { LoaderEnv, ModuleInfo } from './context.js';

/** Canonical module name -> its default arguments. */
export type ModuleDefaults = Record<string, Record<string, unknown>>;

/** Reads a module_defaults value: a mapping of module names to argument mappings, or a list of such mappings. */
export function toModuleDefaults(value: unknown, loc: SourceLoc, env: LoaderEnv): ModuleDefaults {
  const out: ModuleDefaults = {};
  if (value === null || value === undefined) return out;
  const parts = Array.isArray(value) ? value.map((v, i) => [v, locAt(value, i, loc)] as const) : [[value, loc] as const];
  for (const [part, where] of parts) {
    if (!isMapping(part)) throw new InputError(`module_defaults must map module names to their arguments, found ${describeValue(part)}`, where, 'module_defaults: { apt: { update_cache: true } }');
    for (const [name, args] of Object.entries(part)) {
      const at = keyLocAt(part, name, where);
      if (name.startsWith('group/')) throw new InputError(`module_defaults: action groups ('${name}') are not supported`, at, 'name each module instead');
      const mod = env.modules(name);
      if (!mod) throw new InputError(`module_defaults: unknown module '${name}'`, at, didYouMean(name, env.moduleNames));
      if (args === null) continue;
      if (!isMapping(args)) throw new InputError(`module_defaults: the defaults of '${name}' must be a mapping of its arguments, found ${describeValue(args)}`, locAt(part, name, where));
      if (!mod.argNames.includes('*')) {
        for (const arg of Object.keys(args)) {
          if (!mod.argNames.includes(arg)) {
            throw new InputError(`module_defaults: module '${mod.name}' has no argument '${arg}'`, keyLocAt(args, arg, at), didYouMean(arg, mod.argNames) ?? `it takes: ${mod.argNames.join(', ')}`);
          }
        }
      }
      out[mod.name] = { ...out[mod.name], ...args };
    }
  }
  return out;
}

/** inner over outer, module by module and key by key. */
export function mergeModuleDefaults(outer: ModuleDefaults | undefined, inner: ModuleDefaults | undefined): ModuleDefaults | undefined {
  if (!inner || Object.keys(inner).length === 0) return outer;
  if (!outer) return inner;
  const out: ModuleDefaults = { ...outer };
  for (const [m, args] of Object.entries(inner)) out[m] = { ...outer[m], ...args };
  return out;
}

/** A task's arguments with the defaults for its module under them (free-form text becomes its argument). */
export function withModuleDefaults(mod: ModuleInfo, args: Record<string, unknown> | string, defaults: ModuleDefaults | undefined): Record<string, unknown> | string {
  const d = defaults?.[mod.name];
  if (!d) return args;
  if (typeof args === 'string') return mod.freeForm ? { ...d, [mod.freeForm]: args } : args;
  return { ...d, ...args };
}
