// The JSON Schemas published under schema/, built from the loader's keyword lists and the module
// registry so they cannot drift: `npm run schema` writes them, a unit test compares.
import { inventoryDefinitions, varsDefinition } from './inventory.js';
import { playDefinitions } from './playbook.js';
import { taskDefinitions } from './tasks.js';
import type { JsonSchema } from './values.js';

export type { JsonSchema } from './values.js';

/** draft-07: the newest draft every yaml-language-server release validates. */
export const DRAFT = 'http://json-schema.org/draft-07/schema#';

const head = (title: string, description: string) => ({ $schema: DRAFT, title, description });

/** Every schema file, by its name under schema/. */
export function buildSchemas(): Record<string, JsonSchema> {
  const tasks = taskDefinitions();
  return {
    'playbook.schema.json': {
      ...head('runbook playbook', 'A runbook playbook: a list of plays (hosts: and tasks: or roles:), and import_playbook entries.'),
      type: 'array',
      items: { $ref: '#/definitions/playEntry' },
      definitions: { ...playDefinitions(), ...tasks },
    },
    'tasks.schema.json': {
      ...head('runbook task file', "A list of tasks: a role's tasks/*.yml, or a file for import_tasks."),
      type: ['array', 'null'],
      items: { $ref: '#/definitions/taskEntry' },
      definitions: tasks,
    },
    'handlers.schema.json': {
      ...head('runbook handler file', "A role's handlers/*.yml: tasks run once at the end of the play when notified (by name or listen topic)."),
      type: ['array', 'null'],
      items: { $ref: '#/definitions/handlerEntry' },
      definitions: tasks,
    },
    'inventory.schema.json': {
      ...head('runbook YAML inventory', 'Groups (usually under all:) with hosts:, children: and vars:, as in Ansible\'s YAML inventories.'),
      type: ['object', 'null'],
      properties: { all: { description: 'The group every host belongs to; put the other groups under its children:.', $ref: '#/definitions/group' } },
      additionalProperties: { $ref: '#/definitions/group' },
      definitions: inventoryDefinitions(),
    },
    'vars.schema.json': {
      ...head('runbook variables file', 'Variables: group_vars/, host_vars/, a role\'s defaults/ and vars/, vars_files, -e @file. Any names; the connection variables runbook reads are described.'),
      ...varsDefinition('Variables by name.'),
    },
  };
}

/** The text written to schema/NAME: stable key order, two-space indent, one final newline. */
export function renderSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
