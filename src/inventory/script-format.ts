// Executable inventory scripts (Ansible's `script` plugin): run with --list, read the groups and _meta.hostvars JSON.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import type { InventoryBuilder } from './builder.js';

/** Long enough for a cloud API call, short enough that a hung script does not hang the run forever. */
const SCRIPT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/** An inventory script: executable, and a program (#! or ELF) rather than a YAML/INI file that happens to have +x. */
export function isInventoryScript(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o111) === 0) return false;
    const head = Buffer.alloc(4);
    const fd = openSync(file, 'r');
    try {
      const n = readSync(fd, head, 0, 4, 0);
      const start = head.subarray(0, n);
      return start.subarray(0, 2).toString('latin1') === '#!' || start.toString('latin1') === '\x7fELF';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Runs `file --list` (no shell) and declares what it prints; hosts without _meta get `file --host NAME`, as Ansible does. */
export function readScriptInventory(file: string, builder: InventoryBuilder): void {
  const loc: SourceLoc = { file, line: 1, col: 1 };
  const data = runJson(file, ['--list'], loc);
  if (!isObject(data)) throw new InputError(`inventory script ${file} --list must print a JSON object of groups, got ${kind(data)}`, loc);
  const meta = data._meta;
  const hostvars = isObject(meta) && isObject(meta.hostvars) ? meta.hostvars : undefined;
  const declared = new Set<string>();
  for (const [group, body] of Object.entries(data)) {
    if (group === '_meta') continue;
    builder.group(group, loc);
    // Old-style output: a group is just a list of hosts.
    const spec = Array.isArray(body) ? { hosts: body } : body;
    if (spec === null || spec === undefined) continue;
    if (!isObject(spec)) throw new InputError(`inventory script ${file}: group '${group}' must be an object or a list of hosts, got ${kind(spec)}`, loc);
    for (const host of names(spec.hosts, file, `hosts of group '${group}'`, loc)) {
      if (builder.groups.get(group)?.hosts.has(host)) continue;
      builder.addHost(group, host, {}, loc);
      declared.add(host);
    }
    for (const child of names(spec.children, file, `children of group '${group}'`, loc)) builder.addChild(group, child, loc);
    if (spec.vars !== undefined && spec.vars !== null) {
      if (!isObject(spec.vars)) throw new InputError(`inventory script ${file}: vars of group '${group}' must be an object, got ${kind(spec.vars)}`, loc);
      builder.setGroupVars(group, spec.vars, loc);
    }
  }
  for (const host of declared) {
    const vars = hostvars ? hostvars[host] : runJson(file, ['--host', host], loc);
    if (vars === undefined || vars === null) continue;
    if (!isObject(vars)) throw new InputError(`inventory script ${file}: the variables of host '${host}' must be an object, got ${kind(vars)}`, loc);
    Object.assign(builder.hosts.get(host)!.vars, vars);
  }
}

function runJson(file: string, args: string[], loc: SourceLoc): unknown {
  let stdout: string;
  try {
    stdout = execFileSync(file, args, { encoding: 'utf8', timeout: SCRIPT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as Error & { status?: number | null; stderr?: string; signal?: string | null };
    const why = e.status != null ? `exited with status ${e.status}` : e.signal ? `was killed (${e.signal}${e.signal === 'SIGTERM' ? ', timed out?' : ''})` : e.message;
    const stderr = e.stderr?.trim() ? `: ${e.stderr.trim().split('\n').slice(-5).join(' | ')}` : '';
    throw new InputError(`inventory script ${file} ${args.join(' ')} ${why}${stderr}`, loc, 'run it by hand with the same arguments; it must print JSON and exit 0');
  }
  try {
    return JSON.parse(stdout) as unknown;
  } catch (err) {
    throw new InputError(`inventory script ${file} ${args.join(' ')} did not print valid JSON: ${(err as Error).message}`, loc, "it must print Ansible's inventory JSON: groups with hosts/children/vars and _meta.hostvars");
  }
}

function names(value: unknown, file: string, what: string, loc: SourceLoc): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new InputError(`inventory script ${file}: ${what} must be a list of names, got ${JSON.stringify(value).slice(0, 80)}`, loc);
  }
  return value.map(String);
}

function isObject(v: unknown): v is Vars {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}
