// Installs the helpers into an isolated Handlebars environment: arity checks, errors positioned at
// the call, Python truthiness for if/unless, and the internal helpers the strict rewrite inserts.
import type HandlebarsNs from 'handlebars';
import type { Vars } from '../core/types.js';
import { truthy } from '../expr/values.js';
import { HELPERS, HelperError } from './helpers.js';
import { missingPath, type PathMeta } from './paths.js';
import { problemAt, type HbsLoc } from './problem.js';
import { spend, tick } from './limits.js';
import { toText } from './to-text.js';
import { holdsSecret, taintResult, type SecretTaint } from './taint.js';

export type { SecretTaint } from './taint.js';

type Env = typeof HandlebarsNs;

interface Options {
  hash: Record<string, unknown>;
  data?: { root?: Vars; capture?: { value: unknown } };
  loc?: HbsLoc;
  fn(ctx: unknown): string;
  inverse(ctx: unknown): string;
}

/** Internal helper names; the `__` prefix keeps them apart from anything a user would write. */
export const REQUIRE = '__rb_require';
export const OUT = '__rb_out';
export const CAPTURE = '__rb_capture';

function registerUserHelpers(env: Env, taint: SecretTaint | undefined): void {
  for (const [name, def] of Object.entries(HELPERS)) {
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as Options;
      if (args.length < def.minArgs || args.length > def.maxArgs) {
        const want = def.maxArgs === Infinity ? `at least ${def.minArgs}` : def.minArgs === def.maxArgs ? `${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
        const hint = args.length === 0 ? `to read a variable named '${name}', write {{ this.${name} }}` : undefined;
        throw problemAt(`helper '${name}' takes ${want} argument(s), got ${args.length}`, options.loc, hint);
      }
      try {
        const result = def.fn(args, { hash: options.hash ?? {}, root: options.data?.root ?? {} });
        // Counts and tests (length, eq) return numbers and booleans: only derived text is a secret.
        if (taint && (holdsSecret(args, taint) || holdsSecret(options.hash, taint))) taintResult(result, taint);
        return result;
      } catch (err) {
        if (err instanceof HelperError) throw problemAt(err.message, options.loc);
        throw err;
      }
    });
  }
}

function registerBlockHelpers(env: Env): void {
  // Python truthiness, as in `when:`: an empty dict is false here too (Handlebars' own `if` says true).
  env.registerHelper('if', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (args.length !== 1) throw problemAt(`#if takes exactly one argument, got ${args.length}`, options.loc);
    return truthy(args[0]) ? options.fn(this) : options.inverse(this);
  });
  env.registerHelper('unless', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (args.length !== 1) throw problemAt(`#unless takes exactly one argument, got ${args.length}`, options.loc);
    return truthy(args[0]) ? options.inverse(this) : options.fn(this);
  });
}

/**
 * Handlebars' own #each, with the render limits checked on every iteration: loops are the one way a
 * template runs long (partials, hence recursion, are not supported). Output is counted at the
 * outermost loop only, so nested loops do not count the same text twice.
 */
function registerBoundedEach(env: Env): void {
  const each = env.helpers.each as (this: unknown, context: unknown, options: Options) => string;
  let depth = 0;
  env.registerHelper('each', function (this: unknown, context: unknown, options: Options) {
    const fn = options.fn;
    let written = 0;
    depth++;
    try {
      return each.call(this, context, {
        ...options,
        fn(ctx: unknown, o?: unknown) {
          tick();
          const out = (fn as (c: unknown, o?: unknown) => string)(ctx, o);
          if (depth === 1) spend((written += out.length));
          return out;
        },
      } as Options);
    } finally {
      depth--;
    }
  });
}

function registerRawHelper(env: Env): void {
  // {{{{raw}}}}...{{{{/raw}}}} passes text with {{ }} through untouched (Go templates, Jinja snippets).
  env.registerHelper('raw', function (this: unknown, options: Options) {
    return options.fn(this);
  });
}

function registerInternalHelpers(env: Env): void {
  env.registerHelper(REQUIRE, function (this: unknown, value: unknown, meta: string, options: Options) {
    if (value !== undefined && value !== null) return value;
    const m = JSON.parse(meta) as PathMeta;
    if (value === undefined) throw missingPath(this, m, options.loc) ?? problemAt(`undefined variable '${m.name}'`, options.loc);
    // Handlebars turns `a.b` into null when `a` is null; a second walk tells that apart from a real null.
    if (value === null && m.walk && m.parts.length > 1) {
      const problem = missingPath(this, m, options.loc);
      if (problem) throw problem;
    }
    return value;
  });
  env.registerHelper(OUT, (value: unknown) => toText(value));
  env.registerHelper(CAPTURE, (value: unknown, options: Options) => {
    if (options.data?.capture) options.data.capture.value = value;
    return '';
  });
}

/** Helper names a template may call (Handlebars' built-ins included). */
export function userHelperNames(env: Env): Set<string> {
  return new Set(Object.keys(env.helpers).filter((n) => !n.startsWith('__rb_') && n !== 'helperMissing' && n !== 'blockHelperMissing'));
}

export function installHelpers(env: Env, taint?: SecretTaint): void {
  env.unregisterHelper('log');
  registerUserHelpers(env, taint);
  registerBlockHelpers(env);
  registerBoundedEach(env);
  registerRawHelper(env);
  registerInternalHelpers(env);
}

/** Helpers whose path arguments may be undefined without an error. */
export const TOLERANT = new Set(['if', 'unless', ...Object.entries(HELPERS).filter(([, d]) => d.tolerant).map(([n]) => n)]);
