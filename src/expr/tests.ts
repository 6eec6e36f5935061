// The tests `x is NAME` may use; changed/failed/skipped read a registered result as Ansible does.
import { FilterError } from './filters.js';
import { isPlainObject, truthy, typeName } from './values.js';

export interface TestSpec {
  /** The operand may be undefined (defined/undefined): the evaluator then does not reject it. */
  acceptsUndefined?: boolean;
  check(value: unknown): boolean;
}

function resultFlag(name: string, flag: 'changed' | 'failed' | 'skipped'): TestSpec {
  return {
    check: (v) => {
      if (!isPlainObject(v)) throw new FilterError(`'is ${name}' expects a registered result (a dict), got ${typeName(v)}`);
      return truthy(v[flag]);
    },
  };
}

const succeeded: TestSpec = { check: (v) => !resultFlag('succeeded', 'failed').check(v) };

export const TESTS: Record<string, TestSpec> = {
  defined: { acceptsUndefined: true, check: (v) => v !== undefined },
  undefined: { acceptsUndefined: true, check: (v) => v === undefined },
  none: { check: (v) => v === null },
  changed: resultFlag('changed', 'changed'),
  failed: resultFlag('failed', 'failed'),
  skipped: resultFlag('skipped', 'skipped'),
  succeeded,
  success: succeeded,
  true: { check: (v) => v === true },
  false: { check: (v) => v === false },
  truthy: { check: (v) => truthy(v) },
  falsy: { check: (v) => !truthy(v) },
  string: { check: (v) => typeof v === 'string' },
  number: { check: (v) => typeof v === 'number' },
  mapping: { check: (v) => isPlainObject(v) },
  sequence: { check: (v) => Array.isArray(v) || typeof v === 'string' },
};
