// Task lists in the schema, shaped as src/playbook/list.ts reads them: each entry is a block, an
// import of tasks or of a role, or a task calling one module; handlers are tasks with listen:.
import { COLLECTIONS } from '../modules/registry.js';
import { BLOCK_KEYWORDS, bareKeyword, IMPORT_KEYWORDS, ROLE_IMPORTS, TASK_IMPORTS, TASK_KEYWORDS } from '../playbook/keywords.js';
import { LOOP_KEYS } from '../playbook/task.js';
import { IMPORT_DOCS, TASK_KEYWORD_SCHEMAS } from './keyword-docs.js';
import { moduleDefinitions, moduleKeys, registryModules } from './modules.js';
import { text, type JsonSchema } from './values.js';

/** A keyword as written bare and with each collection prefix the loader strips (ansible.builtin.import_tasks). */
export function spellings(bare: string): string[] {
  return [bare, ...COLLECTIONS.map((c) => `${c}.${bare}`).filter((s) => bareKeyword(s) === bare)];
}

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const hasAny = (keys: readonly string[]): JsonSchema => ({ type: 'object', anyOf: keys.map((k) => ({ required: [k] })) });
/** Task keywords by reference to one `keyword.NAME` definition each, so the schema states them once. */
const pick = (keys: readonly string[]): Record<string, JsonSchema> => Object.fromEntries(keys.map((k) => [k, k in TASK_KEYWORD_SCHEMAS ? ref(`keyword.${k}`) : {}]));

/** Keywords the loader refuses beside an import inside handlers (src/playbook/imports.ts). */
const NOT_IN_HANDLER_IMPORTS = ['when', 'vars', 'become', 'become_user', 'environment'];

const literalFile = (what: string): JsonSchema => ({
  type: 'string',
  pattern: '^(?![\\s\\S]*\\{\\{)[\\s\\S]*\\S',
  patternErrorMessage: `a literal file name: runbook reads ${what} when the playbook loads, before any variable is known`,
});

function importTasksValue(bare: string): JsonSchema {
  return {
    description: IMPORT_DOCS[bare],
    type: ['string', 'object'],
    if: { type: 'string' },
    then: literalFile('task files'),
    else: { properties: { file: { description: 'The task file.', ...literalFile('task files') } }, required: ['file'], additionalProperties: false },
  };
}

/** include_tasks in a task list: a file name that may be a template (then it is chosen per host at run time). */
function includeTasksValue(bare: string): JsonSchema {
  const name: JsonSchema = { type: 'string', pattern: '\\S', patternErrorMessage: 'a task file name' };
  return {
    description: INCLUDE_DOCS[bare],
    type: ['string', 'object'],
    if: { type: 'string' },
    then: name,
    else: { properties: { file: { description: 'The task file; may be a template.', ...name } }, required: ['file'], additionalProperties: false },
  };
}

/** The task-list spellings of include_tasks (dynamic: loops and templated names); import_tasks stays static. */
const INCLUDES: readonly string[] = ['include_tasks', 'include'];
const INCLUDE_DOCS: Record<string, string> = {
  include_tasks: 'Tasks from another file. With a templated file name or a loop, the file is chosen and read per host when the task runs; otherwise it is read when the playbook loads, as import_tasks.',
  include: "Ansible's old name for include_tasks.",
};

function importRoleValue(bare: string): JsonSchema {
  return {
    description: IMPORT_DOCS[bare],
    type: 'object',
    properties: {
      name: text('The role: a name found in roles/ (or --roles-path), or a path.'),
      tasks_from: text("A file of the role's tasks/ folder to run instead of main.yml."),
    },
    required: ['name'],
    additionalProperties: false,
  };
}

/** A task calling a module; `handler` adds listen: and leaves out blocks. */
function taskDefinition(handler: boolean, modules: ReturnType<typeof moduleKeys>): JsonSchema {
  const keywords = TASK_KEYWORDS.filter((k) => handler || k !== 'listen');
  // Offered for completion only: an entry with one of these keys is read as a block or an import instead.
  const entryPoints = handler ? [...TASK_IMPORTS] : ['block', ...TASK_IMPORTS, ...ROLE_IMPORTS];
  const plain = keywords.filter((k) => k !== 'action' && k !== 'local_action');
  return {
    type: 'object',
    properties: {
      ...pick(keywords),
      ...Object.fromEntries(entryPoints.map((k) => [k, { description: IMPORT_DOCS[k] ?? TASK_KEYWORD_SCHEMAS[k]?.description }])),
      ...modules.properties,
    },
    patternProperties: modules.patternProperties,
    additionalProperties: false,
    dependencies: {
      loop: { properties: { with_items: false } },
      action: { properties: { local_action: false } },
    },
    allOf: [
      { if: { type: 'object', propertyNames: { enum: plain } }, then: ref('taskNeedsModule') },
      { if: hasAny(['action', 'local_action']), then: { propertyNames: { not: ref('moduleName') } } },
      ref('oneModule'),
    ],
  };
}

