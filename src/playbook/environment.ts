// The `environment` keyword (play, block, task, import, role): read at load time into layers that the
// executor merges (play, then blocks, then task) and renders per host, as Ansible 2.14 does.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';

/** One `environment:` as written: a mapping (values may be templates) or a template giving one. */
export interface EnvironmentLayer {
  value: Record<string, unknown> | string;
  loc: SourceLoc;
}

/** What an environment variable's name may be: the shell sets it with NAME=value, so a shell name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names the environment may not set: IFS would change how every script runbook sends is split
 * into words, so the module's own commands would break, not just the task's.
 */
export const RESERVED_ENV_NAMES = ['IFS'];

/** Checks one variable's name (names are not templated, as in Ansible). */
export function checkEnvName(name: string, loc: SourceLoc): void {
  if (!ENV_NAME.test(name)) {
    throw new InputError(`environment: '${name}' is not a valid environment variable name`, loc, 'use letters, digits and _, not starting with a digit');
  }
  if (RESERVED_ENV_NAMES.includes(name)) {
    throw new InputError(`environment: ${name} cannot be set by a task`, loc, 'it would change how the shell reads every command runbook sends; set it inside the command (shell: IFS=: read ...)');
  }
}

/**
 * Reads an `environment:` value: null (nothing), a mapping of names to scalars, a template that gives
 * a mapping ("{{ proxy_env }}"), or a list of those (Ansible merges them, later ones winning).
 */
export function toEnvironment(v: unknown, loc: SourceLoc): EnvironmentLayer[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap((entry, i) => toEnvironment(entry, locAt(v, i, loc)));
  if (typeof v === 'string') {
    if (v.includes('{{')) return [{ value: v, loc }];
    throw new InputError(`environment must be a mapping of variable names to values, found ${describeValue(v)}`, loc, 'write environment: { NAME: value }, or a template giving a mapping ("{{ proxy_env }}")');
  }
  if (!isMapping(v)) {
    throw new InputError(`environment must be a mapping of variable names to values, found ${describeValue(v)}`, loc, 'write environment: { NAME: value }');
  }
  for (const [name, value] of Object.entries(v)) {
    checkEnvName(name, keyLocAt(v, name, loc));
    if (value !== null && typeof value === 'object') {
      throw new InputError(`environment: ${name} must be a string, number or boolean, found ${describeValue(value)}`, locAt(v, name, loc), 'an environment variable holds text; join a list first ("{{ dirs | join(\':\') }}")');
    }
  }
  return Object.keys(v).length ? [{ value: v, loc }] : [];
}
