// A module spec (src/modules/spec.ts) read two ways: as JSON Schema properties for editors, and as
// the argument list `runbook doc` and docs/modules/ print. Both come from the same ArgSpec.
import type { ArgSpec, ModuleSpec } from '../modules/spec.js';
import { argAny, argBool, argEnum, argInt, argList, argMapping, argMode, argStr, type JsonSchema } from './values.js';

/** The schema of one argument's value, as the parser accepts it after templating. */
export function argSchema(a: ArgSpec): JsonSchema {
  const schema = baseSchema(a);
  if (a.default !== undefined) schema.default = a.default;
  return schema;
}

function baseSchema(a: ArgSpec): JsonSchema {
  if (a.schema) return { description: a.description, ...a.schema };
  // Choices on a non-string argument: one of them, or a boolean (follow_redirects: yes means safe).
  if (a.choices && a.type !== 'str') return { description: a.description, anyOf: [argEnum(a.choices), argBool()] };
  switch (a.type) {
    case 'str':
      return a.choices ? argEnum(a.choices, a.description) : argStr(a.description);
    case 'bool':
      return argBool(a.description);
    case 'int': {
      const s = argInt(a.description, a.min ?? 0);
      return a.max !== undefined ? { ...s, maximum: a.max } : s;
    }
    case 'list':
      return argList(a.description);
    case 'dict':
      return argMapping(a.description);
    case 'mode':
      return argMode(a.description);
    case 'raw':
      return argAny(a.description);
  }
}

/** Properties of args.MODULE: every argument, and each alias with the argument's values. */
export function specProperties(spec: ModuleSpec): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, a] of Object.entries(spec.args)) {
    const schema = argSchema(a);
    properties[name] = schema;
    for (const alias of a.aliases ?? []) properties[alias] = { ...schema, description: `Alias of ${name}.` };
  }
  if (spec.freeForm && !(spec.freeForm.arg in properties) && !spec.anyArgs) properties[spec.freeForm.arg] = argStr(spec.freeForm.description);
  return properties;
}

/** The argument's type in a word, for `runbook doc`. */
export function argTypeWord(a: ArgSpec): string {
  if (a.choices) return a.type === 'str' ? 'choice' : 'choice or boolean';
  return { str: 'string', bool: 'boolean', int: 'integer', list: 'list', dict: 'mapping', mode: 'mode', raw: 'any' }[a.type];
}

/** The default as `runbook doc` shows it: the parser's own, or what the spec says it depends on. */
export function argDefaultText(a: ArgSpec): string | undefined {
  if (a.default === undefined) return a.defaultText;
  return Array.isArray(a.default) ? (a.default.length ? a.default.join(', ') : '[]') : String(a.default);
}
