// Reads runbook-test.yml: which lab hosts a role or playbook is tried on, with which variables, and
// how it is verified. Everything is checked here, before any host is created.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { checkHostName, MAX_HOSTS } from '../lab/names.js';
import type { LabHostSpec } from '../lab/shape.js';
import { toInt, toName, toStringList, toVars } from '../playbook/values.js';
import { rejectKeyword } from '../playbook/keywords.js';
import { expectList, expectMapping } from '../yaml/expect.js';
import { loadYamlFile, locAt } from '../yaml/load.js';
import { keyLocAt } from '../yaml/locs.js';

export const SCENARIO_FILE = 'runbook-test.yml';
const KEYS = ['platforms', 'host_vars', 'group_vars', 'converge', 'verify'] as const;
const PLATFORM_KEYS = ['name', 'count', 'groups'] as const;

export interface Scenario {
  /** The folder the scenario belongs to (the role, or the playbook's folder). */
  dir: string;
  /** runbook-test.yml, when there is one. */
  file?: string;
  /** What to converge with: a role folder (applied to all hosts) or a playbook file. */
  converge: { role: string } | { playbook: string };
  hosts: LabHostSpec[];
  hostVars: Record<string, Vars>;
  groupVars: Record<string, Vars>;
  /** The verify playbook, if any. */
  verify?: string;
}

const isRole = (dir: string): boolean => ['main.yml', 'main.yaml'].some((f) => existsSync(join(dir, 'tasks', f)));

/**
 * PATH is a role folder, a folder holding runbook-test.yml, or a playbook file. Without a scenario
 * file a role gets one host named instance, and tests/verify.yml when there is one.
 */
export function loadScenario(path: string): Scenario {
  const target = resolve(path);
  if (!existsSync(target)) throw new InputError(`runbook test: ${path} does not exist`, undefined, 'give a role folder, a folder with runbook-test.yml, or a playbook');
  const isFile = statSync(target).isFile();
  const dir = isFile ? dirname(target) : target;
  const file = join(dir, SCENARIO_FILE);
  const scenario: Scenario = {
    dir,
    converge: isFile ? { playbook: target } : { role: dir },
    hosts: [{ name: 'instance', groups: [] }],
    hostVars: {},
    groupVars: {},
  };
  const defaultVerify = join(dir, 'tests', 'verify.yml');
  if (existsSync(defaultVerify)) scenario.verify = defaultVerify;
  if (existsSync(file) && !(isFile && basename(target) === SCENARIO_FILE)) readScenarioFile(file, scenario, isFile);
  if ('role' in scenario.converge && !isRole(scenario.converge.role)) {
    throw new InputError(
      `runbook test: ${path} is not a role (no tasks/main.yml)${existsSync(file) ? ` and ${SCENARIO_FILE} names no converge: playbook` : ''}`,
      existsSync(file) ? { file, line: 1, col: 1 } : undefined,
      `add converge: site.yml to ${SCENARIO_FILE}, or give the playbook: runbook test site.yml`,
    );
  }
  return scenario;
}

function readScenarioFile(file: string, scenario: Scenario, givenPlaybook: boolean): void {
  scenario.file = file;
  const top: SourceLoc = { file, line: 1, col: 1 };
  const doc = loadYamlFile(file);
  if (doc === null) return;
  const map = expectMapping(doc, SCENARIO_FILE, top);
  for (const key of Object.keys(map)) {
    if (!(KEYS as readonly string[]).includes(key)) rejectKeyword(key, `in ${SCENARIO_FILE}`, KEYS, keyLocAt(map, key, top));
  }
  const at = (key: string): SourceLoc => locAt(map, key, top);
  if (map.platforms !== undefined && map.platforms !== null) scenario.hosts = readPlatforms(map.platforms, at('platforms'));
  const names = new Set(scenario.hosts.map((h) => h.name));
  for (const [key, target] of [['host_vars', 'hostVars'], ['group_vars', 'groupVars']] as const) {
    if (map[key] === undefined || map[key] === null) continue;
    const vars = expectMapping(map[key], key, at(key));
    for (const [name, value] of Object.entries(vars)) {
      const loc = locAt(vars, name, at(key));
      if (key === 'host_vars' && !names.has(name)) {
        throw new InputError(`host_vars: no platform host named '${name}'`, keyLocAt(vars, name, loc), `the hosts are ${[...names].join(', ')}`);
      }
      scenario[target][name] = value === null ? {} : toVars(value, `${key}.${name}`, loc);
    }
  }
  if (map.converge !== undefined && !givenPlaybook) {
    const playbook = resolve(scenario.dir, toName(map.converge, 'converge', at('converge')));
    if (!existsSync(playbook)) throw new InputError(`converge: ${map.converge as string} does not exist`, at('converge'), 'name the playbook to converge with, relative to this file');
    scenario.converge = { playbook };
  }
  if (map.verify !== undefined && map.verify !== null) {
    const verify = resolve(scenario.dir, toName(map.verify, 'verify', at('verify')));
    if (!existsSync(verify)) throw new InputError(`verify: ${map.verify as string} does not exist`, at('verify'), 'name a playbook of assert, uri and stat tasks, relative to this file');
    scenario.verify = verify;
  }
}

/** Each platform is a host, or `count` hosts named NAME1..NAMEn, in the groups listed. */
function readPlatforms(value: unknown, loc: SourceLoc): LabHostSpec[] {
  const list = expectList(value, 'platforms', loc, 'write platforms: [{name: web, count: 2, groups: [web]}]');
  const hosts: LabHostSpec[] = [];
  for (const [i, entry] of list.entries()) {
    const at = locAt(list, i, loc);
    const p = expectMapping(entry, 'a platform', at, 'write {name: web, count: 2, groups: [web]}');
    for (const key of Object.keys(p)) {
      if (!(PLATFORM_KEYS as readonly string[]).includes(key)) rejectKeyword(key, 'in a platform', PLATFORM_KEYS, keyLocAt(p, key, at));
    }
    if (p.name === undefined) throw new InputError('a platform needs a name', at, 'write {name: instance}');
    const name = toName(p.name, 'name', locAt(p, 'name', at));
    const groups = toStringList(p.groups, 'groups', locAt(p, 'groups', at));
    const count = p.count === undefined ? undefined : toInt(p.count, 'count', locAt(p, 'count', at), 1);
    const names = count === undefined ? [name] : Array.from({ length: count }, (_, n) => `${name}${n + 1}`);
    for (const n of names) {
      try {
        checkHostName(n);
      } catch (err) {
        throw new InputError(`platform host name '${n}' cannot be a lab host name`, locAt(p, 'name', at), (err as InputError).hint);
      }
      if (hosts.some((h) => h.name === n)) throw new InputError(`platform host '${n}' is listed twice`, at);
      hosts.push({ name: n, groups });
    }
  }
  if (hosts.length === 0) throw new InputError('platforms is empty', loc, 'list at least one host, or leave platforms out for one host named instance');
  if (hosts.length > MAX_HOSTS) throw new InputError(`platforms: ${hosts.length} hosts, a lab holds at most ${MAX_HOSTS}`, loc);
  return hosts;
}
