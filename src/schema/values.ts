// The value shapes the JSON Schemas are built from, each matching what one of runbook's readers
// accepts: keywords are read literally when the playbook loads, module arguments after templating.
import { yaml11Boolean } from '../yaml/scalars.js';

/** A JSON Schema (draft-07) object, plus the editor extensions yaml-language-server reads. */
export type JsonSchema = { [key: string]: unknown };

/** A Handlebars expression anywhere in a string: the value is only known once rendered. */
export const TEMPLATE = '\\{\\{';

/** Ansible's variable names, as register:, loop_var and set_fact check them. */
export const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';

const described = (schema: JsonSchema, description?: string): JsonSchema => (description ? { description, ...schema } : schema);

/** The YAML 1.1 boolean words the loader turns into true/false, asked of the loader itself. */
export function yaml11BoolWords(): string[] {
  const stems = ['yes', 'no', 'true', 'false', 'on', 'off', 'y', 'n'];
  const spellings = stems.flatMap((s) => [s, s[0]!.toUpperCase() + s.slice(1), s.toUpperCase()]);
  return [...new Set(spellings)].filter((w) => yaml11Boolean(w) !== undefined);
}

/** The words a module's boolean argument accepts (ArgReader.bool, any case). */
export const ARG_BOOL_WORDS = ['yes', 'true', 'on', '1', 'y', 'no', 'false', 'off', '0', 'n'];

const anyCase = (w: string): string => [...w].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');

// ---- keyword values: read when the playbook loads, so no template can stand in for them ----

/** become, ignore_errors, gather_facts ...: true/false, yes/no (YAML 1.1, as Ansible), 1/0. */
export function literalBool(description: string): JsonSchema {
  return {
    description,
    type: ['boolean', 'string', 'integer'],
    minimum: 0,
    maximum: 1,
    pattern: `^\\s*(?:${[...yaml11BoolWords(), '1', '0'].join('|')})\\s*$`,
    patternErrorMessage: 'true or false (yes/no), written literally: runbook reads this keyword when the playbook loads, before any variable is known',
  };
}

/** retries, delay, throttle: a whole number written literally. */
export function literalInt(description: string, min = 0): JsonSchema {
  return {
    description,
    type: ['integer', 'string'],
    minimum: min,
    pattern: '^\\s*-?[0-9]+\\s*$',
    patternErrorMessage: 'a whole number, written literally: runbook reads this keyword when the playbook loads',
  };
}

/** name, become_user, delegate_to ...: a non-blank string (numbers are read as text). */
export function text(description: string): JsonSchema {
  return { description, type: ['string', 'number'], pattern: '\\S' };
}

export function identifier(description: string): JsonSchema {
  return { description, type: 'string', pattern: IDENTIFIER, patternErrorMessage: 'a variable name: letters, digits and _, not starting with a digit' };
}

/** notify, listen, hosts, tags: a string or a list of strings. */
export function stringList(description: string): JsonSchema {
  return { description, type: ['string', 'number', 'array', 'null'], items: { type: ['string', 'number'] } };
}

/** when, changed_when, failed_when, until: an expression, true/false, or a list of them (all must hold). */
export function conditions(description: string): JsonSchema {
  const one = { type: ['string', 'boolean', 'number'], pattern: '\\S' };
  return { description, type: [...one.type, 'array'], pattern: one.pattern, items: one };
}

export function mapping(description: string): JsonSchema {
  return { description, type: ['object', 'null'] };
}

// ---- module arguments: checked after templating, so a {{template}} may stand for any of them ----

export function argStr(description?: string): JsonSchema {
  return described({ type: ['string', 'number', 'boolean', 'null'] }, description);
}

export function argBool(description?: string): JsonSchema {
  return described({
    type: ['boolean', 'string', 'integer', 'null'],
    minimum: 0,
    maximum: 1,
    pattern: `^(?:${ARG_BOOL_WORDS.map(anyCase).join('|')})$|${TEMPLATE}`,
    patternErrorMessage: 'true or false (yes/no), or a {{template}}',
  }, description);
}

export function argInt(description?: string, min = 0): JsonSchema {
  return described({
    type: ['integer', 'string', 'null'],
    minimum: min,
    pattern: `^\\s*-?[0-9]+\\s*$|${TEMPLATE}`,
    patternErrorMessage: 'a whole number, or a {{template}}',
  }, description);
}

/** choice arguments: one of `values`, or a template that renders to one. */
export function argEnum(values: readonly string[], description?: string): JsonSchema {
  return described({ anyOf: [{ enum: [...values] }, { type: 'string', pattern: TEMPLATE }, { type: 'null' }] }, description);
}

export function argList(description?: string): JsonSchema {
  return described({ type: ['string', 'array', 'null'] }, description);
}

export function argMapping(description?: string): JsonSchema {
  return described({ type: ['object', 'null'] }, description);
}

export function argAny(description?: string): JsonSchema {
  return described({}, description);
}

/** File modes: a quoted string, never a YAML number (0644 unquoted is 420 or 644 depending on the YAML version). */
export function argMode(description = "File mode: '0644' or 'u=rw,g=r,o=r'. Unquoted 0644 is read as octal, as Ansible does; a number without the leading zero (644) is refused."): JsonSchema {
  const clause = '[ugoa]*(?:[-+=][rwxXst]*)+';
  return {
    description,
    type: ['string', 'null'],
    pattern: `^\\s*(?:(?:0[oO]|0)?[0-7]{1,4}|${clause}(?:,${clause})*)\\s*$|${TEMPLATE}`,
    errorMessage: "a file mode in quotes, such as '0644' or 'u=rw,g=r,o=r'",
    patternErrorMessage: "a file mode: octal such as '0644', or symbolic such as 'u=rw,g=r,o=r'",
  };
}
