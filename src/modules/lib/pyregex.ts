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
