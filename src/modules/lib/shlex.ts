// Splits a command line into words the way Python's shlex.split does (so `command:` behaves as in
// Ansible, without a shell), and lifts Ansible's `creates=... chdir=...` options out of free-form text.

export interface Token {
  value: string;
  /** Offsets of the raw token in the input, for cutting it out verbatim. */
  start: number;
  end: number;
}

/** POSIX shlex: quotes group, backslash escapes outside single quotes. Throws on an unclosed quote. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i])) i++;
    if (i >= input.length) break;
    const start = i;
    let value = '';
    while (i < input.length && !/\s/.test(input[i])) {
      const c = input[i];
      if (c === "'") {
        const close = input.indexOf("'", i + 1);
        if (close < 0) throw new Error('no closing quotation');
        value += input.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= input.length) throw new Error('no closing quotation');
          const d = input[i];
          if (d === '"') break;
          if (d === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
            value += input[i + 1];
            i += 2;
          } else {
            value += d;
            i++;
          }
        }
        i++;
      } else if (c === '\\') {
        if (i + 1 >= input.length) throw new Error('no escaped character');
        value += input[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    tokens.push({ value, start, end: i });
  }
  return tokens;
}

export function shlexSplit(input: string): string[] {
  return tokenize(input).map((t) => t.value);
}

/**
 * Takes `key=value` words for the given keys out of a free-form string, as Ansible does for
 * `command: creates=/x chdir=/tmp ls`. The rest is returned as written (quotes intact) for shell.
 */
export function extractKeyValues(input: string, keys: readonly string[]): { rest: string; options: Record<string, string> } {
  const options: Record<string, string> = {};
  let rest = '';
  let last = 0;
  for (const t of tokenize(input)) {
    const eq = t.value.indexOf('=');
    const key = eq > 0 ? t.value.slice(0, eq) : '';
    // Only an unquoted key counts: 'creates=x' in quotes is an argument, as in Ansible.
    if (eq > 0 && keys.includes(key) && input.startsWith(`${key}=`, t.start)) {
      options[key] = t.value.slice(eq + 1);
      rest += input.slice(last, t.start);
      last = t.end;
    }
  }
  rest += input.slice(last);
  return { rest: rest.trim(), options };
}
