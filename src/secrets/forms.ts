// The ways a secret may be spelled in output: raw, URL-encoded, JSON-escaped, shell-quoted, upper or
// lower case, base64. A password put into a URL by the urlencode helper, into --json output, or through
// b64encode into a header is the same leak. (Forms a template derives by chaining helpers are added as
// secrets of their own when rendered: see the templater's taint hook.)

function urlForms(s: string): string[] {
  const component = encodeURIComponent(s);
  const strict = component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams({ v: s }).toString().slice(2);
  return [component, strict, component.replace(/%20/g, '+'), form, strict.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())];
}

function shellForms(s: string): string[] {
  return [
    // body of a single-quoted word: it's -> it'\''s
    s.replace(/'/g, `'\\''`),
    // body of a double-quoted word
    s.replace(/[\\"$`]/g, '\\$&'),
  ];
}

/** base64 of the text, with and without padding, and the URL-safe alphabet. */
function base64Forms(s: string): string[] {
  const b64 = Buffer.from(s, 'utf8').toString('base64');
  const bare = b64.replace(/=+$/, '');
  return [b64, bare, bare.replace(/\+/g, '-').replace(/\//g, '_')];
}

/** Every distinct non-empty form of `s`, including the JSON-escaped spelling of each form. */
export function secretForms(s: string): string[] {
  const cased = [...new Set([s, s.toUpperCase(), s.toLowerCase()])];
  const base = [...cased.flatMap((c) => [c, ...urlForms(c), ...shellForms(c)]), ...cased.flatMap(base64Forms)];
  const withJson = base.flatMap((f) => [f, JSON.stringify(f).slice(1, -1)]);
  return [...new Set(withJson)].filter((f) => f.length > 0);
}
