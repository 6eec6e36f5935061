// Cookie handling the way a browser or load balancer client does it, reduced to what checks need:
// read Set-Cookie into name -> value, send them back in one Cookie header.

/** Parses Set-Cookie header lines (attributes such as Path and HttpOnly are dropped). */
export function parseSetCookie(lines: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of typeof lines === 'string' ? [lines] : (lines ?? [])) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** The Cookie request header for a jar; empty jar gives ''. */
export function cookieHeader(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}
