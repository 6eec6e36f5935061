// vars_prompt's encrypt: the answer hashed as Ansible 2.14's do_encrypt hashes it (crypt(3) forms:
// $1$, $5$, $6$), so a play that feeds it to user: password: gets the same kind of value.
import { randomInt } from 'node:crypto';
import { md5Crypt } from '../expr/md5-crypt.js';
import { shaCrypt } from '../expr/sha-crypt.js';

export type PromptAlgorithm = 'md5_crypt' | 'sha256_crypt' | 'sha512_crypt';

/** Each algorithm's longest salt, which is also the size of a random one (Ansible's BaseHash.algorithms). */
export const SALT_SIZE: Readonly<Record<PromptAlgorithm, number>> = { md5_crypt: 8, sha256_crypt: 16, sha512_crypt: 16 };
/** The characters a crypt salt may hold (Ansible refuses any other: "invalid characters in salt"). */
export const SALT_CHARS = /^[./0-9A-Za-z]*$/;
const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export interface PromptEncrypt {
  algorithm: PromptAlgorithm;
  /** Given: the same answer always gives the same hash. */
  salt?: string;
  /** The length of a random salt when no salt is given. */
  saltSize?: number;
}

/**
 * The answer's hash. sha256/sha512 use crypt(3)'s 5000 rounds, as Ansible's crypt path and runbook's
 * password_hash do (with passlib installed Ansible writes rounds=535000/656000 instead; both verify).
 */
export function encryptAnswer(answer: string, e: PromptEncrypt): string {
  const salt = e.salt ?? Array.from({ length: e.saltSize ?? SALT_SIZE[e.algorithm] }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  if (e.algorithm === 'md5_crypt') return md5Crypt(answer, salt);
  return shaCrypt(e.algorithm === 'sha256_crypt' ? 'sha256' : 'sha512', answer, salt);
}
