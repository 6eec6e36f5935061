// A play, task or import keyword explained (`runbook doc -k when`), from the texts editors show on hover.
import { InputError } from '../core/errors.js';
import { suggest } from '../core/suggest.js';
import { IMPORT_DOCS, PLAY_KEYWORD_SCHEMAS, TASK_KEYWORD_SCHEMAS } from './keyword-docs.js';

export interface KeywordReference {
  name: string;
  /** Where the keyword is written, and what it means there. */
  meanings: { where: 'play' | 'task' | 'import'; description: string }[];
}

export function keywordNames(): string[] {
  return [...new Set([...Object.keys(PLAY_KEYWORD_SCHEMAS), ...Object.keys(TASK_KEYWORD_SCHEMAS), ...Object.keys(IMPORT_DOCS)])].sort();
}

export function keywordReference(name: string): KeywordReference {
  const meanings: KeywordReference['meanings'] = [];
  const play = PLAY_KEYWORD_SCHEMAS[name]?.description;
  const task = TASK_KEYWORD_SCHEMAS[name]?.description;
  if (typeof play === 'string') meanings.push({ where: 'play', description: play });
  if (typeof task === 'string') meanings.push({ where: 'task', description: task });
  if (IMPORT_DOCS[name]) meanings.push({ where: 'import', description: IMPORT_DOCS[name] });
  if (meanings.length === 0) {
    const close = suggest(name, keywordNames());
    throw new InputError(`no keyword named '${name}'`, undefined, close ? `did you mean '${close}'?` : `keywords: ${keywordNames().join(', ')}`);
  }
  return { name, meanings };
}
