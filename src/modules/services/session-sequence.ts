// The pure judgement behind session_check: what each counter page answer must show, and what
// Redis must hold afterwards. Kept free of I/O so every failure message is unit-tested.

/** One answer of the counter page, as seen by the client that shares one cookie across servers. */
export interface Visit {
  host: string;
  status: number;
  body: string;
  /** Cookies this answer set (Set-Cookie), name -> value. */
  setCookies: Record<string, string>;
}

export interface CounterPage {
  count?: number;
  /** session.save_handler the page reports (the role's test.php prints it), for a sharper failure. */
  handler?: string;
}

/** The role's test.php prints `count=N` and `handler=NAME`; a hand-written page printing just the number works too. */
export function parseCounterPage(body: string): CounterPage {
  const count = /\bcount\s*[=:]\s*(\d+)/.exec(body)?.[1] ?? /^\s*(\d+)\s*$/.exec(body)?.[1];
  const handler = /\bhandler\s*[=:]\s*(\w+)/.exec(body)?.[1];
  return { count: count === undefined ? undefined : Number(count), handler };
}

export type VisitVerdict = { ok: true; count: number; sessionId: string } | { ok: false; failed: string };

const NOT_FROM_REDIS = 'its session did not come from Redis — check session.save_path and the password';

/**
 * Judges one answer. `sessionId` is the id the shared cookie carries (undefined before the
 * first answer); `expected` is the count this request must show.
 */
export function judgeVisit(visit: Visit, expected: number, sessionId: string | undefined, cookieName: string, path: string): VisitVerdict {
  const excerpt = visit.body.trim().slice(0, 300);
  if (visit.status !== 200) {
    return { ok: false, failed: `${visit.host} answered HTTP ${visit.status} for ${path}${excerpt ? `: ${excerpt}` : ''}` };
  }
  const page = parseCounterPage(visit.body);
  if (page.count === undefined) {
    return { ok: false, failed: `${visit.host}'s ${path} printed no count (is PHP running it?)${excerpt ? `: ${excerpt}` : ''}` };
  }
  const handlerNote = page.handler && page.handler !== 'redis' ? ` (${visit.host} reports session.save_handler = ${page.handler})` : '';
  const issued = visit.setCookies[cookieName];
  if (sessionId === undefined) {
    if (!issued) return { ok: false, failed: `${visit.host} set no ${cookieName} cookie: does ${path} call session_start()?` };
    if (page.count !== expected) return { ok: false, failed: `${visit.host} returned count ${page.count} for a new session (expected ${expected})` };
    return { ok: true, count: page.count, sessionId: issued };
  }
  if (issued && issued !== sessionId) {
    return { ok: false, failed: `${visit.host} started a new session instead of reading ${cookieName}=${sessionId} (returned count ${page.count}, expected ${expected}): ${NOT_FROM_REDIS}${handlerNote}` };
  }
  if (page.count !== expected) {
    const why = page.count < expected ? `: ${NOT_FROM_REDIS}` : '';
    return { ok: false, failed: `${visit.host} returned count ${page.count} (expected ${expected})${why}${handlerNote}` };
  }
  return { ok: true, count: page.count, sessionId };
}

/** What the session must hold in Redis after the last answer showed `lastCount` (the page stores count + 1). */
export function expectedStoredCount(lastCount: number): string {
  return `count|i:${lastCount + 1};`;
}

/** Judges the session as read from Redis; undefined means it holds. */
export function judgeStoredSession(key: string, value: string | null, lastCount: number, redisHost: string): string | undefined {
  const want = expectedStoredCount(lastCount);
  if (value === null) return `Redis on ${redisHost} has no key ${key}: the web servers did not store the session there (check session.save_handler and session.save_path)`;
  if (!value.includes(want)) return `${key} on ${redisHost} holds '${value.slice(0, 200)}', expected it to contain '${want}'`;
  return undefined;
}

/** "web1=1 web2=2 web1=3": the order the counter was seen in, for the task's message. */
export function describeSequence(seen: { host: string; count: number }[]): string {
  return seen.map((s) => `${s.host}=${s.count}`).join(' ');
}
