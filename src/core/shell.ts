// POSIX shell quoting for the scripts runbook sends; managed hosts need only /bin/sh.

/** Quotes one word for /bin/sh: 'it'\''s' style, safe for any byte except NUL. */
export function shQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv words into one shell command line. */
export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
