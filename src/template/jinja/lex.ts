// Splits a Jinja2 template into text, `{{ }}` outputs and `{% %}` statements, applying whitespace
// control as Ansible configures Jinja2: trim_blocks on (the newline after a block tag or comment is
// dropped), lstrip_blocks off, `-` strips whitespace on its side, and the trailing newline is kept.
import { TemplateProblem } from '../problem.js';

export type Piece =
  | { kind: 'text'; value: string }
  /** `src` is the expression or statement; `offset` where it starts in the template. */
  | { kind: 'output' | 'statement'; src: string; offset: number };

/** 1-based line and column of `offset` in `text`. */
export function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: offset - last };
}

export function problem(text: string, offset: number, message: string, hint?: string): TemplateProblem {
  const { line, col } = position(text, offset);
  return new TemplateProblem(message, line, col, hint);
}

/** Index of the `close` that ends a tag opened before `from`, skipping quoted strings. */
function findClose(text: string, from: number, close: string): number {
  let quote: string | undefined;
  // Braces of dict literals inside the tag: `{{ {'a': {'b': 1}} }}` ends at the last `}}`, as in Jinja2.
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (depth === 0 && text.startsWith(close, i)) return i;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
  }
  return -1;
}

export function lex(text: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  let stripNext = false;
  let trimNewline = false;
  const pushText = (value: string): void => {
    let v = value;
    if (stripNext) v = v.replace(/^\s+/, '');
    else if (trimNewline) v = v.replace(/^\r?\n/, '');
    stripNext = false;
    trimNewline = false;
    if (v !== '') pieces.push({ kind: 'text', value: v });
  };
  const stripPrevious = (): void => {
    const last = pieces.at(-1);
    if (last?.kind === 'text') {
      last.value = last.value.replace(/\s+$/, '');
      if (last.value === '') pieces.pop();
    }
  };
  while (i < text.length) {
    const open = /\{[{%#]/g;
    open.lastIndex = i;
    const m = open.exec(text);
    if (!m) {
      pushText(text.slice(i));
      break;
    }
    const start = m.index;
    const type = text[start + 1]!;
    pushText(text.slice(i, start));
    let inner = start + 2;
    if (text[inner] === '-') {
      stripPrevious();
      inner++;
    } else if (text[inner] === '+') inner++;
    const close = type === '{' ? '}}' : type === '%' ? '%}' : '#}';
    const end = type === '#' ? text.indexOf('#}', inner) : findClose(text, inner, close);
    if (end < 0) {
      const what = type === '{' ? "'{{' is not closed by '}}'" : type === '%' ? "'{%' is not closed by '%}'" : "'{#' is not closed by '#}'";
      throw problem(text, start, `template syntax error: ${what}`, type === '{' ? "write a literal {{ as {{ '{{' }}" : undefined);
    }
    const stripAfter = text[end - 1] === '-' && end - 1 >= inner;
    const body = text.slice(inner, stripAfter ? end - 1 : end);
    i = end + 2;
    if (type === '%' && /^\s*raw\s*$/.test(body)) {
      const endRaw = /\{%-?\s*endraw\s*-?%\}/g;
      endRaw.lastIndex = i;
      const r = endRaw.exec(text);
      if (!r) throw problem(text, start, "template syntax error: '{% raw %}' has no '{% endraw %}'");
      stripNext = stripAfter;
      trimNewline = !stripAfter;
      let raw = text.slice(i, r.index);
      if (r[0].startsWith('{%-')) raw = raw.replace(/\s+$/, '');
      pushText(raw);
      i = r.index + r[0].length;
      stripNext = r[0].endsWith('-%}');
      trimNewline = !stripNext;
      continue;
    }
    if (type === '{') pieces.push({ kind: 'output', src: body, offset: inner });
    else if (type === '%') pieces.push({ kind: 'statement', src: body, offset: inner });
    stripNext = stripAfter;
    trimNewline = type !== '{' && !stripAfter;
  }
  return pieces;
}
