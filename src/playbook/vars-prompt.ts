// vars_prompt: the play's variables asked on the terminal when it starts. Read here; asked by the
// executor (executor/vars-prompt.ts) through the CLI's prompt, or taken from -e or the default.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { describeValue, expectList, isMapping } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import type { VarsPrompt } from './types.js';
import { toBool } from './values.js';

const KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'unsafe', 'encrypt', 'salt', 'salt_size'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseVarsPrompt(value: unknown, loc: SourceLoc): VarsPrompt[] {
  if (value === null) return [];
  const list = expectList(value, 'vars_prompt', loc, 'write a list of {name: VAR, prompt: TEXT}');
  return list.map((entry, i) => {
    const at = locAt(list, i, loc);
    if (!isMapping(entry)) throw new InputError(`a vars_prompt entry must be a mapping with name: and prompt:, found ${describeValue(entry)}`, at);
    for (const k of Object.keys(entry)) {
      if (!KEYS.includes(k)) throw new InputError(`vars_prompt: unknown key '${k}'`, keyLocAt(entry, k, at), didYouMean(k, KEYS) ?? `known keys: ${KEYS.join(', ')}`);
    }
    for (const k of ['encrypt', 'salt', 'salt_size']) {
      if (entry[k] !== undefined) throw new InputError(`vars_prompt: '${k}' is not supported`, keyLocAt(entry, k, at), 'hash the value in a task instead (password_hash filter)');
    }
    const name = typeof entry.name === 'string' ? entry.name : '';
    if (!NAME.test(name)) throw new InputError(`vars_prompt: name must be a variable name, found ${describeValue(entry.name)}`, locAt(entry, 'name', at));
    const prompt: VarsPrompt = {
      name,
      prompt: entry.prompt === undefined || entry.prompt === null ? name : String(entry.prompt),
      private: entry.private === undefined ? true : toBool(entry.private, 'private', locAt(entry, 'private', at)),
      confirm: entry.confirm === undefined ? false : toBool(entry.confirm, 'confirm', locAt(entry, 'confirm', at)),
      loc: at,
    };
    if (entry.default !== undefined && entry.default !== null) prompt.default = String(entry.default);
    return prompt;
  });
}
