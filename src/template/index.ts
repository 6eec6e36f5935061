// The templater: renders playbook values and template files in the dialect their file uses
// (dialect.ts), through one engine interface (engine.ts). What both dialects share lives here:
// errors pointing at the file (or playbook value) with line and column, render limits, and host
// data (UnsafeText) handed back as text, never rendered.
import { InputError, RunbookError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { isPlainObject } from '../expr/values.js';
import { locOf } from '../yaml/locs.js';
import { fromHandlebarsError } from './compile.js';
import { dialectOf, type Dialect } from './dialect.js';
import type { TemplateEngine, TemplateOrigin } from './engine.js';
import { createHandlebarsEngine } from './handlebars-engine.js';
import { createJinjaEngine, OMIT } from './jinja/engine.js';
import { TemplateProblem } from './problem.js';
import { DEFAULT_RENDER_LIMITS, RenderLimitError, spend, withinLimits, type RenderLimits } from './limits.js';
import type { SecretTaint } from './taint.js';

export interface Templater {
  /** Renders every string inside `value` (maps, lists); `"{{ x }}"` alone returns x itself, typed. */
  render(value: unknown, vars: Vars, loc?: SourceLoc): unknown;
  /**
   * Renders a template file's text; errors name `file` (or the included file) and the line and
   * column in it. `searchPath`: where its includes and imports are found (derived from `file` if absent).
   */
  renderText(text: string, vars: Vars, file: string, searchPath?: readonly string[]): string;
  /** Parses without rendering (--syntax-check): a problem is an InputError at the value or file. */
  check(text: string, origin: TemplateOrigin): void;
}

function snippet(text: string, line: number | undefined): string {
  const l = (text.split('\n')[(line ?? 1) - 1] ?? text).trim();
  return l.length > 100 ? `${l.slice(0, 97)}...` : l;
}

function toInputError(err: unknown, text: string, origin: TemplateOrigin): RunbookError {
  if (err instanceof RunbookError) return err;
  if (err instanceof RenderLimitError) {
    if (origin.kind === 'file') return new InputError(`template ${origin.file}: ${err.message}`, { file: origin.file, line: 1, col: 1 }, err.hint);
    return new InputError(`${err.message} in '${snippet(text, 1)}'`, origin.loc, err.hint);
  }
  const p = err instanceof TemplateProblem ? err : fromHandlebarsError(err);
  // A problem inside an included, imported or parent template names that file.
  const inFile = p.located?.file ?? (origin.kind === 'file' ? origin.file : undefined);
  if (inFile || origin.kind === 'file') return new InputError(p.message, { file: inFile ?? '', line: p.line ?? 1, col: p.col ?? 1 }, p.hint);
  const multiline = text.includes('\n') && p.line !== undefined ? ` (line ${p.line} of the value)` : '';
  const context = p.message.includes('\n') ? '' : ` in '${snippet(text, p.line)}'`;
  return new InputError(`${p.message}${context}${multiline}`, origin.loc, p.hint);
}

/** Cheap pre-check so plain strings and scalars skip the location lookup and the call. */
function needsRender(v: unknown): boolean {
  return typeof v === 'string' ? v.includes('{{') || v.includes('{%') : v !== null && typeof v === 'object';
}

/** What rendering produced, checked against the size limit (fast paths build text without a loop). */
function sized<T>(out: T): T {
  if (typeof out === 'string') spend(out.length);
  return out;
}

/** Could `text` hold template syntax in `dialect`? Plain strings skip the engines entirely. */
function hasSyntax(text: string, dialect: Dialect): boolean {
  return text.includes('{{') || (dialect === 'jinja2' && (text.includes('{%') || text.includes('{#')));
}

/** `secrets`: the run's secrets, so what helpers derive from them (b64encode, upper ...) is masked too. */
export function createTemplater(limits: RenderLimits = DEFAULT_RENDER_LIMITS, secrets?: SecretTaint): Templater {
  const engines: Record<Dialect, TemplateEngine> = {
    handlebars: createHandlebarsEngine({ secrets }),
    jinja2: createJinjaEngine({ secrets }),
  };
  const engineFor = (origin: TemplateOrigin): TemplateEngine => engines[dialectOf(origin.kind === 'file' ? origin.file : origin.loc?.file)];

  function renderSource(text: string, vars: Vars, origin: TemplateOrigin): unknown {
    const engine = engineFor(origin);
    if (!hasSyntax(text, engine.dialect)) return text;
    try {
      return withinLimits(limits, () => sized(engine.compile(text, origin).render(vars)));
    } catch (err) {
      throw toInputError(err, text, origin);
    }
  }

  function renderDeep(value: unknown, vars: Vars, loc: SourceLoc | undefined): unknown {
    if (typeof value === 'string') return renderSource(value, vars, { kind: 'value', loc });
    // !unsafe text and data a task brought back: never a template, whatever it holds.
    if (value instanceof UnsafeText) return value.text;
    if (Array.isArray(value)) {
      let changed = false;
      const out: unknown[] = [];
      value.forEach((v, i) => {
        const r = needsRender(v) ? renderDeep(v, vars, locOf(value, i) ?? loc) : v;
        changed ||= r !== v;
        // Ansible's omit: an item or argument rendered to it is left out.
        if (r !== OMIT) out.push(r);
      });
      return changed ? out : value;
    }
    if (isPlainObject(value)) {
      let changed = false;
      const out: Vars = {};
      for (const [k, v] of Object.entries(value)) {
        const r = needsRender(v) ? renderDeep(v, vars, locOf(value, k) ?? loc) : v;
        changed ||= r !== v;
        if (r !== OMIT) out[k] = r;
      }
      return changed ? out : value;
    }
    return value;
  }

  return {
    render: (value, vars, loc) => renderDeep(value, vars, loc),
    renderText: (text, vars, file, searchPath) => renderSource(text, vars, { kind: 'file', file, ...(searchPath ? { searchPath } : {}) }) as string,
    check(text, origin) {
      const engine = engineFor(origin);
      if (!hasSyntax(text, engine.dialect)) return;
      try {
        engine.compile(text, origin);
      } catch (err) {
        throw toInputError(err, text, origin);
      }
    },
  };
}
