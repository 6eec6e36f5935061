// Lets one probe command read several things at once (one SSH round trip): each part prints
// under its own marker line, and the planner gets the parts back by name.
import type { ExecResult } from '../../transport/types.js';

const MARK = '@@runbook-section@@';

/** One sh script that prints every part under its marker, then an end marker proving the probe ran to the end. */
export function sectionsScript(parts: Record<string, string>): string {
  const body = Object.entries(parts).map(([name, script]) => {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`bad section name '${name}'`);
    return `printf '\\n${MARK} %s\\n' '${name}'\n{\n${script.trim() || ':'}\n}`;
  });
  return [...body, `printf '\\n${MARK} %s\\n' '.end'`].join('\n');
}

export type Sections = Record<string, string>;

/**
 * Splits a probe's stdout back into its parts. Returns a failure message instead when the probe
 * did not reach its end (the shell died, permission denied on something essential).
 */
export function parseSections(result: ExecResult): { sections: Sections } | { error: string } {
  const sections: Sections = {};
  const re = new RegExp(`\\n${MARK} ([\\w.-]+)\\n`, 'g');
  const text = result.stdout;
  let name: string | undefined;
  let start = 0;
  let ended = false;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (name !== undefined) sections[name] = text.slice(start, m.index);
    name = m[1];
    start = m.index + m[0].length;
    if (name === '.end') ended = true;
  }
  if (!ended) {
    const why = result.stderr.trim() || `exit code ${result.code}`;
    return { error: `could not read the host's state: ${why}` };
  }
  return { sections };
}

/** Reads `key=value` lines (the format every probe part uses for small facts). */
export function keyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
