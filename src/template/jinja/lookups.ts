// Ansible's lookups, run on the controller: file, template, env, vars, first_found, fileglob, lines,
// password. Relative paths are searched as Ansible searches them: the role's files/ (templates/ for
// template), the role, then beside the file the expression is written in.
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Vars } from '../../core/types.js';
import { FilterError } from '../../expr/errors.js';
import { pyStr } from '../../expr/values.js';

export interface LookupContext {
  /** The file the expression is written in (a template, a task file); undefined for the command line. */
  origin?: string;
  vars: Vars;
  /** Renders a template file with the current variables (the template lookup). */
  renderFile(file: string): string;
}

function roleDir(from: string): string | undefined {
  for (let d = from; dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, 'tasks', 'main.yml')) || existsSync(join(d, 'tasks', 'main.yaml'))) return d;
  }
  return undefined;
}

function candidates(ctx: LookupContext, kind: 'files' | 'templates', path: string): string[] {
  if (isAbsolute(path)) return [path];
  const base = ctx.origin ? dirname(resolve(ctx.origin)) : process.cwd();
  const role = roleDir(base);
  return [...(role ? [join(role, kind, path), join(role, path)] : []), join(base, kind, path), join(base, '..', kind, path), join(base, path)];
}

function find(ctx: LookupContext, kind: 'files' | 'templates', path: string): string | undefined {
  return candidates(ctx, kind, path).find((c) => existsSync(c));
}

function must(ctx: LookupContext, kind: 'files' | 'templates', path: string, lookup: string): string {
  const found = find(ctx, kind, path);
  if (!found) throw new FilterError(`lookup('${lookup}'): '${path}' not found`, `looked in: ${candidates(ctx, kind, path).join(', ')}`);
  return found;
}

function glob(pattern: string, ctx: LookupContext): string[] {
  const dir = dirname(pattern);
  const base = find(ctx, 'files', dir) ?? dir;
  if (!existsSync(base)) return [];
  const re = new RegExp(`^${basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(base).filter((n) => re.test(n)).map((n) => join(base, n)).filter((p) => statSync(p).isFile()).sort();
}

/** `key=value` words after the first in a password lookup's term. */
function termOptions(term: string): { path: string; opts: Record<string, string> } {
  const [path = '', ...rest] = term.trim().split(/\s+/);
  return { path, opts: Object.fromEntries(rest.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])) };
}

const CHARSETS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/** The password lookup: a file on the controller, created 0600 with a random password if missing. */
function password(term: string, ctx: LookupContext): string {
  const { path, opts } = termOptions(term);
  const file = isAbsolute(path) ? path : resolve(ctx.origin ? dirname(ctx.origin) : process.cwd(), path);
  if (existsSync(file)) return readFileSync(file, 'utf8').split('\n')[0]!.replace(/ salt=.*$/, '');
  const chars = (opts.chars ?? 'ascii_letters,digits,.,:-_').split(',').map((c) => CHARSETS[c] ?? c).join('');
  const length = Number(opts.length ?? 20);
  let secret = '';
  for (let k = 0; k < length; k++) secret += chars[randomInt(chars.length)];
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

function terms(args: unknown[]): string[] {
  return args.flatMap((a) => (Array.isArray(a) ? a : [a])).map((a) => pyStr(a));
}

function one(name: string, args: unknown[], kwargs: Record<string, unknown>, ctx: LookupContext): unknown[] {
  switch (name) {
    case 'file':
      return terms(args).map((t) => {
        const text = readFileSync(must(ctx, 'files', t, 'file'), 'utf8');
        return kwargs.rstrip === false ? text : text.replace(/\s+$/, '');
      });
    case 'template':
      return terms(args).map((t) => ctx.renderFile(must(ctx, 'templates', t, 'template')));
    case 'env':
      return terms(args).map((t) => process.env[t] ?? (kwargs.default as string | undefined) ?? '');
    case 'vars':
      return terms(args).map((t) => {
        if (Object.prototype.hasOwnProperty.call(ctx.vars, t) && ctx.vars[t] !== undefined) return ctx.vars[t];
        if (kwargs.default !== undefined) return kwargs.default;
        throw new FilterError(`lookup('vars'): no variable '${t}'`);
      });
    case 'first_found': {
      const list = args.flatMap((a) => (Array.isArray(a) ? a : [a])).flatMap((a) => (a !== null && typeof a === 'object' ? ((a as { files?: unknown[] }).files ?? []) : [a])).map((a) => pyStr(a));
      for (const f of list) {
        const found = find(ctx, 'files', f) ?? find(ctx, 'templates', f);
        if (found) return [found];
      }
      if (kwargs.skip === true || kwargs.errors === 'ignore') return [];
      throw new FilterError(`lookup('first_found'): none of ${list.join(', ')} was found`);
    }
    case 'fileglob':
      return terms(args).flatMap((t) => glob(t, ctx));
    case 'lines':
      return terms(args).flatMap((t) => execFileSync('/bin/sh', ['-c', t], { encoding: 'utf8' }).replace(/\n$/, '').split('\n'));
    case 'password':
      return terms(args).map((t) => password(t, ctx));
    default:
      throw new FilterError(`unknown lookup '${name}'`, 'lookups: file, template, env, vars, first_found, fileglob, lines, password');
  }
}

export const LOOKUPS = ['file', 'template', 'env', 'vars', 'first_found', 'fileglob', 'lines', 'password'];

/** Lookups that act on the controller (run a command, create a file), unlike the ones that only read. */
const ACTING = new Set(['lines', 'password']);
let readOnlyDepth = 0;

/**
 * Runs `fn` (a render) with the acting lookups refused: the executor renders later tasks ahead of
 * time to read their hosts in one batch (src/executor/probe-ahead.ts), and that rendering must not
 * run a `lines` command or create a `password` file a second time, nor before the task's turn.
 */
export function withReadOnlyLookups<T>(fn: () => T): T {
  readOnlyDepth++;
  try {
    return fn();
  } finally {
    readOnlyDepth--;
  }
}

/** lookup() joins several results with commas, as Ansible does; query() and wantlist=True keep the list. */
export function runLookup(name: string, args: unknown[], kwargs: Record<string, unknown>, wantList: boolean, ctx: LookupContext): unknown {
  if (readOnlyDepth > 0 && ACTING.has(name)) throw new FilterError(`lookup('${name}') is not run ahead of its task`);
  const results = one(name, args, kwargs, ctx);
  if (wantList) return results;
  return results.length === 1 ? results[0] : results.map((r) => pyStr(r)).join(',');
}
