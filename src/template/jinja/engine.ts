// Ansible's dialect behind the engine seam: Jinja2 templates parsed here, expressions evaluated by
// src/expr (the evaluator of `when`), lookups on the controller, Ansible's globals omit and
// ansible_managed. A value that is exactly one `{{ }}` keeps its type, as in Ansible.
import type { Vars } from '../../core/types.js';
import type { EvalEnv } from '../../expr/filters.js';
import type { CompiledTemplate, EngineOptions, TemplateEngine, TemplateOrigin } from '../engine.js';
import { templateSourceText } from '../source-text.js';
import { derive, type SecretTaint } from '../taint.js';
import { fileLoader, templateSearchPath, type Loader } from './loader.js';
import { runLookup } from './lookups.js';
import { parseTemplate, type ParsedTemplate } from './parse.js';
import { evaluateAt, Frame, renderTemplate, type RenderState } from './render.js';
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

export interface JinjaEngine extends TemplateEngine {
  /** The statement tree of `source` (cached by text). */
  parse(source: string): ParsedTemplate;
}

export function createJinjaEngine(options: EngineOptions = {}): JinjaEngine {
  const cache = new Map<string, ParsedTemplate>();
  const engine: JinjaEngine = {
    dialect: 'jinja2',
    parse(source) {
      let tree = cache.get(source);
      if (!tree) {
        tree = parseTemplate(source);
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(source, tree);
      }
      return tree;
    },
    compile(source: string, origin: TemplateOrigin): CompiledTemplate {
      const tree = engine.parse(source);
      const file = origin.kind === 'file' ? origin.file : origin.loc?.file;
      let loader: Loader | undefined;
      const loaderFor = (): Loader | undefined => {
        if (!loader && file && !file.startsWith('<')) {
          loader = fileLoader(origin.kind === 'file' && origin.searchPath ? origin.searchPath : templateSearchPath(file), (t) => engine.parse(t));
        }
        return loader;
      };
      return {
        render(vars: Vars): unknown {
          const env = expressionEnv(engine, file, vars, options.secrets);
          const st: RenderState = {
            text: source,
            ...(origin.kind === 'file' ? { file: origin.file } : {}),
            vars,
            env,
            ctx: { root: new Frame(), blocks: new Map() },
            shared: { loader: loaderFor, stack: file ? [file] : [], calls: 0 },
          };
          const only = tree.body.length === 1 ? tree.body[0]! : undefined;
          if (origin.kind === 'value' && only?.kind === 'output') return evaluateAt(only.expr, only.offset, only.src, st.ctx.root, st) ?? '';
          const out: string[] = [];
          renderTemplate(tree, st, out);
          return out.join('');
        },
      };
    },
  };
  return engine;
}
