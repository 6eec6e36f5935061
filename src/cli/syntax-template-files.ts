// --syntax-check compiles the Jinja2 template files a play names (a template task's literal `src`)
// and every template they include, import or extend by a literal name, so a typo in a macro file
// or a missing include is reported with file:line:col before any host is touched. Names computed
// at run time (`{% include tpl_var %}`) are checked when they render.
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { Node } from '../expr/ast.js';
import { findControllerFile } from '../playbook/controller-file.js';
import type { Playbook } from '../playbook/types.js';
import { tasksIn } from '../playbook/walk.js';
import { dialectOf } from '../template/dialect.js';
import { createJinjaEngine } from '../template/jinja/engine.js';
import { position } from '../template/jinja/lex.js';
import { fileLoader, missingTemplate, templateSearchPath, type Loader } from '../template/jinja/loader.js';
import type { ParsedTemplate, Stmt } from '../template/jinja/parse.js';
import { TemplateProblem } from '../template/problem.js';
import { templateSourceText } from '../template/source-text.js';

const TEMPLATE_MODULES = new Set(['template', 'ansible.builtin.template']);

/** The names a statement's template expression spells out literally (a string, or a list of strings). */
function literalNames(node: Node): string[] | undefined {
  if (node.kind === 'literal' && typeof node.value === 'string') return [node.value];
  if (node.kind === 'list' && node.items.every((n) => n.kind === 'literal' && typeof n.value === 'string')) return node.items.map((n) => (n as { value: string }).value);
  return undefined;
}

/** Every include/import/from/extends statement in `body`, nested ones too. */
function references(body: Stmt[]): Array<Stmt & { kind: 'include' | 'import' | 'from' | 'extends' }> {
  const out: Array<Stmt & { kind: 'include' | 'import' | 'from' | 'extends' }> = [];
  const walk = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'include' || s.kind === 'import' || s.kind === 'from' || s.kind === 'extends') out.push(s);
      else if (s.kind === 'if') {
        s.branches.forEach((b) => walk(b.body));
        walk(s.otherwise);
      } else if (s.kind === 'for') {
        walk(s.body);
        walk(s.otherwise);
      } else if (s.kind === 'call') walk(s.macro.body);
      else if ('body' in s && Array.isArray(s.body)) walk(s.body);
    }
  };
  walk(body);
  return out;
}

export function checkTemplateFiles(playbook: Playbook): void {
  const engine = createJinjaEngine();
  const seen = new Set<string>();

  const parse = (file: string, text: string): ParsedTemplate => {
    try {
      return engine.parse(text);
    } catch (err) {
      if (err instanceof TemplateProblem) throw new InputError(err.message, { file: err.located?.file ?? file, line: err.line ?? 1, col: err.col ?? 1 }, err.hint);
      throw err;
    }
  };

  const checkFile = (file: string, text: string, tree: ParsedTemplate, loader: Loader): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const s of references(tree.body)) {
      const names = literalNames(s.template);
      if (!names) continue;
      let found;
      for (const n of names) {
        try {
          found = loader.load(n);
        } catch (err) {
          if (err instanceof TemplateProblem) throw new InputError(err.message, { file: err.located?.file ?? file, line: err.line ?? 1, col: err.col ?? 1 }, err.hint);
          throw err;
        }
        if (found) break;
      }
      if (!found) {
        if (s.kind === 'include' && s.ignoreMissing) continue;
        const { message, hint } = missingTemplate(names, loader);
        throw new InputError(message, { file, ...position(text, s.offset) }, hint);
      }
      checkFile(found.file, found.text, found.tree, loader);
    }
  };

  for (const play of playbook.plays) {
    for (const task of [...tasksIn(play.tasks), ...tasksIn(play.handlers)]) {
      if (!TEMPLATE_MODULES.has(task.module) || !task.args || typeof task.args !== 'object') continue;
      const src = (task.args as Record<string, unknown>).src;
      if (typeof src !== 'string' || src.includes('{{') || src.includes('{%')) continue;
      let file: string;
      try {
        file = findControllerFile(playbook.dir, task, 'templates', src);
      } catch {
        continue; // A missing src is reported by the missing-sources check, and fails its task when it runs.
      }
      if (!existsSync(file) || dialectOf(file) !== 'jinja2' || seen.has(file)) continue;
      const text = templateSourceText(readFileSync(file), file);
      const searchPath = templateSearchPath(file, { ...(task.role ? { roleDir: task.role.dir } : {}), playbookDir: playbook.dir });
      checkFile(file, text, parse(file, text), fileLoader(searchPath, (t) => engine.parse(t)));
    }
  }
}
