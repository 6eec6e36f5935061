// vars_prompt when a play starts: -e wins, then the terminal (when there is one), then the default;
// without any of them the run stops with an error naming -e. Private answers are secrets from then on.
// With encrypt: the variable holds the answer's crypt hash (playbook/prompt-encrypt.ts).
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { encryptAnswer } from '../playbook/prompt-encrypt.js';
import type { VarsPrompt } from '../playbook/types.js';
import type { RunContext } from './context.js';

export async function askVarsPrompt(ctx: RunContext, prompts: readonly VarsPrompt[]): Promise<Vars> {
  const answers: Vars = {};
  for (const p of prompts) {
    if (p.name in ctx.options.extraVars) continue;
    let value: string;
    if (ctx.options.prompt) {
      const question = `${p.prompt}${p.default !== undefined ? ` [${p.private ? '<hidden default>' : p.default}]` : ''}: `;
      value = await ctx.options.prompt(question, p.private);
      if (p.confirm) {
        const again = await ctx.options.prompt(`confirm ${p.prompt}: `, p.private);
        if (again !== value) throw new InputError(`vars_prompt '${p.name}': the two answers did not match`, p.loc, 'run again and type the same value twice');
      }
      if (value === '' && p.default !== undefined) value = p.default;
    } else if (p.default !== undefined) {
      value = p.default;
    } else {
      throw new InputError(`vars_prompt '${p.name}' needs a value, and there is no terminal to ask on`, p.loc, `pass it with -e ${p.name}=VALUE (or give the prompt a default)`);
    }
    if (p.private && value !== '') ctx.secrets.add(value);
    // Like Ansible, a default is hashed too; a value from -e is taken as it is (it was never asked).
    if (p.encrypt) {
      value = encryptAnswer(value, p.encrypt);
      // The hash of a private answer is masked too: with its salt in view, a weak one ($1$) is quickly guessed.
      if (p.private) ctx.secrets.add(value);
    }
    answers[p.name] = value;
  }
  return answers;
}
