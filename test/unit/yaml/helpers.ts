// Test helpers shared by the loader tests: catch an InputError and check where it points.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../src/core/errors.js';

/** The repository root: the nearest folder with package.json, so this works from test/ (tsx) and dist/test/ (compiled). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'loader');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** Runs fn, expects an InputError, and returns it. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  expect.fail('expected an InputError, but nothing was thrown');
}

/** Expects an InputError at exactly file:line:col whose message contains `text`. */
export function expectInputError(fn: () => unknown, file: string, line: number, col: number, text: string | RegExp): InputError {
  const e = inputError(fn);
  expect(e.loc, e.describe()).to.deep.equal({ file, line, col });
  if (typeof text === 'string') expect(e.message).to.contain(text);
  else expect(e.message).to.match(text);
  return e;
}
