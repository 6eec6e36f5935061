// Installs the roles of a requirements file into a roles folder: each one skipped when its marker
// says it is already there at the pinned source and version, else fetched beside the target and
// renamed into place, so a role folder is never half-installed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchRole } from './fetch-source.js';
import type { RoleRequirement } from './requirements.js';

/** ansible-galaxy's marker file, so either tool sees what version is installed. */
export const MARKER = join('meta', '.galaxy_install_info');

export interface InstallResult {
  name: string;
  status: 'ok' | 'installed';
  version: string;
}

export async function installRoles(reqs: RoleRequirement[], rolesDir: string, opts: { force?: boolean } = {}): Promise<InstallResult[]> {
  mkdirSync(rolesDir, { recursive: true });
  const results: InstallResult[] = [];
  for (const req of reqs) {
    const target = join(rolesDir, req.name);
    if (!opts.force && isInstalled(target, req)) {
      results.push({ name: req.name, status: 'ok', version: req.version });
      continue;
    }
    await installOne(req, rolesDir, target);
    results.push({ name: req.name, status: 'installed', version: req.version });
  }
  return results;
}

/** The marker records src and version: the same entry again is ok; a changed one is reinstalled. */
export function isInstalled(target: string, req: RoleRequirement): boolean {
  const marker = readMarker(target);
  return marker !== undefined && marker.src === req.src && marker.version === req.version;
}

export function readMarker(target: string): { src?: string; version?: string } | undefined {
  const file = join(target, MARKER);
  if (!existsSync(file)) return undefined;
  const fields: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m) fields[m[1]!] = unquote(m[2]!);
  }
  return fields;
}

async function installOne(req: RoleRequirement, rolesDir: string, target: string): Promise<void> {
  // Beside the target (same filesystem), so the final rename is one atomic step.
  const work = mkdtempSync(join(rolesDir, `.${req.name}.installing-`));
  try {
    const staged = join(work, 'role');
    mkdirSync(staged);
    await fetchRole(req, staged, work);
    mkdirSync(join(staged, 'meta'), { recursive: true });
    writeFileSync(join(staged, MARKER), markerText(req));
    if (existsSync(target)) renameSync(target, join(work, 'previous'));
    renameSync(staged, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** YAML as ansible-galaxy writes it (install_date, version), plus src; values JSON-quoted, which YAML reads back. */
function markerText(req: RoleRequirement): string {
  const date = new Date().toUTCString();
  return `install_date: ${JSON.stringify(date)}\nsrc: ${JSON.stringify(req.src)}\nversion: ${JSON.stringify(req.version)}\n`;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.startsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      return t;
    }
  }
  return t.startsWith("'") && t.endsWith("'") ? t.slice(1, -1).replace(/''/g, "'") : t;
}
