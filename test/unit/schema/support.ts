// Shared by the schema tests: the committed schemas compiled with ajv, YAML read as an editor and
// as runbook read it, and the real loader run on a sample to see whether it refuses it too.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { getModule } from '../../../src/modules/registry.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { TaskNode } from '../../../src/playbook/types.js';
import { becomeFor, connectionSpecFor } from '../../../src/transport/spec.js';

/** The repository root, found upwards from here: the same from test/ (tsx) and dist/test/ (compiled). */
export function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = repoRoot();

export type Kind = 'playbook' | 'tasks' | 'handlers' | 'inventory' | 'vars';
export const KINDS: Kind[] = ['playbook', 'tasks', 'handlers', 'inventory', 'vars'];

export const schemaFile = (kind: Kind): string => join(ROOT, 'schema', `${kind}.schema.json`);

/**
 * ajv in strict mode, with two allowances the schemas need: union types (a module argument may be
 * true or "{{ x }}"), and `required` on names declared in another branch (if/then picks the shape).
 * errorMessage / patternErrorMessage are yaml-language-server's message keywords.
 */
function compileAll(): Record<Kind, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addVocabulary(['errorMessage', 'patternErrorMessage']);
  return Object.fromEntries(KINDS.map((k) => [k, ajv.compile(JSON.parse(readFileSync(schemaFile(k), 'utf8')))])) as Record<Kind, ValidateFunction>;
}

let compiled: Record<Kind, ValidateFunction> | undefined;

/** Compiles the schemas once (about a second): call it from a `before` hook with a generous timeout. */
export function compileSchemas(): void {
  compiled ??= compileAll();
}

/** Validation errors of `data` against the committed schema of `kind` (empty: valid). */
export function schemaErrors(kind: Kind, data: unknown): ErrorObject[] {
  compiled ??= compileAll();
  const validate = compiled[kind];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

export function describeErrors(errors: ErrorObject[]): string {
  return errors.slice(0, 12).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

/** YAML as the YAML language server reads it: YAML 1.2, with the custom tags docs/schema.md configures. */
export function editorView(text: string): unknown {
  const scalar = (tag: string) => ({ tag, resolve: (s: string) => s });
  return parse(text, { version: '1.2', customTags: [scalar('!vault'), scalar('!unsafe')] });
}

/** Writes `files` into a fresh folder, runs fn there, and removes it. */
export function inTempDir<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-schema-'));
  try {
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function* tasksOf(nodes: TaskNode[]): Generator<Extract<TaskNode, { kind: 'task' }>> {
  for (const n of nodes) {
    if (n.kind === 'task') yield n;
    else for (const list of [n.block, n.rescue, n.always]) yield* tasksOf(list);
  }
}

/**
 * Whether runbook refuses `text` (as a file of `kind`, beside `extra` files such as roles) before
 * touching any host: the loader, then each task's module parsing its literal arguments (templated
 * ones are only known per host), or for inventories each host's connection and become settings.
 * Returns the InputError, or undefined when everything was accepted.
 */
export function runbookRefuses(kind: Kind, text: string, extra: Record<string, string> = {}): InputError | undefined {
  const plays: Record<Kind, Record<string, string>> = {
    playbook: { 'play.yml': text },
    tasks: { 'play.yml': '- hosts: all\n  tasks:\n    - import_tasks: sample.yml\n', 'sample.yml': text },
    handlers: { 'play.yml': '- hosts: all\n  handlers:\n    - import_tasks: sample.yml\n', 'sample.yml': text },
    inventory: { 'hosts.yml': text, ssh_config: '' },
    vars: { 'vars.yml': text, 'play.yml': '- hosts: all\n  vars_files: [vars.yml]\n' },
  };
  try {
    inTempDir({ ...extra, ...plays[kind] }, (dir) => {
      if (kind === 'inventory') {
        const inv = loadInventory(join(dir, 'hosts.yml'));
        for (const host of inv.hosts) {
          connectionSpecFor(host, inv.hostVars(host), { sshConfigFile: join(dir, 'ssh_config') });
          becomeFor({ ...inv.hostVars(host), inventory_hostname: host }, true);
        }
        return;
      }
      const book = loadPlaybook(join(dir, 'play.yml'));
      for (const play of book.plays) {
        for (const task of [...tasksOf(play.tasks), ...play.handlers]) {
          // Dynamic includes are read when reached; templated arguments are only known per host.
          if (task.include || JSON.stringify(task.args).includes('{{')) continue;
          const module = getModule(task.module)!;
          const raw = typeof task.args === 'string' ? { [module.freeForm ?? '_raw_params']: task.args } : task.args;
          module.parse(raw, task.loc);
        }
      }
    });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  return undefined;
}
