// Reads the report page back through its data-* hooks, as written by runbook or as serialised by
// a browser (attribute order kept, quoting and entities possibly respelt), for tests.

export interface PageTag {
  name: string;
  attrs: Record<string, string>;
  /** Offset just after the tag's `>`. */
  end: number;
}

function decode(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|quot|amp|lt|gt|apos|nbsp);/gi, (_m, e: string) => {
    const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0' };
    if (e[0] !== '#') return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/** Every start tag with its attributes, decoded. */
export function startTags(html: string): PageTag[] {
  const out: PageTag[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
      attrs[a[1]!.toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push({ name: m[1]!.toLowerCase(), attrs, end: m.index! + m[0].length });
  }
  return out;
}

/** The text up to the next tag after `tag`. */
function textAfter(html: string, tag: PageTag): string {
  const next = html.indexOf('<', tag.end);
  return decode(html.slice(tag.end, next < 0 ? undefined : next));
}

/** Recap numbers per host: rows `tr[data-host]`, cells `td[data-counter]` of the recap table. */
export function readRecap(html: string): Record<string, Record<string, number>> {
  const start = html.search(/<table[^>]*\bid="?recap-table/);
  if (start < 0) return {};
  const section = html.slice(start, html.indexOf('</table>', start));
  const out: Record<string, Record<string, number>> = {};
  let row: Record<string, number> | undefined;
  for (const t of startTags(section)) {
    if (t.name === 'tr' && t.attrs['data-host'] !== undefined) out[t.attrs['data-host']] = row = {};
    if (t.name === 'td' && row && t.attrs['data-counter']) row[t.attrs['data-counter']] = Number(textAfter(section, t).trim());
  }
  return out;
}

export interface PageBar {
  host: string;
  taskIndex: number;
  task?: string;
  status: string;
  ignored: boolean;
  title: string;
  classes: string[];
}

/** The timeline's bars: `div.bar` with data-host, data-task-index, data-status. */
export function readBars(html: string): PageBar[] {
  return startTags(html)
    .filter((t) => t.name === 'div' && (t.attrs.class ?? '').split(/\s+/).includes('bar'))
    .map((t) => ({
      host: t.attrs['data-host']!,
      taskIndex: Number(t.attrs['data-task-index']),
      task: t.attrs['data-task'],
      status: t.attrs['data-status']!,
      ignored: t.attrs['data-ignored'] === 'true',
      title: t.attrs.title ?? '',
      classes: (t.attrs.class ?? '').split(/\s+/),
    }));
}
