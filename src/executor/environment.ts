// The environment a task's commands run with: the play's, the blocks' and the task's `environment:`,
// rendered for the host and merged with the nearest winning, as Ansible 2.14's
// _compute_environment_string does (a plain update: no deep merge).
import { RunbookError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { revealUnsafe } from '../core/unsafe.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { checkEnvName, type EnvironmentLayer } from '../playbook/environment.js';
import type { Task } from '../playbook/types.js';
import type { Templating } from './context.js';
import type { PlayRun } from './play-run.js';
import type { Scope } from './scope.js';

/** The text a value becomes, as Python's str() makes it for Ansible's environment (True, False, None). */
function envText(name: string, v: unknown, layer: EnvironmentLayer): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  throw new RunbookError(`environment: ${name} must be a string, number or boolean, the template gave ${describeValue(v)}`, layer.loc, "an environment variable holds text; join a list first (\"{{ dirs | join(':') }}\")");
}

/** Renders and merges `layers` (outermost first); throws with the layer's file:line:col on a value that is not a mapping. */
export function renderEnvironment(layers: readonly EnvironmentLayer[], templating: Templating, vars: Vars): Record<string, string> {
  const env: Record<string, string> = {};
  for (const layer of layers) {
    const rendered = revealUnsafe(templating.render(layer.value, vars, layer.loc));
    if (rendered === null || rendered === undefined || rendered === '') continue;
    if (!isMapping(rendered)) {
      throw new RunbookError(`environment must be a mapping of variable names to values, the template gave ${describeValue(rendered)}`, layer.loc, 'give environment: a mapping, or a variable holding one');
    }
    for (const [name, value] of Object.entries(rendered)) {
      checkEnvName(name, layer.loc);
      const text = envText(name, value, layer);
      if (text.includes('\0')) throw new RunbookError(`environment: ${name} holds a NUL byte, which no environment variable can hold`, layer.loc);
      env[name] = text;
    }
  }
  return env;
}

/** The environment for `task` on the host whose variables are `vars` (empty when none is written). */
export function taskEnvironment(run: PlayRun, task: Task, scope: Scope, vars: Vars): Record<string, string> {
  const layers = [...(run.play.environment ?? []), ...scope.environment, ...(task.environment ?? [])];
  return layers.length ? renderEnvironment(layers, run.ctx.templating, vars) : {};
}
