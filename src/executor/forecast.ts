// Check-mode forecasts: what earlier would-be changes on a host would have created, and whether
// that explains a later task's failure. A failure is excused only by a change that provides the
// very thing it needs, never because something, anywhere, changed.
import type { HostThing } from '../modules/types.js';

/** One earlier task's would-be change on a host, and what it would have created. */
export interface Forecast {
  task: string;
  provides: readonly HostThing[];
}

/**
 * Where Debian packages put their files. A package about to be installed may create any path
 * there (a config directory, a file it ships); never /tmp, /home or /root.
 */
const PACKAGE_ROOTS = ['/etc', '/usr', '/var', '/opt', '/srv', '/lib', '/lib64', '/bin', '/sbin', '/run'];

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

function normal(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** A unit's file, as a task writing a unit file would create it. */
function unitFile(path: string, unit: string): boolean {
  const base = unit.includes('.') ? unit : `${unit}.service`;
  return /^\/(etc|lib|usr\/lib)\/systemd\/system\//.test(path) && path.endsWith(`/${base}`) || path === `/etc/init.d/${unit.replace(/\.service$/, '')}`;
}

/** Does creating `p` create `need`? Packages are opaque: what they ship is not known before they are installed. */
export function provides(p: HostThing, need: HostThing): boolean {
  switch (need.kind) {
    case 'path': {
      const want = normal(need.path);
      // Creating a path creates its parent directories (mkdir -p, a package's tree).
      if (p.kind === 'path') return under(normal(p.path), want);
      return p.kind === 'package' && PACKAGE_ROOTS.some((root) => under(want, root) && want !== root);
    }
    case 'package':
      return p.kind === 'package' && p.name === need.name;
    case 'user':
      // Packages create their system users (redis, www-data) in their install scripts.
      return (p.kind === 'user' && p.name === need.name) || p.kind === 'package';
    case 'group':
      return ((p.kind === 'group' || p.kind === 'user') && p.name === need.name) || p.kind === 'package';
    case 'unit':
      return (p.kind === 'unit' && p.name === need.name) || (p.kind === 'path' && unitFile(p.path, need.name)) || p.kind === 'package';
    case 'package-lists':
      return p.kind === 'package-lists' || (p.kind === 'path' && under(p.path, '/etc/apt'));
  }
}

/**
 * The earlier forecasts that explain a failure needing `needs`, or undefined when some need is
 * provided by none of them (then the failure is real, in check mode as in a real run).
 */
export function explainedBy(needs: readonly HostThing[] | undefined, forecasts: readonly Forecast[]): Forecast[] | undefined {
  if (!needs?.length) return undefined;
  const by: Forecast[] = [];
  for (const need of needs) {
    // The latest provider is the one the user most likely means.
    const f = [...forecasts].reverse().find((fc) => fc.provides.some((p) => provides(p, need)));
    if (!f) return undefined;
    if (!by.includes(f)) by.push(f);
  }
  return by;
}

export function describeThing(t: HostThing): string {
  switch (t.kind) {
    case 'path': return t.path;
    case 'package': return `package ${t.name}`;
    case 'user': return `user ${t.name}`;
    case 'group': return `group ${t.name}`;
    case 'unit': return `unit ${t.name}`;
    case 'package-lists': return 'the apt package lists';
  }
}
