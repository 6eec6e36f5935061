// uri over a fake SSH tunnel (a bare Duplex) to a real local HTTP server: status, content,
// cookies, redirects, bodies, `via`, and what check mode sends.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../../../src/core/errors.js';
import { uriModule } from '../../../../src/modules/services/uri.js';
import { fakeContext, FakeTransport } from './fixtures/fake-context.js';

const loc = { file: 'site.yml', line: 12, col: 9 };

describe('uri module', () => {
  let server: Server;
  let port: number;
  const seen: { method?: string; url?: string; cookie?: string; body: string; host?: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, cookie: req.headers.cookie, body, host: req.headers.host });
        if (req.url === '/login') res.writeHead(302, { location: '/home', 'set-cookie': ['sid=abc123; Path=/; HttpOnly', 'theme=dark'] }).end();
        else if (req.url === '/home') res.writeHead(200, { 'content-type': 'text/plain' }).end(`welcome ${req.headers.cookie ?? 'stranger'}`);
        else if (req.url === '/api') res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body }));
        else res.writeHead(404).end('nothing here');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function ctxFor(check = false) {
    const route = (a: string, p: number) => (a === 'web.internal' && p === 80 ? port : undefined);
    const web1 = new FakeTransport('web1', route);
    const bastion = new FakeTransport('bastion', route);
    return { web1, bastion, ctx: fakeContext('web1', { web1, bastion }, {}, check) };
  }
  const run = (raw: Record<string, unknown>, check = false) => {
    const c = ctxFor(check);
    return { ...c, out: uriModule.run(uriModule.parse(raw, loc), c.ctx) };
  };

  it('follows a redirect through the tunnel, carrying the cookies it set', async () => {
    const { out, web1 } = run({ url: 'http://web.internal/login', return_content: true, expect_cookies: ['sid'], expect_content: 'welcome' });
    const r = await out;
    expect(r.failed).to.equal(undefined);
    expect(r.changed).to.equal(false);
    expect(r.data).to.deep.include({ status: 200, url: 'http://web.internal/home', redirected: true, content: 'welcome sid=abc123; theme=dark' });
    expect(r.data?.cookies).to.deep.equal({ sid: 'abc123', theme: 'dark' });
    expect(r.data?.cookies_string).to.equal('sid=abc123; theme=dark');
    expect(web1.forwards).to.deep.equal(['web.internal:80', 'web.internal:80']);
    expect(seen.at(-1)?.host).to.equal('web.internal');
  });

  it('returns each response header as a top-level key, lower-cased with _ for -, as Ansible does', async () => {
    const r = await run({ url: 'http://web.internal/home' }).out;
    expect(r.data).to.deep.include({ content_type: 'text/plain', transfer_encoding: 'chunked', status: 200 });
    expect(r.data?.headers).to.deep.include({ 'content-type': 'text/plain' });
    // Not followed: the relative location comes back absolute, as Ansible's absolute_location makes it.
    const redirect = await run({ url: 'http://web.internal/login', follow_redirects: 'none', status_code: 302 }).out;
    expect(redirect.data).to.deep.include({ location: 'http://web.internal/home', set_cookie: 'sid=abc123; Path=/; HttpOnly, theme=dark' });
  });

  it('fails on an unexpected status and shows the content', async () => {
    const r = await run({ url: 'http://web.internal/missing' }).out;
    expect(r.failed).to.match(/^GET http:\/\/web\.internal\/missing through web1's SSH tunnel: status was 404, expected 200\nnothing here/);
    const ok = await run({ url: 'http://web.internal/missing', status_code: [200, 404] }).out;
    expect(ok.failed).to.equal(undefined);
    expect(ok.data).not.to.have.property('content');
  });

  it('sends a JSON body and parses a JSON answer; the Cookie header is the user’s to give', async () => {
    const r = await run({ url: 'http://web.internal/api', method: 'post', body: { a: 1 }, status_code: 201, headers: { Cookie: 'sid=zzz' } }).out;
    expect(r.failed).to.equal(undefined);
    expect(r.data?.json).to.deep.equal({ got: '{"a":1}' });
    expect(seen.at(-1)).to.deep.include({ method: 'POST', cookie: 'sid=zzz' });
  });

  it('tunnels through another host with via, and does not follow redirects when told not to', async () => {
    const { out, web1, bastion } = run({ url: 'http://web.internal/login', via: 'bastion', follow_redirects: 'none', status_code: 302 });
    const r = await out;
    expect(r.failed).to.equal(undefined);
    expect(bastion.forwards).to.deep.equal(['web.internal:80']);
    expect(web1.forwards).to.deep.equal([]);
  });

  it('in check mode sends GET but skips POST with a reason', async () => {
    const before = seen.length;
    const post = await run({ url: 'http://web.internal/api', method: 'POST', body: 'x' }, true).out;
    expect(post.skipped).to.match(/check mode: a POST request may change the server/);
    expect(seen.length).to.equal(before);
    const get = await run({ url: 'http://web.internal/home' }, true).out;
    expect(get.data?.status).to.equal(200);
  });

  it('fails clearly when the tunnel cannot open', async () => {
    const r = await run({ url: 'http://web.internal:81/' }).out;
    expect(r.failed).to.match(/^GET http:\/\/web\.internal:81\/ through web1's SSH tunnel: .*Connection refused/);
  });

  it('rejects bad arguments before running', () => {
    expect(() => uriModule.parse({ url: 'not a url' }, loc)).to.throw(InputError, /not a valid URL/);
    expect(() => uriModule.parse({ url: 'ftp://x/' }, loc)).to.throw(InputError, /http:\/\/ or https:\/\//);
    expect(() => uriModule.parse({ url: 'http://x/', status_code: 'abc' }, loc)).to.throw(InputError, /status_code/);
  });
});
