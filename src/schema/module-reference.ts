// One module's whole reference, typed, for `runbook doc` and docs/modules/: built from the registry
// (which arguments exist, the module's kind and check mode, its own validator), module-docs.ts (what
// each argument means and which values it takes) and module-usage.ts (examples, return values).
import { InputError } from '../core/errors.js';
import { suggest } from '../core/suggest.js';
import { getModule, moduleAliases, moduleNames } from '../modules/registry.js';
import type { ModuleSpec } from '../modules/spec.js';
import type { Module } from '../modules/types.js';
import { MODULE_DOCS } from './module-docs.js';
import { MODULE_USAGE } from './module-usage.js';
import { argDefaultText, argTypeWord } from './spec-schema.js';
import type { JsonSchema } from './values.js';

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
  returns: Record<string, string>;
  checkMode: string;
  diff: string;
  examples: string;
}

const ALIAS = /^Alias of ([\w-]+)\.$/;
// "(default true)", "(default: [])", or a choice marked "present (default)".
const DEFAULT_TEXT = /\(default:? ([^)]+)\)/;
const DEFAULT_CHOICE = /(?:^|[\s,])([\w/-]+) \(default\)/;

/** The module behind a name users write; unknown names fail with the closest module named. */
export function findModule(name: string): Module {
  const module = getModule(name);
  if (module) return module;
  const close = suggest(name, [...moduleNames(), ...Object.keys(moduleAliases())]);
  throw new InputError(`no module named '${name}'`, undefined, close ? `did you mean '${close}'? (runbook doc -l lists every module)` : 'runbook doc -l lists every module');
}

export function moduleReference(name: string): ModuleReference {
  const module = findModule(name);
  if (module.spec) return specReference(module, module.spec);
  const doc = MODULE_DOCS[module.name];
  const usage = MODULE_USAGE[module.name];
  const names = module.argNames.filter((n) => n !== '*');
  const needs = requiredMessage(module);
  const aliasOf = (n: string): string | undefined => ALIAS.exec(doc?.args[n]?.description as string ?? '')?.[1];
  const args = names
    .filter((n) => aliasOf(n) === undefined)
    .map((n) => argumentReference(n, doc?.args[n] ?? {}, names.filter((a) => aliasOf(a) === n), needs));
  const aliases = moduleAliases();
  return {
    name: module.name,
    aliases: Object.keys(aliases).filter((a) => a !== module.name && aliases[a] === module.name),
    synopsis: doc?.description ?? `The ${module.name} module.`,
    ...(module.freeForm ? { freeForm: (doc?.freeForm?.description as string | undefined) ?? `${module.name}: ARGUMENTS as one line of text.` } : {}),
    anyKeys: module.argNames.includes('*'),
    arguments: args,
    ...(needs ? { needs } : {}),
    returns: usage?.returns ?? {},
    checkMode: checkModeText(module, usage?.checkMode),
    diff: usage?.diff ?? 'No diff: what it changes is not the text of a file.',
    examples: usage?.examples ?? '',
  };
}

/** The reference of a module with a spec: everything is read off the spec, and `needs` off its validator. */
function specReference(module: Module, spec: ModuleSpec): ModuleReference {
  const needs = requiredMessage(module);
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
    returns: { ...spec.returns },
    checkMode: checkModeText(module, spec.checkMode),
    diff: spec.diff ?? 'No diff: what it changes is not the text of a file.',
    examples: spec.examples,
  };
}

function argumentReference(name: string, schema: JsonSchema, aliases: string[], needs: string | undefined): ArgumentReference {
  const description = (schema.description as string | undefined) ?? '';
  const choices = choicesOf(schema);
  const def = DEFAULT_TEXT.exec(description)?.[1] ?? (choices ? DEFAULT_CHOICE.exec(description)?.[1] : undefined);
  return {
    name,
    type: typeOf(schema),
    description,
    ...(def !== undefined ? { default: def } : {}),
    ...(choices ? { choices } : {}),
    required: needs !== undefined && new RegExp(`^'${name}' is required`).test(needs),
    aliases,
  };
}

function choicesOf(schema: JsonSchema): string[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum as string[];
  const options = (schema.anyOf as JsonSchema[] | undefined) ?? [];
  const listed = options.map((o) => (Array.isArray(o.enum) ? (o.enum as string[]) : choicesOf(o))).find((c) => c !== undefined);
  return listed;
}

/** The argument's type in a word, read from the value shapes of values.ts. */
function typeOf(schema: JsonSchema): string {
  if (choicesOf(schema)) return (schema.anyOf as JsonSchema[] | undefined)?.some((o) => o.type === 'boolean' || (Array.isArray(o.type) && o.type[0] === 'boolean')) ? 'choice or boolean' : 'choice';
  if (schema.errorMessage && String(schema.errorMessage).includes('file mode')) return 'mode';
  const types = ([] as string[]).concat((schema.type as string | string[] | undefined) ?? []);
  if (types.length === 0) return schema.anyOf ? 'choice or boolean' : 'any';
  if (types[0] === 'boolean') return 'boolean';
  if (types[0] === 'integer') return 'integer';
  if (types[0] === 'object') return 'mapping';
  if (types.includes('array')) return types[0] === 'string' && types.length === 3 ? 'list' : types.filter((t) => t !== 'null').join(' | ');
  return 'string';
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
  return moduleNames().map((name) => ({ name, synopsis: getModule(name)?.spec?.description ?? MODULE_DOCS[name]?.description ?? `The ${name} module.` }));
}
