// Plays a browser behind a load balancer: asks a web host for the counter page (test.php) with one session cookie.
import { request } from 'node:http';

export interface CounterAnswer {
  status: number;
  /** The `count=N` line of test.php, or NaN when the body has none. */
  count: number;
  /** The `handler=...` line: the session.save_handler PHP ran with. */
  handler: string;
  /** PHPSESSID from Set-Cookie, when the server started a session. */
  sessionId?: string;
  body: string;
}

/** GET http://ADDRESS:PORT/PATH with `PHPSESSID=sessionId` when given; a 10 s limit so a dropped packet fails instead of hanging. */
export function getCounter(address: string, path: string, sessionId?: string, port = 80): Promise<CounterAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Connection: 'close' };
    if (sessionId !== undefined) headers.Cookie = `PHPSESSID=${sessionId}`;
    const req = request({ host: address, port, path, method: 'GET', headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('error', reject);
      res.on('end', () => {
        const cookies = res.headers['set-cookie'] ?? [];
        const sid = cookies.map((c) => /^PHPSESSID=([^;]+)/.exec(c)?.[1]).find((v) => v !== undefined);
        resolve({
          status: res.statusCode ?? 0,
          count: Number(/^count=(\d+)$/m.exec(body)?.[1] ?? NaN),
          handler: /^handler=(.*)$/m.exec(body)?.[1] ?? '',
          sessionId: sid,
          body,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address}:${port}${path} within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}
