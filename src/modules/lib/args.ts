// Typed reading of a module's rendered arguments, so every module rejects bad input the same way (InputError at the task's loc).
import { InputError } from '../../core/errors.js';
import type { SourceLoc } from '../../core/types.js';

/** Reads one module's raw argument mapping; `aliases` maps Ansible's alternative names onto canonical ones. */
export class ArgReader {
  private readonly raw: Record<string, unknown>;

  constructor(
    private readonly module: string,
    raw: Record<string, unknown>,
    readonly loc: SourceLoc,
    aliases: Record<string, string> = {},
  ) {
    this.raw = {};
    for (const [key, value] of Object.entries(raw)) {
      const canonical = aliases[key] ?? key;
      if (canonical in this.raw && this.raw[canonical] !== undefined && value !== undefined) {
        throw this.error(`'${key}' and '${canonical}' name the same argument; give only one`);
      }
      if (value !== undefined) this.raw[canonical] = value;
    }
  }

  error(message: string, hint?: string): InputError {
    return new InputError(`${this.module}: ${message}`, this.loc, hint);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  value(key: string): unknown {
    return this.raw[key] ?? undefined;
  }

  /** A string argument; numbers are accepted and stringified as Ansible does. */
  str(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.error(`'${key}' must be a string, got ${Array.isArray(v) ? 'a list' : typeof v}`);
  }

  requiredStr(key: string, hint?: string): string {
    const v = this.str(key);
    if (v === undefined || v === '') throw this.error(`'${key}' is required`, hint);
    return v;
  }

  /** Ansible's booleans: yes/no, true/false, on/off, 1/0. */
  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    const s = String(v).toLowerCase();
    if (['yes', 'true', 'on', '1', 'y'].includes(s)) return true;
    if (['no', 'false', 'off', '0', 'n'].includes(s)) return false;
    throw this.error(`'${key}' must be a boolean (yes/no, true/false), got '${String(v)}'`);
  }

  int(key: string, fallback: number, min = 0): number {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    const n = typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(String(v)) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min) throw this.error(`'${key}' must be a whole number of at least ${min}, got '${String(v)}'`);
    return n;
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T;
  choice<T extends string>(key: string, choices: readonly T[]): T | undefined;
  choice<T extends string>(key: string, choices: readonly T[], fallback?: T): T | undefined {
    const v = this.str(key);
    if (v === undefined) return fallback;
    if (!(choices as readonly string[]).includes(v)) throw this.error(`'${key}' must be one of ${choices.join(', ')}; got '${v}'`);
    return v as T;
  }

  /** A string or a list of strings, always returned as a list. */
  list(key: string): string[] | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    return [this.str(key) as string];
  }

  exclusive(...keys: string[]): void {
    const given = keys.filter((k) => this.has(k));
    if (given.length > 1) throw this.error(`${given.map((k) => `'${k}'`).join(' and ')} are mutually exclusive`);
  }
}
