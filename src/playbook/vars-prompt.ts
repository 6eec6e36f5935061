// vars_prompt: the play's variables asked on the terminal when it starts. Read here; asked by the
// executor (executor/vars-prompt.ts) through the CLI's prompt, or taken from -e or the default.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { describeValue, expectList, isMapping } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import { SALT_CHARS, SALT_SIZE, type PromptAlgorithm, type PromptEncrypt } from './prompt-encrypt.js';
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
    const encrypt = parseEncrypt(entry, at);
    if (encrypt) prompt.encrypt = encrypt;
    return prompt;
  });
}

const ALGORITHMS = Object.keys(SALT_SIZE) as PromptAlgorithm[];

/** encrypt, salt and salt_size, checked as Ansible's crypt path checks them, but here at load time. */
function parseEncrypt(entry: Record<string, unknown>, at: SourceLoc): PromptEncrypt | undefined {
  if (entry.encrypt === undefined || entry.encrypt === null) {
    for (const k of ['salt', 'salt_size']) {
      if (entry[k] !== undefined) throw new InputError(`vars_prompt: '${k}' needs encrypt`, keyLocAt(entry, k, at), `add encrypt: one of ${ALGORITHMS.join(', ')}`);
    }
    return undefined;
  }
  const algorithm = String(entry.encrypt) as PromptAlgorithm;
  const eAt = locAt(entry, 'encrypt', at);
  if (!ALGORITHMS.includes(algorithm)) {
    throw new InputError(`vars_prompt: encrypt '${String(entry.encrypt)}' is not supported`, eAt, `runbook hashes with ${ALGORITHMS.join(', ')}; for another, hash the answer in a task (password_hash filter)`);
  }
  const max = SALT_SIZE[algorithm];
  const out: PromptEncrypt = { algorithm };
  if (entry.salt !== undefined && entry.salt !== null) {
    const salt = String(entry.salt);
    const sAt = locAt(entry, 'salt', at);
    if (!SALT_CHARS.test(salt)) throw new InputError(`vars_prompt: salt '${salt}' has characters a crypt salt cannot hold`, sAt, 'use only letters, digits, . and /');
    if (salt.length > max) throw new InputError(`vars_prompt: salt is ${salt.length} characters; ${algorithm} takes at most ${max}`, sAt);
    out.salt = salt;
  }
  if (entry.salt_size !== undefined && entry.salt_size !== null) {
    const n = Number(entry.salt_size);
    const zAt = locAt(entry, 'salt_size', at);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(`vars_prompt: salt_size must be a whole number from 1 to ${max} for ${algorithm}, got ${describeValue(entry.salt_size)}`, zAt);
    // As in Ansible, a given salt wins over salt_size.
    if (out.salt === undefined) out.saltSize = n;
  }
  return out;
}
