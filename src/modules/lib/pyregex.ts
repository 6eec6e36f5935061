// Playbooks carry Python regular expressions (lineinfile regexp, backrefs); this maps the common
// Python-only syntax onto JavaScript's and expands Python's replacement templates (\1, \g<name>).

/** Compiles a Python-flavoured pattern; throws with the reason when it is not valid. */
export function pyRegExp(pattern: string): RegExp {
  let flags = '';
  let source = pattern.replace(/^\(\?([aiLmsux]+)\)/, (_, f: string) => {
    for (const c of f) if ('ims'.includes(c) && !flags.includes(c)) flags += c;
    return '';
  });
  source = source
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  return new RegExp(source, flags);
}

/** Python's match.expand: \1..\99, \g<1>, \g<name>, and \n \t \\ escapes; missing groups give ''. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  const group = (ref: string): string => {
    const v = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
    return v ?? '';
  };
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (all, named: string | undefined, num: string | undefined, esc: string | undefined) => {
    if (named !== undefined) return group(named);
    if (num !== undefined) return group(num);
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return escapes[esc!] ?? all;
  });
}

/** Python's re flags that change what a pattern means (re.MULTILINE, re.DOTALL, re.IGNORECASE, re.VERBOSE). */
export interface PyFlags {
  multiline?: boolean;
  dotall?: boolean;
  ignorecase?: boolean;
  verbose?: boolean;
}

export interface PyCompiled {
  re: RegExp;
  /** The flags in force: those asked for plus the pattern's own (?m)-style ones (blockinfile reads multiline). */
  flags: Required<PyFlags>;
}

/**
 * Compiles a Python pattern with Python's meaning of the anchors and the dot, for modules that
 * match across lines (replace, blockinfile): `^`/`$` see only \n as a line end (JavaScript also
 * takes \r), `$` without MULTILINE also matches before a final \n, `.` matches \r, \A and \Z stay
 * the string's ends under MULTILINE, and (?x) drops whitespace and comments. `g` is always set.
 * \d, \w and \s are ASCII-only here (Python's match any Unicode digit, letter or space).
 */
export function pyCompile(pattern: string, given: PyFlags = {}): PyCompiled {
  const flags: Required<PyFlags> = { multiline: !!given.multiline, dotall: !!given.dotall, ignorecase: !!given.ignorecase, verbose: !!given.verbose };
  // Global inline flags, wherever they are (Python 3.11 wants them first; older ones warn): read them all first.
  const body = pattern.replace(/\(\?([aiLmsux]+)\)/g, (all: string, f: string, at: number) => {
    if (at > 0 && pattern[at - 1] === '\\') return all;
    for (const c of f) {
      if (c === 'm') flags.multiline = true;
      else if (c === 's') flags.dotall = true;
      else if (c === 'i') flags.ignorecase = true;
      else if (c === 'x') flags.verbose = true;
    }
    return '';
  });
  const START = '(?<![\\s\\S])';
  const END = '(?![\\s\\S])';
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const n = body[i + 1];
      if (n === undefined) throw new Error('bad escape (end of pattern)');
      i++;
      if (!inClass && n === 'A') out += START;
      else if (!inClass && n === 'Z') out += END;
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (flags.verbose && /\s/.test(c)) continue;
    if (flags.verbose && c === '#') {
      while (i < body.length && body[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' first in a class is a literal in Python; JavaScript would read [] as an empty class.
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && body[i + 1] === '?') {
      const rest = body.slice(i);
      const named = /^\(\?P<(\w+)>/.exec(rest);
      if (named) { out += `(?<${named[1]}>`; i += named[0].length - 1; continue; }
      const ref = /^\(\?P=(\w+)\)/.exec(rest);
      if (ref) { out += `\\k<${ref[1]}>`; i += ref[0].length - 1; continue; }
      const comment = /^\(\?#[^)]*\)/.exec(rest);
      if (comment) { i += comment[0].length - 1; continue; }
    }
    if (c === '.') out += flags.dotall ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += flags.multiline ? '(?<![^\\n])' : START;
    else if (c === '$') out += flags.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    else out += c;
  }
  if (inClass) throw new Error('unterminated character set');
  return { re: new RegExp(out, `g${flags.ignorecase ? 'i' : ''}`), flags };
}

/**
 * Python's re.subn: every non-overlapping match replaced with the expanded template, and how many.
 * An empty match right after a non-empty one counts, as in Python 3.7+ (JavaScript skips it).
 */
export function pySubn(re: RegExp, template: string, text: string): { text: string; count: number } {
  let out = '';
  let last = 0;
  let count = 0;
  let pos = 0;
  let emptyAt = -1;
  while (pos <= text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    if (m[0] === '' && m.index === emptyAt) {
      // Python does not match empty twice at one place: look again one character on.
      pos = m.index + 1;
      continue;
    }
    out += text.slice(last, m.index) + expandTemplate(template, m);
    count++;
    last = m.index + m[0].length;
    emptyAt = m[0] === '' ? m.index : -1;
    pos = last;
  }
  return { text: out + text.slice(last), count };
}
