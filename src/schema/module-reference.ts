// One module's whole reference, typed, for `runbook doc` and docs/modules/: read off the module's
// spec (src/modules/spec.ts), its kind (check mode) and its own validator (what an empty call lacks).
import { InputError } from '../core/errors.js';
import { suggest } from '../core/suggest.js';
import { getModule, moduleAliases, moduleNames } from '../modules/registry.js';
import type { ModuleSpec } from '../modules/spec.js';
import type { Module } from '../modules/types.js';
import { argDefaultText, argTypeWord } from './spec-schema.js';

export interface ArgumentReference {
  name: string;
  /** boolean, integer, string, list, mapping, mode, choice or any. */
  type: string;
  description: string;
  default?: string;
  choices?: string[];
  required: boolean;
  /** Other names the same argument is written as. */
  aliases: string[];
}

export interface ModuleReference {
  name: string;
  /** Other module names that call it (systemd for service), bare. */
  aliases: string[];
  synopsis: string;
  /** What the free-form text (`command: ls -l`) means, when the module takes one. */
  freeForm?: string;
  /** Any keys are accepted (set_fact): the arguments are the user's own names. */
  anyKeys: boolean;
  arguments: ArgumentReference[];
  /** What the module's validator says when an argument it needs is missing. */
  needs?: string;
  /** Arguments an older Ansible took, still refused: what to write instead. */
  formerArgs?: Record<string, string>;
  returns: Record<string, string>;
  checkMode: string;
  diff: string;
  examples: string;
}

/** The module behind a name users write; unknown names fail with the closest module named. */
export function findModule(name: string): Module {
  const module = getModule(name);
  if (module) return module;
  const close = suggest(name, [...moduleNames(), ...Object.keys(moduleAliases())]);
  throw new InputError(`no module named '${name}'`, undefined, close ? `did you mean '${close}'? (runbook doc -l lists every module)` : 'runbook doc -l lists every module');
}

export function moduleReference(name: string): ModuleReference {
  const module = findModule(name);
  if (!module.spec) throw new Error(`module '${module.name}' has no spec (src/modules/spec.ts)`);
  return specReference(module, module.spec);
}

/** The reference of a module with a spec: everything is read off the spec, and `needs` off its validator. */
function specReference(module: Module, spec: ModuleSpec): ModuleReference {
  const needs = specNeeds(spec) ?? requiredMessage(module);
  const aliases = moduleAliases();
  const args = Object.entries(spec.args).map(([n, a]): ArgumentReference => {
    const def = argDefaultText(a);
    return {
      name: n,
      type: argTypeWord(a),
      description: a.description,
      ...(def !== undefined ? { default: def } : {}),
      ...(a.choices ? { choices: [...a.choices] } : {}),
      required: a.required === true,
      aliases: [...(a.aliases ?? [])],
    };
  });
  return {
    name: module.name,
    aliases: Object.keys(aliases).filter((a) => a !== module.name && aliases[a] === module.name),
    synopsis: spec.description,
    ...(spec.freeForm ? { freeForm: spec.freeForm.description } : {}),
    anyKeys: spec.anyArgs === true,
    arguments: args,
    ...(needs ? { needs } : {}),
    ...(spec.formerArgs ? { formerArgs: { ...spec.formerArgs } } : {}),
    returns: { ...spec.returns },
    checkMode: checkModeText(module, spec.checkMode),
    diff: spec.diff ?? 'No diff: what it changes is not the text of a file.',
    examples: spec.examples,
  };
}

/** What the spec says a call needs: its required arguments and required_one_of groups. */
function specNeeds(spec: ModuleSpec): string | undefined {
  const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ').replace(/, ([^,]*)$/, ' or $1');
  const parts = [
    ...Object.entries(spec.args).filter(([, a]) => a.required).map(([n]) => `'${n}'`),
    ...(spec.requiredOneOf ?? []).map((group) => `one of ${quoted(group)}`),
  ];
  if (parts.length === 0) return undefined;
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  return `${list} ${parts.length > 1 ? 'are' : 'is'} required`;
}

/**
 * Asks the module's own validator: parsing no arguments at all fails with what it needs
 * ("'path' is required", "one of 'src' or 'content' is required"), so the doc cannot disagree with it.
 */
function requiredMessage(module: Module): string | undefined {
  try {
    module.parse({}, { file: '<doc>', line: 0, col: 0 });
    return undefined;
  } catch (err) {
    if (!(err instanceof InputError)) return undefined;
    const message = err.message.replace(new RegExp(`^${module.name}: `), '').replace(/^needs /, '');
    // Other complaints about an empty call (an empty URL, an empty meta action) say nothing about what is required.
    return /required|^give |^a |given|^nothing to/.test(message) ? message : undefined;
  }
}

function checkModeText(module: Module, override: string | undefined): string {
  if (override) return override;
  if (module.kind === 'remote') return 'Planned from one read of the host: with --check it reports what it would change and changes nothing.';
  if (module.checkMode === 'run') return 'Runs in check mode too: it changes nothing on the host.';
  return `Skipped in check mode${module.checkModeReason ? `: ${module.checkModeReason}` : '.'}`;
}

/** Every module, sorted, with its synopsis: `runbook doc -l`. */
export function moduleList(): { name: string; synopsis: string }[] {
  return moduleNames().map((name) => ({ name, synopsis: getModule(name)?.spec?.description ?? `The ${name} module.` }));
}
