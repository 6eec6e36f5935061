// --syntax-check (and `runbook compat`) read the files a dynamic include can name, so a mistake in
// a branch the run may never reach is still reported, as a warning: a templated name such as
// setup-{{ ansible_os_family }}.yml stands for every file its literal parts match.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { TaskContext } from './context.js';

/** Template expressions a probe can resolve without a host: where the role and the playbook are. */
function knownPaths(name: string, ctx: TaskContext): string {
  let out = name.replace(/\{\{\s*playbook_dir\s*\}\}/g, ctx.env.playbookDir);
  if (ctx.role) out = out.replace(/\{\{\s*role_path\s*\}\}/g, ctx.role.dir);
  return out;
}

/** One path segment with templates as wildcards: `setup-{{ x }}.yml` matches setup-Debian.yml. */
function segmentPattern(segment: string): RegExp | string {
  if (!segment.includes('{{')) return segment;
  const parts = segment.split(/\{\{.*?\}\}/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

function matchFrom(base: string, segments: (RegExp | string)[]): string[] {
  if (segments.length === 0) return existsSync(base) && statSync(base).isFile() ? [base] : [];
  const [head, ...rest] = segments;
  if (typeof head === 'string') return matchFrom(join(base, head), rest);
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return [];
  }
  return entries.filter((e) => head!.test(e)).sort().flatMap((e) => matchFrom(join(base, e), rest));
}

/**
 * The files an include's (possibly templated) name can mean, looked for where resolveTaskFile looks
 * (in a role: its tasks/ folder, then beside the including file; elsewhere: beside the file, then the playbook).
 */
export function filesNamedBy(name: string, ctx: TaskContext, bases?: string[]): string[] {
  const known = knownPaths(name, ctx);
  if (/\{\{[^}]*$|^\{\{.*\}\}$/.test(known.trim())) return []; // the whole name is one expression: nothing to match
  const segments = known.split('/').filter((s, i) => s !== '' || i === 0).map(segmentPattern);
  if (isAbsolute(known)) return matchFrom('/', segments.slice(1));
  const roots = bases ?? (ctx.role ? [join(ctx.role.dir, 'tasks'), dirname(ctx.file)] : [dirname(ctx.file), ctx.env.playbookDir]);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const root of roots) {
    for (const f of matchFrom(resolve(root), segments)) {
      if (!seen.has(f)) out.push(f), seen.add(f);
    }
  }
  return out;
}
