// Handlebars templating for playbook values and template files: no HTML escaping, strict about
// undefined variables (with file:line:col), and a lone `{{...}}` keeps its value's type.
import Handlebars from 'handlebars';
import { InputError, RunbookError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { isPlainObject } from '../expr/values.js';
import { locOf } from '../yaml/locs.js';
import { fromHandlebarsError, TemplateCompiler, type Compiled } from './compile.js';
import { lookupPath } from './paths.js';
import { TemplateProblem } from './problem.js';
import { DEFAULT_RENDER_LIMITS, RenderLimitError, spend, withinLimits, type RenderLimits } from './limits.js';
import { installHelpers, type SecretTaint } from './register.js';
import { toText } from './to-text.js';

export interface Templater {
  /** Renders every string inside `value` (maps, lists); `"{{ x }}"` alone returns x itself, typed. */
  render(value: unknown, vars: Vars, loc?: SourceLoc): unknown;
  /** Renders a template file's text; errors name `file` and the line and column in it. */
  renderText(text: string, vars: Vars, file: string): string;
}

function snippet(text: string, line: number | undefined): string {
  const l = (text.split('\n')[(line ?? 1) - 1] ?? text).trim();
  return l.length > 100 ? `${l.slice(0, 97)}...` : l;
}

function toInputError(err: unknown, text: string, where: { file: string } | { loc?: SourceLoc }): RunbookError {
  if (err instanceof RunbookError) return err;
  if (err instanceof RenderLimitError) {
    if ('file' in where) return new InputError(`template ${where.file}: ${err.message}`, { file: where.file, line: 1, col: 1 }, err.hint);
    return new InputError(`${err.message} in '${snippet(text, 1)}'`, where.loc, err.hint);
  }
  const p = err instanceof TemplateProblem ? err : fromHandlebarsError(err);
  if ('file' in where) return new InputError(p.message, { file: where.file, line: p.line ?? 1, col: p.col ?? 1 }, p.hint);
  const multiline = text.includes('\n') && p.line !== undefined ? ` (line ${p.line} of the value)` : '';
  const context = p.message.includes('\n') ? '' : ` in '${snippet(text, p.line)}'`;
  return new InputError(`${p.message}${context}${multiline}`, where.loc, p.hint);
}

/** Cheap pre-check so plain strings and scalars skip the location lookup and the call. */
function needsRender(v: unknown): boolean {
  return typeof v === 'string' ? v.includes('{{') : v !== null && typeof v === 'object';
}

function run(c: Compiled, vars: Vars): unknown {
  switch (c.kind) {
    case 'path': {
      const value = lookupPath(vars, c.ref.meta, c.ref.loc);
      return value instanceof UnsafeText ? value.text : value;
    }
    case 'segments': {
      let out = '';
      for (const s of c.segments) out += typeof s === 'string' ? s : toText(lookupPath(vars, s.meta, s.loc));
      return out;
    }
    case 'text':
      return c.fn(vars);
    case 'value': {
      const capture = { value: undefined as unknown };
      c.fn(vars, { data: { capture } });
      return capture.value;
    }
  }
}

/** What rendering produced, checked against the size limit (fast paths build text without a loop). */
function sized<T>(out: T): T {
  if (typeof out === 'string') spend(out.length);
  return out;
}

/** `secrets`: the run's secrets, so what helpers derive from them (b64encode, upper ...) is masked too. */
export function createTemplater(limits: RenderLimits = DEFAULT_RENDER_LIMITS, secrets?: SecretTaint): Templater {
  const env = Handlebars.create();
  installHelpers(env, secrets);
  const compiler = new TemplateCompiler(env);

  function renderString(text: string, vars: Vars, loc: SourceLoc | undefined): unknown {
    if (!text.includes('{{')) return text;
    try {
      return withinLimits(limits, () => sized(run(compiler.compile(text, true), vars)));
    } catch (err) {
      throw toInputError(err, text, { loc });
    }
  }

  function renderDeep(value: unknown, vars: Vars, loc: SourceLoc | undefined): unknown {
    if (typeof value === 'string') return renderString(value, vars, loc);
    // !unsafe text and data a task brought back: never a template, whatever it holds.
    if (value instanceof UnsafeText) return value.text;
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((v, i) => {
        const r = needsRender(v) ? renderDeep(v, vars, locOf(value, i) ?? loc) : v;
        changed ||= r !== v;
        return r;
      });
      return changed ? out : value;
    }
    if (isPlainObject(value)) {
      let changed = false;
      const out: Vars = {};
      for (const [k, v] of Object.entries(value)) {
        const r = needsRender(v) ? renderDeep(v, vars, locOf(value, k) ?? loc) : v;
        changed ||= r !== v;
        out[k] = r;
      }
      return changed ? out : value;
    }
    return value;
  }

  return {
    render: (value, vars, loc) => renderDeep(value, vars, loc),
    renderText(text, vars, file) {
      if (!text.includes('{{')) return text;
      try {
        return withinLimits(limits, () => sized(run(compiler.compile(text, false), vars) as string));
      } catch (err) {
        throw toInputError(err, text, { file });
      }
    },
  };
}
