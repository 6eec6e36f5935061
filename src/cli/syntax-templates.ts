// --syntax-check compiles every `{{ }}` value of every task and handler in its file's dialect, so
// `{{ x | nosuchfilter }}` or `x.spilt('.')` is reported with file:line:col before any host is
// touched, and says which dialect each role uses (docs/jinja2.md). Handlebars values are compiled
// when they run (and Handlebars is not loaded here, to keep --syntax-check quick).
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { isPlainObject } from '../expr/values.js';
import type { Playbook, Task, TaskNode } from '../playbook/types.js';
import { dialectChoice, dialectOf } from '../template/dialect.js';
import { createJinjaEngine } from '../template/jinja/engine.js';
import { TemplateProblem } from '../template/problem.js';
import { locOf } from '../yaml/locs.js';
import { checkTemplateFiles } from './syntax-template-files.js';

export interface Templater {
  check(text: string, loc: SourceLoc): void;
}

export function jinjaChecker(): Templater {
  const engine = createJinjaEngine();
  return {
    check(text, loc) {
      if (dialectOf(loc.file) !== 'jinja2' || !/\{[{%#]/.test(text)) return;
      try {
        engine.compile(text, { kind: 'value', loc });
      } catch (err) {
        if (!(err instanceof TemplateProblem)) throw err;
        const where = text.includes('\n') && err.line !== undefined ? ` (line ${err.line} of the value)` : '';
        throw new InputError(`${err.message}${where}`, loc, err.hint);
      }
    },
  };
}

function checkValue(t: Templater, value: unknown, loc: SourceLoc): void {
  if (typeof value === 'string') return t.check(value, loc);
  if (Array.isArray(value)) value.forEach((v, i) => checkValue(t, v, locOf(value, i) ?? loc));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) checkValue(t, v, locOf(value, k) ?? loc);
}

export function checkTask(t: Templater, task: Task): void {
  checkValue(t, task.args, task.loc);
  for (const v of [task.loop, task.loopLabel, task.delegateTo, task.vars]) if (v !== undefined) checkValue(t, v, task.loc);
}

function walk(t: Templater, nodes: TaskNode[]): void {
  for (const n of nodes) {
    if (n.kind === 'task') checkTask(t, n);
    else {
      checkValue(t, n.vars, n.loc);
      walk(t, [...n.block, ...n.rescue, ...n.always]);
    }
  }
}

/** One line for the playbook and one per role, naming its template dialect and why (-v, --syntax-check). */
export function dialectLines(playbook: Playbook): string[] {
  const roles = new Map<string, string>();
  for (const play of playbook.plays) {
    for (const role of play.roles) {
      const c = dialectChoice(`${role.dir}/tasks/main.yml`);
      roles.set(role.name, `role ${role.name}: ${c.dialect} (${c.because})`);
    }
  }
  const own = dialectChoice(playbook.file);
  return [`playbook ${playbook.file}: ${own.dialect} (${own.because})`, ...roles.values()];
}

/** Throws the first template problem as an InputError (values, then template files); returns dialectLines(). */
export function syntaxCheckTemplates(playbook: Playbook): string[] {
  const t = jinjaChecker();
  for (const play of playbook.plays) {
    checkValue(t, play.vars, play.loc);
    walk(t, play.tasks);
    walk(t, play.handlers);
    if (play.checks) walk(t, play.checks);
    for (const role of play.roles) {
      checkValue(t, role.defaults, role.loc);
      checkValue(t, role.vars, role.loc);
    }
  }
  checkTemplateFiles(playbook);
  return dialectLines(playbook);
}
