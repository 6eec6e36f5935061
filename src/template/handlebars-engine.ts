// runbook's native dialect behind the engine seam: Handlebars with no HTML escaping, strict about
// undefined variables, and a lone `{{...}}` keeping its value's type (compile.ts does the work).
import Handlebars from 'handlebars';
import type { Vars } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { TemplateCompiler, type Compiled } from './compile.js';
import type { CompiledTemplate, EngineOptions, TemplateEngine } from './engine.js';
import { lookupPath } from './paths.js';
import { installHelpers } from './register.js';
import { toText } from './to-text.js';

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

export function createHandlebarsEngine(options: EngineOptions = {}): TemplateEngine {
  const env = Handlebars.create();
  installHelpers(env, options.secrets);
  const compiler = new TemplateCompiler(env);
  return {
    dialect: 'handlebars',
    compile(source, origin): CompiledTemplate {
      const c = compiler.compile(source, origin.kind === 'value');
      return { render: (vars) => run(c, vars) };
    },
  };
}
