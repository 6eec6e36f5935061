// The ways a secret may be spelled in output: raw, URL-encoded, JSON-escaped, shell-quoted.
// A password put into a URL by the urlencode helper, or into --json output, is the same leak.

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

/** Every distinct non-empty form of `s`, including the JSON-escaped spelling of each form. */
export function secretForms(s: string): string[] {
  const base = [s, ...urlForms(s), ...shellForms(s)];
  const withJson = base.flatMap((f) => [f, JSON.stringify(f).slice(1, -1)]);
  return [...new Set(withJson)].filter((f) => f.length > 0);
}
