// Ansible reads YAML 1.1 scalars: yes/no/on/off are booleans, 0644 is octal (420). runbook parses
// YAML 1.2 (so 1:20 is never sexagesimal) and applies only the 1.1 rules users rely on.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';

/** PyYAML's boolean spellings (YAML 1.1); `y`/`n` are strings there too. */
const BOOLEAN = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const OCTAL_LOOKING = /^0[0-7]+$/;
/** Leading-zero digits with an 8 or 9: not a number in YAML 1.1, so Ansible keeps the string. */
const LEADING_ZERO_DECIMAL = /^0[0-9]+$/;

/** An `!vault` value, kept encrypted until the secrets layer decrypts it with the vault password. */
export class VaultText {
  constructor(
    readonly ciphertext: string,
    readonly loc: SourceLoc,
  ) {}
}

/** The YAML 1.1 boolean for a word, or undefined if it is not one. Shared with INI and k=v parsing. */
export function yaml11Boolean(word: string): boolean | undefined {
  return BOOLEAN.test(word) ? TRUE.test(word) : undefined;
}

/** Whether a plain scalar's source is YAML 1.1 octal (0644): file-mode arguments keep that text. */
export function isOctalSource(source: string): boolean {
  return OCTAL_LOOKING.test(source);
}

/** Value of an untagged plain scalar: Ansible's booleans and octal numbers, otherwise YAML 1.2 core. */
export function plainScalar(source: string, parsed: unknown, _loc: SourceLoc): unknown {
  if (OCTAL_LOOKING.test(source)) return parseInt(source, 8);
  if (LEADING_ZERO_DECIMAL.test(source)) return source;
  const bool = yaml11Boolean(source);
  return bool ?? parsed;
}

/** Value of a tagged scalar: `!vault` and `!unsafe` as Ansible, YAML's own `!!` tags as parsed. */
export function taggedScalar(tag: string, value: unknown, source: string | undefined, loc: SourceLoc): unknown {
  if (tag === '!vault') return new VaultText(String(value ?? ''), loc);
  // Ansible's !unsafe means "never template this": the templater passes UnsafeText through as its text.
  if (tag === '!unsafe') return new UnsafeText(String(value ?? source ?? ''));
  if (tag.startsWith('tag:yaml.org,2002:')) return value;
  throw new InputError(`unsupported YAML tag ${tag}`, loc, 'runbook understands !vault, !unsafe and YAML\'s own !! tags; remove the tag or quote the value');
}
