// Ansible's dialect behind the engine seam: Jinja2 templates parsed here, expressions evaluated by
// src/expr (the evaluator of `when`), lookups on the controller, Ansible's globals omit and
// ansible_managed. A value that is exactly one `{{ }}` keeps its type, as in Ansible.
import type { Vars } from '../../core/types.js';
import type { EvalEnv } from '../../expr/filters.js';
import type { CompiledTemplate, EngineOptions, TemplateEngine, TemplateOrigin } from '../engine.js';
import { templateSourceText } from '../source-text.js';
import { derive, type SecretTaint } from '../taint.js';
import { runLookup } from './lookups.js';
import { parseTemplate, type Stmt } from './parse.js';
import { evaluateAt, Frame, run, type RenderState } from './render.js';
import { readFileSync } from 'node:fs';

/** The value Ansible gives `omit`: a module argument rendered to it is left out (templater, above the seam). */
export const OMIT = '__omit_place_holder__runbook';
export const ANSIBLE_MANAGED = 'Ansible managed';

const MAX_ENTRIES = 10000;

/**
 * What an expression may reach beyond its variables, for templates and conditions alike: Ansible's
 * globals, lookups relative to `file`, and secret masking of derived values.
 */
export function expressionEnv(engine: TemplateEngine, file: string | undefined, vars: Vars, secrets?: SecretTaint): EvalEnv {
  return {
    globals: { omit: OMIT, ansible_managed: ANSIBLE_MANAGED },
    derived: (inputs, result) => derive(secrets, inputs, result),
    lookup: (name, terms, kwargs, wantList) =>
      runLookup(name, terms, kwargs, wantList, {
        origin: file,
        vars,
        renderFile: (f) => engine.compile(templateSourceText(readFileSync(f), f), { kind: 'file', file: f }).render(vars) as string,
      }),
  };
}

export function createJinjaEngine(options: EngineOptions = {}): TemplateEngine {
  const cache = new Map<string, Stmt[]>();
  const engine: TemplateEngine = {
    dialect: 'jinja2',
    compile(source: string, origin: TemplateOrigin): CompiledTemplate {
      let tree = cache.get(source);
      if (!tree) {
        tree = parseTemplate(source);
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(source, tree);
      }
      const body = tree;
      const file = origin.kind === 'file' ? origin.file : origin.loc?.file;
      return {
        render(vars: Vars): unknown {
          const env = expressionEnv(engine, file, vars, options.secrets);
          const st: RenderState = { text: source, vars, env };
          const only = body.length === 1 ? body[0]! : undefined;
          if (origin.kind === 'value' && only?.kind === 'output') return evaluateAt(only.expr, only.offset, only.src, new Frame(), st) ?? '';
          const out: string[] = [];
          run(body, new Frame(), st, out);
          return out.join('');
        },
      };
    },
  };
  return engine;
}
