// Reads a role's typed arguments (meta/argument_specs.yml, entry point `main`), so the executor
// can check them for every host before any connection.
import { InputError } from '../../core/errors.js';
import type { SourceLoc } from '../../core/types.js';
import { didYouMean } from '../../core/suggest.js';
import { expectList, expectMapping, isMapping } from '../../yaml/expect.js';
import { keyLocAt, locAt } from '../../yaml/locs.js';
import type { ArgumentSpec } from '../types.js';
import { toBool, toInt, toName } from '../values.js';

const TYPES: readonly ArgumentSpec['type'][] = ['str', 'int', 'bool', 'list', 'dict', 'path', 'raw', 'float'];
const OPTION_KEYS = ['type', 'required', 'default', 'choices', 'elements', 'description', 'no_log', 'min_length', 'options', 'aliases', 'version_added'];

/** Options of the `main` entry point; other entry points are for tasks_from, which runbook does not check. */
export function parseArgumentSpecs(doc: unknown, file: string): Record<string, ArgumentSpec> {
  const top: SourceLoc = { file, line: 1, col: 1 };
  if (doc === null || doc === undefined) return {};
  const root = expectMapping(doc, 'argument specs file', top);
  const specs = root.argument_specs;
  if (specs === undefined || specs === null) return {};
  const entries = expectMapping(specs, 'argument_specs', locAt(root, 'argument_specs', top));
  const main = entries.main;
  if (main === undefined || main === null) return {};
  const mainMap = expectMapping(main, 'argument_specs.main', locAt(entries, 'main', top));
  const options = mainMap.options;
  if (options === undefined || options === null) return {};
  const optionsMap = expectMapping(options, 'argument_specs.main.options', locAt(mainMap, 'options', top));
  const out: Record<string, ArgumentSpec> = {};
  for (const [name, raw] of Object.entries(optionsMap)) out[name] = parseOption(name, raw, keyLocAt(optionsMap, name, top), locAt(optionsMap, name, top));
  return out;
}

function parseOption(name: string, raw: unknown, loc: SourceLoc, bodyLoc: SourceLoc): ArgumentSpec {
  const o = raw === null ? {} : expectMapping(raw, `argument '${name}'`, bodyLoc);
  const at = (k: string): SourceLoc => locAt(o, k, loc);
  for (const k of Object.keys(o)) {
    if (!OPTION_KEYS.includes(k)) {
      throw new InputError(`argument '${name}': unknown spec key '${k}'`, keyLocAt(o, k, loc), didYouMean(k, OPTION_KEYS) ?? `spec keys: ${OPTION_KEYS.join(', ')}`);
    }
  }
  const type = o.type === undefined ? 'str' : toName(o.type, 'type', at('type'));
  if (!(TYPES as readonly string[]).includes(type)) {
    throw new InputError(`argument '${name}': unsupported type '${type}'`, at('type'), didYouMean(type, TYPES) ?? `types: ${TYPES.join(', ')}`);
  }
  const spec: ArgumentSpec = { type: type as ArgumentSpec['type'], loc };
  if (o.required !== undefined) spec.required = toBool(o.required, 'required', at('required'));
  if (o.default !== undefined) {
    if (spec.required) throw new InputError(`argument '${name}': required and default exclude each other`, at('default'), 'drop default, or drop required: true');
    spec.default = o.default;
  }
  if (o.choices !== undefined) spec.choices = expectList(o.choices, 'choices', at('choices'));
  if (o.min_length !== undefined) spec.minLength = toInt(o.min_length, 'min_length', at('min_length'));
  if (o.no_log !== undefined) spec.noLog = toBool(o.no_log, 'no_log', at('no_log'));
  if (o.elements !== undefined) spec.elements = toName(o.elements, 'elements', at('elements'));
  if (o.description !== undefined) spec.description = describe(o.description);
  return spec;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(' ');
  return isMapping(v) ? JSON.stringify(v) : String(v);
}
