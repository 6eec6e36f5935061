// Splits a condition into tokens with their columns, so parse errors can point at the exact spot.

export type TokenKind = 'num' | 'str' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator or name text, or the decoded string / number literal. */
  value: string | number;
  /** 0-based offset in the expression source. */
  pos: number;
}

/** A lexing or parsing problem at `pos` (0-based) in the expression. */
export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

// Longest first, so `//` is not read as two `/`.
const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', '|', '-', '=', '+', '*', '/', '%', '~', ':'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start]!;
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { value: out, end: i + 1 };
    if (c === '\\' && i + 1 < src.length) {
      const next = src[i + 1]!;
      out += ESCAPES[next] ?? `\\${next}`;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new ExprSyntaxError('unterminated string', start);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, end } = readString(src, i);
      tokens.push({ kind: 'str', value, pos: i });
      i = end;
      continue;
    }
    const num = /^(\d+\.\d+|\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      // `x.0` is an index, not the float `.0`: a number right after a dot stays an integer.
      const prevDot = tokens.at(-1)?.kind === 'op' && tokens.at(-1)?.value === '.';
      const text = prevDot ? /^\d+/.exec(num[0])![0] : num[0];
      tokens.push({ kind: 'num', value: Number(text), pos: i });
      i += text.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (src.startsWith('{{', i)) {
      throw new ExprSyntaxError(`unexpected '${src.slice(i, i + 2)}' (a condition is a bare expression: write \`x == 1\`, not \`{{ x == 1 }}\` inside other text)`, i);
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character '${c}'`, i);
    tokens.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '', pos: src.length });
  return tokens;
}
