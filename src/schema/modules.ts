// Module calls in the schema, generated from the registry: the names that call each module
// (bare, aliases, with a collection prefix), the arguments each takes (its spec), and the rule
// that a task calls exactly one module whose args: fit it.
import { COLLECTIONS, getModule, moduleAliases, moduleNames } from '../modules/registry.js';
import type { Module } from '../modules/types.js';
import { specProperties } from './spec-schema.js';
import { IDENTIFIER, type JsonSchema } from './values.js';

export interface ModuleNames {
  module: Module;
  /** Names editors complete: the module's own name and aliases, bare and as ansible.builtin.NAME. */
  explicit: string[];
  /** Every spelling the registry accepts (any known collection prefix). */
  pattern: string;
  /** The spellings that are not in `explicit`: the other collection prefixes. */
  otherPattern: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names: readonly string[]): string => `(?:${names.map(escape).join('|')})`;

/** The registry's modules with every name that calls them, checked against the registry itself. */
export function registryModules(): ModuleNames[] {
  const aliases = moduleAliases();
  return moduleNames().map((name) => {
    const module = getModule(name)!;
    const bare = [name, ...Object.keys(aliases).filter((a) => a !== name && aliases[a] === name)];
    const explicit = bare.flatMap((b) => [b, `ansible.builtin.${b}`]);
    for (const n of [...explicit, ...bare.flatMap((b) => COLLECTIONS.map((c) => `${c}.${b}`))]) {
      if (getModule(n) !== module) throw new Error(`schema: the registry does not resolve '${n}' to module '${name}'`);
    }
    const others = COLLECTIONS.filter((c) => c !== 'ansible.builtin');
    return { module, explicit, pattern: `^(?:${oneOf(COLLECTIONS)}\\.)?${oneOf(bare)}$`, otherPattern: `^${oneOf(others)}\\.${oneOf(bare)}$` };
  });
}

/** Pattern matching any name of any module. */
export function anyModulePattern(mods: ModuleNames[]): string {
  return `^(?:${mods.map((m) => m.pattern.slice(1, -1)).join('|')})$`;
}

const argsRef = (name: string): string => `#/definitions/args.${name}`;
export const moduleRef = (name: string): string => `#/definitions/module.${name}`;

/** Definitions args.NAME (the argument mapping) and module.NAME (every form the value may take). */
export function moduleDefinitions(mods: ModuleNames[]): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const { module: m } of mods) {
    const spec = m.spec;
    if (!spec) throw new Error(`schema: module '${m.name}' has no spec (src/modules/spec.ts)`);
    const description = spec.description;
    const anyName = spec.anyArgs === true;
    const names = [...m.argNames.filter((n) => n !== '*'), ...(m.freeForm && !m.argNames.includes(m.freeForm) && !anyName ? [m.freeForm] : [])];
    const properties = specProperties(spec);
    defs[`args.${m.name}`] = anyName
      ? { description, type: 'object', propertyNames: { pattern: IDENTIFIER, patternErrorMessage: 'a variable name: letters, digits and _' }, properties }
      : { description, type: 'object', properties, additionalProperties: false };
    const text: JsonSchema = spec.freeForm ? { description: spec.freeForm.description, type: ['string', 'number'], ...spec.freeForm.schema } : kvText(m.name, names);
    defs[`module.${m.name}`] = { description, anyOf: [{ $ref: argsRef(m.name) }, text, { type: 'null' }] };
  }
  return defs;
}

/**
 * `copy: src=a dest=b`: words split on spaces outside quotes and {{ }}, each NAME=VALUE with a
 * NAME the module takes (as src/playbook/kv.ts splits them).
 */
function kvText(module: string, names: readonly string[]): JsonSchema {
  const keys = names.filter((n) => new RegExp(IDENTIFIER).test(n));
  const value = `(?:"(?:[^"\\\\]|\\\\[\\s\\S])*"|'(?:[^'\\\\]|\\\\[\\s\\S])*'|\\{\\{[\\s\\S]*?\\}\\}|\\{%[\\s\\S]*?%\\}|[^\\s"'{]|\\{(?![{%]))*`;
  const pair = `${oneOf(keys)}=${value}`;
  return {
    type: 'string',
    description: `key=value arguments: ${keys.join(', ')}.`,
    pattern: `^\\s*${pair}(?:\\s+${pair})*\\s*$`,
    patternErrorMessage: `${module} takes key=value arguments (${keys.join(', ')}) or a mapping`,
  };
}

/** A schema that holds when the object has a key matching `pattern`. */
export function hasKeyMatching(pattern: string): JsonSchema {
  return { type: 'object', not: { type: 'object', propertyNames: { not: { type: 'string', pattern } } } };
}

/**
 * Task-level pieces: the module keys (explicit names for completion, patterns for the other
 * prefixes), and the definitions `moduleName` and `oneModule` (this module only, and args: fit it).
 */
export function moduleKeys(mods: ModuleNames[]): { properties: Record<string, JsonSchema>; patternProperties: Record<string, JsonSchema>; definitions: Record<string, JsonSchema> } {
  const properties: Record<string, JsonSchema> = {};
  const patternProperties: Record<string, JsonSchema> = {};
  const rules: JsonSchema[] = [];
  for (const { module: m, explicit, pattern, otherPattern } of mods) {
    for (const n of explicit) properties[n] = { $ref: moduleRef(m.name) };
    patternProperties[otherPattern] = { $ref: moduleRef(m.name) };
    rules.push({
      if: hasKeyMatching(pattern),
      then: {
        type: 'object',
        properties: { args: { if: { type: 'object' }, then: { $ref: argsRef(m.name) } } },
        propertyNames: { if: { $ref: '#/definitions/moduleName' }, then: { type: 'string', pattern, patternErrorMessage: 'a task calls one module: split this into two tasks' } },
      },
    });
  }
  const definitions = {
    moduleName: { description: 'Any name of any module.', type: 'string', pattern: anyModulePattern(mods) },
    oneModule: { description: 'A task calls one module, and its args: fit that module.', allOf: rules },
  };
  return { properties, patternProperties, definitions };
}
