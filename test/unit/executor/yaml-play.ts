// Runs a playbook written as YAML files (the real loader, templater and conditions, the real modules
// plus harness.ts's kv/note) on fake hosts, so Ansible-language tests read like the playbooks users write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Vars } from '../../../src/core/types.js';
import { defaultRunOptions, type RunOptions } from '../../../src/executor/options.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { compileExpr, evaluate, truthy } from '../../../src/expr/index.js';
import { getModule, moduleNames } from '../../../src/modules/registry.js';
import { setupModule } from '../../../src/modules/system/setup.js';
import type { Module } from '../../../src/modules/types.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Playbook } from '../../../src/playbook/types.js';
import { createTemplater } from '../../../src/template/index.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { harness, inventory, kvbModule, kvModule, noteModule, type Harness } from './harness.js';
import { scratchDir } from '../../support/temp-dir.js';

const extra: Module[] = [kvModule, kvbModule, noteModule];
export const modules = (name: string): Module | undefined => extra.find((m) => m.name === name) ?? getModule(name);

/** Writes `files` (path -> text) into a fresh folder; returns the folder. */
export function writeTree(files: Record<string, string>): string {
  const dir = scratchDir('runbook-yaml-play-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function loadTree(files: Record<string, string>, entry = 'site.yml'): Playbook {
  return loadPlaybook(join(writeTree(files), entry), { modules, moduleNames: [...moduleNames(), 'kv', 'kvb', 'note'] });
}

export interface YamlRun extends Harness {
  playbook: Playbook;
  run(): Promise<number>;
}

export interface YamlRunOptions {
  options?: Partial<RunOptions>;
  /** Inventory variables per host. */
  hostVars?: Record<string, Vars>;
  groups?: Record<string, string[]>;
  /** Output of setup's probe on every host, or per host (gather_facts); without it, setup fails like an unknown command. */
  facts?: ExecResult | Record<string, ExecResult>;
}

export function yamlRun(files: Record<string, string>, hosts: string[], o: YamlRunOptions = {}): YamlRun {
  const playbook = loadTree(files);
  const h = harness(playbook.plays, hosts, { ...defaultRunOptions(), ...o.options }, [], []);
  const templater = createTemplater();
  h.ctx.playbook = playbook;
  h.ctx.modules = modules;
  h.ctx.inventory = inventory(hosts, o.groups, o.hostVars);
  h.ctx.templating = { render: (v, vars, loc) => templater.render(v, vars, loc), renderText: (t, vars, file) => templater.renderText(t, vars, file) };
  h.ctx.conditions = {
    value: (e, vars, loc) => evaluate(compileExpr(e, loc), vars),
    test: (e, vars, loc) => truthy(evaluate(compileExpr(e, loc), vars)),
  };
  if (o.facts) {
    const probe = setupModule.probe({ filter: [] }, undefined as never).script;
    const factsOf = (name: string): ExecResult | undefined => ('stdout' in o.facts! ? (o.facts as ExecResult) : (o.facts as Record<string, ExecResult>)[name]);
    for (const host of h.hosts.values()) {
      const real = host.exec.bind(host);
      const facts = factsOf(host.host);
      if (!facts) continue;
      host.exec = async (script, options) => {
        if (script !== probe) return real(script, options);
        host.scripts.push(script);
        return facts;
      };
    }
  }
  return { ...h, playbook, run: () => runPlaybook(h.ctx) };
}
