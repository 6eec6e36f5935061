// `runbook doc` in the terminal: a module's reference as plain text, in the order ansible-doc uses.
import type { KeywordReference } from '../../schema/keyword-reference.js';
import type { ArgumentReference, ModuleReference } from '../../schema/module-reference.js';

const indent = (text: string, by = '  '): string => text.split('\n').map((l) => (l ? by + l : l)).join('\n');

function argumentLine(a: ArgumentReference): string {
  const facts = [a.type, a.required ? 'required' : undefined, a.default !== undefined ? `default: ${a.default}` : undefined]
    .filter(Boolean).join(', ');
  const lines = [`${a.name} (${facts})`];
  if (a.description) lines.push(indent(a.description, '    '));
  if (a.choices) lines.push(`    choices: ${a.choices.join(', ')}`);
  if (a.aliases.length) lines.push(`    aliases: ${a.aliases.join(', ')}`);
  return indent(lines.join('\n'));
}

export function moduleText(ref: ModuleReference): string {
  const out: string[] = [`${ref.name.toUpperCase()}${ref.aliases.length ? ` (also: ${ref.aliases.join(', ')})` : ''}`, '', indent(ref.synopsis), ''];
  if (ref.freeForm) out.push('FREE FORM', indent(ref.freeForm), '');
  out.push('ARGUMENTS');
  if (ref.anyKeys) out.push(indent('Any variable names: each key is a variable to set.'));
  for (const a of ref.arguments) out.push(argumentLine(a));
  if (!ref.anyKeys && ref.arguments.length === 0) out.push(indent('none'));
  if (ref.needs) out.push('', indent(`Needs: ${ref.needs}.`));
  if (ref.formerArgs) out.push('', indent('Refused, as older Ansible arguments:'), ...Object.entries(ref.formerArgs).map(([k, v]) => indent(`${k}: ${v}.`)));
  out.push('', 'CHECK MODE', indent(ref.checkMode), '', 'DIFF', indent(ref.diff), '');
  out.push('RETURN VALUES', indent('changed, failed, msg: as every task.'));
  for (const [k, v] of Object.entries(ref.returns)) out.push(indent(`${k}: ${v}`));
  if (ref.examples) out.push('', 'EXAMPLES', indent(ref.examples));
  return `${out.join('\n')}\n`;
}

export function moduleListText(modules: { name: string; synopsis: string }[]): string {
  const width = Math.max(...modules.map((m) => m.name.length)) + 2;
  return modules.map((m) => `${m.name.padEnd(width)}${m.synopsis}\n`).join('');
}

export function keywordText(ref: KeywordReference): string {
  return ref.meanings.map((m) => `${ref.name} (${m.where})\n${indent(m.description)}\n`).join('\n');
}
