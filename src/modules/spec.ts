// A module's whole contract, said once in the module's own file (Ansible's argument_spec with its
// DOCUMENTATION, EXAMPLES and RETURN): argument parsing (lib/spec-parse.ts), the JSON Schema,
// `runbook doc` and docs/modules/ are all derived from it. See docs/writing-modules.md.
import type { JsonSchema } from '../schema/values.js';
import type { ModeSpec } from './lib/mode.js';

/**
 * An argument's type, as the parser reads it after templating:
 * str (numbers and booleans become text, as Ansible does), bool (yes/no, true/false, on/off, 1/0),
 * int (a whole number, at least `min`), list (a string or a list, always a list of strings),
 * dict (a mapping), mode (a file mode in quotes), raw (any value, the module reads it itself).
 */
export type ArgType = 'str' | 'bool' | 'int' | 'list' | 'dict' | 'mode' | 'raw';

export interface ArgSpec {
  type: ArgType;
  /** What the argument means, for editors, `runbook doc` and docs/modules/. Defaults and choices are listed apart: do not repeat them here. */
  description: string;
  /** The value when the argument is not given; the parsed type then never includes undefined. */
  default?: string | number | boolean | readonly string[];
  /** Shown as the default when the parser has none to give (it depends on other arguments): "json for a mapping". */
  defaultText?: string;
  /** The only values accepted (type str). On type raw: one of these or a boolean, which the module reads itself. */
  choices?: readonly string[];
  /** Other names the same argument is written as (dest for path); giving two of them is an error. */
  aliases?: readonly string[];
  required?: boolean;
  /** Said after "'NAME' is required" when it is missing. */
  requiredHint?: string;
  /** The value is a secret: masked in every output (passwords). */
  noLog?: boolean;
  /** type int: the smallest value accepted (default 0). */
  min?: number;
  /** type int: the largest value accepted. */
  max?: number;
  /** Values Ansible takes that runbook refuses, each with what to write instead (state: hard -> use state=link). */
  unsupported?: Readonly<Record<string, string>>;
  /** Accepted so Ansible playbooks run, and ignored (the description says why). */
  ignored?: boolean;
  /** An expression (assert's that, debug's var): reaches the module unrendered, as when: does. */
  expression?: boolean;
  /** The JSON Schema when the type's own is not precise enough (a choice or a boolean). */
  schema?: JsonSchema;
}

export interface ModuleSpec {
  /** One or two sentences: what the module does, in the user's words. */
  description: string;
  args: Readonly<Record<string, ArgSpec>>;
  /** For free-form modules (command: ls -l): the argument the text becomes, and what it means. */
  freeForm?: { arg: string; description: string; schema?: JsonSchema };
  /** Any variable name is an argument (set_fact); `args` then lists the few with a meaning of their own. */
  anyArgs?: boolean;
  /** At most one of each group may be given. */
  mutuallyExclusive?: readonly (readonly string[])[];
  /** All of each group or none. */
  requiredTogether?: readonly (readonly string[])[];
  /** At least one of each group. */
  requiredOneOf?: readonly (readonly string[])[];
  /** [argument, value, the arguments it then needs, true: only one of them]. */
  requiredIf?: readonly (readonly [string, string | boolean, readonly string[], boolean?])[];
  /** Tasks in YAML, as a user would paste them into a role. */
  examples: string;
  /**
   * Arguments an older Ansible took that ansible-core 2.14 refuses too, each with why and what to
   * write instead: still refused, with that as the hint (file's context, get_url's sha256sum).
   */
  formerArgs?: Readonly<Record<string, string>>;
  /** Keys of the registered result, beyond changed/failed/msg that every task has. */
  returns?: Readonly<Record<string, string>>;
  /** Check mode, when the module's kind does not tell it (a remote module that runs commands). */
  checkMode?: string;
  /** What --diff shows; absent: the module shows no diff. */
  diff?: string;
}

/** Keeps the literal types of a spec (choices, defaults) so ArgsOf can derive the parsed arguments from it. */
export function defineSpec<const S extends ModuleSpec>(spec: S): S {
  return spec;
}

type ValueOf<A> = A extends { type: 'bool' }
  ? boolean
  : A extends { type: 'int' }
    ? number
    : A extends { type: 'list' }
      ? string[]
      : A extends { type: 'dict' }
        ? Record<string, unknown>
        : A extends { type: 'raw' }
          ? unknown
          : A extends { type: 'mode' }
            ? ModeSpec
          : A extends { choices: readonly (infer C extends string)[] }
            ? C
            : string;

type Always<A> = A extends { default: unknown } ? true : A extends { required: true } ? true : false;

/** The parsed arguments a spec gives, by canonical name: an argument with a default or required is never undefined. */
export type ArgsOf<S extends ModuleSpec> = {
  -readonly [K in keyof S['args']]: Always<S['args'][K]> extends true ? ValueOf<S['args'][K]> : ValueOf<S['args'][K]> | undefined;
};

/** Every name the loader accepts for the module: canonical names, aliases, the free-form argument; ['*'] for anyArgs. */
export function specArgNames(spec: ModuleSpec): string[] {
  if (spec.anyArgs) return ['*'];
  const names = Object.entries(spec.args).flatMap(([name, a]) => [name, ...(a.aliases ?? [])]);
  if (spec.freeForm && !names.includes(spec.freeForm.arg)) names.push(spec.freeForm.arg);
  return names;
}

/** Arguments that reach the module unrendered (expressions). */
export function specExpressionArgs(spec: ModuleSpec): string[] {
  return Object.entries(spec.args).filter(([, a]) => a.expression).map(([name]) => name);
}

/** Names (aliases included) whose values are secrets: the executor masks them in every output. */
export function specNoLogArgs(spec: ModuleSpec): string[] {
  return Object.entries(spec.args).filter(([, a]) => a.noLog).flatMap(([name, a]) => [name, ...(a.aliases ?? [])]);
}

/** What a module object carries that is read off its spec: spread into the module (`...specFields(spec)`). */
export function specFields(spec: ModuleSpec): {
  spec: ModuleSpec;
  argNames: string[];
  freeForm?: string;
  expressionArgs?: string[];
  noLogArgs?: string[];
  formerArgs?: Readonly<Record<string, string>>;
} {
  const expressions = specExpressionArgs(spec);
  const secrets = specNoLogArgs(spec);
  return {
    spec,
    argNames: specArgNames(spec),
    ...(spec.freeForm ? { freeForm: spec.freeForm.arg } : {}),
    ...(expressions.length ? { expressionArgs: expressions } : {}),
    ...(secrets.length ? { noLogArgs: secrets } : {}),
    ...(spec.formerArgs ? { formerArgs: spec.formerArgs } : {}),
  };
}
