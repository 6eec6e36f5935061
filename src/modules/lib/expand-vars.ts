// Ansible's command module expands `$VAR`, `${VAR}` and a leading `~` / `~user` in its argv, and in
// creates/removes/chdir (Python's os.path.expanduser(os.path.expandvars(x)), run on the host).
// Here the same happens on the host in /bin/sh: a variable is replaced only when it is in the
// environment (else left as written, as Python does), and a leading tilde only when it names a
// home (sh's tilde expansion: unknown users stay as written, as in Python).
import { shQuote } from '../../core/shell.js';

type Part = { lit: string } | { env: string; written: string } | { glob: string };

/** sh names only: `$1` or `${a-b}` are not environment variables Python could find. */
const VAR = /\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/g;
const GLOB = /(\*|\?|\[!?[\w.-]+\])/;

function parts(text: string, globs: boolean): Part[] {
  const out: Part[] = [];
  const literal = (s: string) => {
    if (s === '') return;
    if (!globs) return void out.push({ lit: s });
    for (const piece of s.split(GLOB)) if (piece !== '') out.push(GLOB.test(piece) && new RegExp(`^${GLOB.source}$`).test(piece) ? { glob: piece } : { lit: piece });
  };
  let last = 0;
  for (const m of text.matchAll(VAR)) {
    literal(text.slice(last, m.index));
    out.push({ env: (m[1] ?? m[2])!, written: m[0] });
    last = m.index! + m[0].length;
  }
  literal(text.slice(last));
  return out;
}

/** Words for a script, expanded on the host; `preamble` reads the environment variables they use. */
export class HostExpansion {
  private readonly vars = new Map<string, string>();

  /** One argument as sh text that expands like Ansible's command module; `globs`: * ? [..] stay patterns (creates/removes). */
  word(text: string, opts: { globs?: boolean } = {}): string {
    let rest = text;
    let head = '';
    // A tilde prefix must stay unquoted, with its slash, for sh to expand it.
    const tilde = /^~([A-Za-z0-9._-]*)(\/|$)/.exec(text);
    if (tilde) {
      head = tilde[0];
      rest = text.slice(tilde[0].length);
    }
    const body = parts(rest, opts.globs ?? false).map((p) => ('lit' in p ? shQuote(p.lit) : 'glob' in p ? p.glob : `"$${this.slot(p.env, p.written)}"`));
    const joined = head + body.join('');
    return joined === '' ? "''" : joined;
  }

  /** The shell variable holding `$name`'s value, or the text as written when the environment has no such variable. */
  private slot(name: string, written: string): string {
    const key = `${name}\0${written}`;
    let slot = this.vars.get(key);
    if (!slot) {
      slot = `rb_env${this.vars.size}`;
      this.vars.set(key, slot);
    }
    return slot;
  }

  /** Lines that set the slots; empty when no word used a variable. */
  preamble(): string {
    return [...this.vars.entries()]
      .map(([key, slot]) => {
        const [name, written] = key.split('\0') as [string, string];
        // printenv: the environment only (not sh's own IFS or PPID); the x keeps trailing newlines of the value.
        return `if ${slot}=$(printenv ${name} && echo x); then ${slot}=\${${slot}%x}; ${slot}=\${${slot}%?}; else ${slot}=${shQuote(written)}; fi`;
      })
      .join('\n');
  }
}

