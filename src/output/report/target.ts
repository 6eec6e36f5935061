// The --report path is checked by the CLI before any prompt or connection, and again by the sink.
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../../core/errors.js';

/** Refuses, before any host is touched, a report path that could never be written. */
export function checkTarget(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--report: directory ${dir} does not exist`, undefined, 'create it first, or give a path in an existing directory');
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new InputError(`--report: ${file} is a directory`, undefined, 'give a file name, e.g. --report run.html');
  }
}
