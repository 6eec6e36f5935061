// Plays in the schema, shaped as src/playbook/play.ts and load.ts read them: a list of plays
// (hosts: required) and import_playbook entries; roles as names or mappings.
import { PLAY_KEYWORDS, ROLE_REF_KEYWORDS } from '../playbook/keywords.js';
import { IMPORT_DOCS, PLAY_KEYWORD_SCHEMAS, TASK_KEYWORD_SCHEMAS } from './keyword-docs.js';
import { spellings } from './tasks.js';
import { text, type JsonSchema } from './values.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

const ROLE_REF_DOCS: Record<string, JsonSchema> = {
  role: text('The role: a name found in roles/ (beside the playbook, in an ancestor folder, or --roles-path), or a path.'),
  name: text('Alias of role.'),
};

export function playDefinitions(): Record<string, JsonSchema> {
  const importKeys = spellings('import_playbook');
  return {
    // Anything that is not an import_playbook is read as a play, so editors complete a new entry with play keys.
    playEntry: {
      if: { type: 'object', anyOf: importKeys.map((k) => ({ required: [k] })) },
      then: ref('importPlaybook'),
      else: ref('play'),
    },
    play: {
      type: 'object',
      properties: Object.fromEntries(PLAY_KEYWORDS.map((k) => [k, PLAY_KEYWORD_SCHEMAS[k] ?? {}])),
      required: ['hosts'],
      additionalProperties: false,
    },
    importPlaybook: {
      type: 'object',
      properties: {
        ...Object.fromEntries(importKeys.map((k) => [k, {
          description: IMPORT_DOCS.import_playbook,
          type: 'string',
          pattern: '^(?![\\s\\S]*\\{\\{)[\\s\\S]*\\S',
          patternErrorMessage: 'a literal file name: runbook reads playbooks before any variable is known',
        }])),
        name: text('A name for this import.'),
      },
      additionalProperties: false,
    },
    serialStep: {
      type: ['integer', 'string'],
      minimum: 0,
      pattern: '^\\s*(?:[0-9]+|(?=[0-9.]*[1-9])[0-9]+(?:\\.[0-9]+)?%)\\s*$',
      patternErrorMessage: 'a number of hosts (0: all remaining hosts) or a percentage such as "30%"',
    },
    roleRef: {
      description: 'A role: its name, or {role: NAME, tags: ..., when: ..., vars: ..., PARAMETER: value}. Keys other than the keywords are role parameters.',
      type: ['string', 'object'],
      if: { type: 'string' },
      then: { pattern: '\\S' },
      else: {
        properties: Object.fromEntries(ROLE_REF_KEYWORDS.map((k) => [k, ROLE_REF_DOCS[k] ?? TASK_KEYWORD_SCHEMAS[k] ?? {}])),
        anyOf: [{ required: ['role'] }, { required: ['name'] }],
      },
    },
  };
}