/** Every definition a task file, handler file or playbook needs. */
export function taskDefinitions(): Record<string, JsonSchema> {
  const mods = registryModules();
  const keys = moduleKeys(mods);
  const taskImportKeys = TASK_IMPORTS.flatMap((k) => spellings(k).map((s) => [s, k] as const));
  const includeKeys = taskImportKeys.filter(([, k]) => INCLUDES.includes(k));
  const staticImportKeys = taskImportKeys.filter(([, k]) => !INCLUDES.includes(k));
  const roleImportKeys = ROLE_IMPORTS.flatMap((k) => spellings(k).map((s) => [s, k] as const));
  return {
    taskList: { description: 'A list of tasks.', type: ['array', 'null'], items: ref('taskEntry') },
    // Anything that is not a block or an import is read as a task, so editors complete a new entry with task keys.
    taskEntry: {
      if: hasAny(['block', 'rescue', 'always']),
      then: ref('block'),
      else: {
        if: hasAny(includeKeys.map(([s]) => s)),
        then: ref('includeTasks'),
        else: {
          if: hasAny(staticImportKeys.map(([s]) => s)),
          then: ref('importTasks'),
          else: { if: hasAny(roleImportKeys.map(([s]) => s)), then: ref('importRole'), else: ref('task') },
        },
      },
    },
    handlerList: { description: 'A list of handlers: tasks run once at the end of the play when notified.', type: ['array', 'null'], items: ref('handlerEntry') },
    handlerEntry: { if: hasAny(taskImportKeys.map(([s]) => s)), then: ref('handlerImport'), else: ref('handler') },
    block: { type: 'object', properties: pick(BLOCK_KEYWORDS), required: ['block'], additionalProperties: false },
    importTasks: {
      type: 'object',
      properties: { ...Object.fromEntries(staticImportKeys.map(([s, k]) => [s, ref(`import.${k}`)])), ...pick(IMPORT_KEYWORDS) },
      additionalProperties: false,
    },
    includeTasks: {
      type: 'object',
      properties: { ...Object.fromEntries(includeKeys.map(([s, k]) => [s, ref(`include.${k}`)])), ...pick([...IMPORT_KEYWORDS, ...LOOP_KEYS, 'loop_control']) },
      additionalProperties: false,
      dependencies: { loop: { properties: { with_items: false } } },
    },
    importRole: {
      type: 'object',
      properties: { ...Object.fromEntries(roleImportKeys.map(([s, k]) => [s, ref(`import.${k}`)])), ...pick(IMPORT_KEYWORDS) },
      additionalProperties: false,
    },
    handlerImport: {
      type: 'object',
      properties: {
        ...Object.fromEntries(taskImportKeys.map(([s, k]) => [s, ref(`import.${k}`)])),
        ...pick(IMPORT_KEYWORDS.filter((k) => !NOT_IN_HANDLER_IMPORTS.includes(k))),
      },
      additionalProperties: false,
    },
    task: taskDefinition(false, keys),
    handler: taskDefinition(true, keys),
    // Holds for no mapping: it only carries the message editors show for a task without a module.
    taskNeedsModule: { type: 'null', errorMessage: 'a task calls one module, such as "command: ls" or "copy: {src: a, dest: b}"; this one has none' },
    ...Object.fromEntries(Object.entries(TASK_KEYWORD_SCHEMAS).map(([k, v]) => [`keyword.${k}`, v])),
    ...Object.fromEntries(TASK_IMPORTS.map((k) => [`import.${k}`, importTasksValue(k)])),
    ...Object.fromEntries(INCLUDES.map((k) => [`include.${k}`, includeTasksValue(k)])),
    ...Object.fromEntries(ROLE_IMPORTS.map((k) => [`import.${k}`, importRoleValue(k)])),
    ...keys.definitions,
    ...moduleDefinitions(mods),
  };
}
