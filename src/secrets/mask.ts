// The set of secret values of a run; every printer passes its output through mask() so no_log
// arguments, vault values and passwords never reach a terminal, a log or a --json consumer.
import { secretForms } from './forms.js';

export const MASK = '********';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretSet {
  private readonly values = new Set<string>();
  /** One alternation of every form, longest first; rebuilt lazily after add(). */
  private pattern: RegExp | undefined;

  /** Adds a secret: strings as they are, numbers as their decimal text, lists and dicts by their values. */
  add(value: unknown): void {
    if (typeof value === 'number' || typeof value === 'bigint') value = String(value);
    if (typeof value === 'string') {
      if (value.length === 0 || this.values.has(value)) return;
      this.values.add(value);
      this.pattern = undefined;
    } else if (Array.isArray(value)) {
      for (const v of value) this.add(v);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const v of Object.values(value)) this.add(v);
    }
  }

  /** The secrets as added (a queue worker hands the ones it learnt to the run's other workers). */
  list(): string[] {
    return [...this.values];
  }

  has(): boolean {
    return this.values.size > 0;
  }

  /** True when `text` holds any form of any secret. */
  contains(text: string): boolean {
    if (this.values.size === 0 || text.length === 0) return false;
    const re = this.regex();
    re.lastIndex = 0;
    return re.test(text);
  }

  private regex(): RegExp {
    if (!this.pattern) {
      const forms = [...new Set([...this.values].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
    }
    return this.pattern;
  }

  /**
   * Replaces every occurrence of every form with ********. Overlapping secrets are merged
   * into one masked span, so no fragment of either shows.
   */
  mask(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    const re = this.regex();
    re.lastIndex = 0;
    const spans: Array<[number, number]> = [];
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      const last = spans.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else spans.push([start, end]);
      // Look again one character on, so a secret starting inside this match is found too.
      re.lastIndex = start + 1;
    }
    if (spans.length === 0) return text;
    let out = '';
    let pos = 0;
    for (const [start, end] of spans) {
      out += text.slice(pos, start) + MASK;
      pos = end;
    }
    return out + text.slice(pos);
  }

  /** A copy of `value` with every string (and mapping key) masked; other values unchanged. */
  maskDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.mask(k)] = this.walk(v);
      return out;
    }
    return value;
  }
}
