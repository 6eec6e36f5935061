// Which schema each YAML file of the repository is checked against, by path, and the fixtures
// that are broken on purpose: what the schema must say about them, or why it cannot see the fault.
import { readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { ROOT, type Kind } from './support.js';

export type Verdict =
  /** Must validate. `loaderRefuses`: broken on purpose in a way beyond a schema (the loader tests use it). */
  | { kind: Kind; loaderRefuses?: string }
  /** Broken on purpose and the schema must say so, at this instance path (as the editor would underline it). */
  | { kind: Kind; rejectedAt: string }
  /** Not checked, and why. */
  | { skip: string };

const BEYOND = {
  file: 'names a file that does not exist: only the loader can look',
  role: 'names a role that does not exist: only the loader can look',
  loop: 'an import loop across files: only the loader follows imports',
  hosts: 'duplicate or malformed host names: the loader expands ranges and compares',
};

/** Files the path rules would misjudge: fixtures broken on purpose for the loader's tests, and odd places. */
const OVERRIDES: Record<string, Verdict> = {
  'test/fixtures/loader/playbook/features/tasks/handlers.yml': { kind: 'handlers' },
  'test/fixtures/loader/playbook/bad/bad-bool.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/ignore_errors' },
  'test/fixtures/loader/playbook/bad/bad-serial.yml': { kind: 'playbook', rejectedAt: '/0/serial' },
  'test/fixtures/loader/playbook/bad/bad-connection.yml': { kind: 'playbook', rejectedAt: '/0/connection' },
  'test/fixtures/loader/playbook/bad/bad-gather-subset.yml': { skip: 'the schema takes any subset name; the loader checks them against setup\'s list' },
  'test/fixtures/loader/playbook/bad/env-bad-name.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/environment' },
  'test/fixtures/loader/playbook/bad/env-list-value.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/environment/PATHS' },
  'test/fixtures/loader/playbook/bad/env-text.yml': { kind: 'playbook', rejectedAt: '/0/environment' },
  'test/fixtures/loader/playbook/bad/duplicate-key.yml': { skip: 'a duplicate key is a YAML error, which the editor reports before any schema' },
  'test/fixtures/loader/playbook/bad/free-text.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/copy' },
  'test/fixtures/loader/playbook/bad/import-loop.yml': { kind: 'playbook', loaderRefuses: BEYOND.loop },
  'test/fixtures/loader/playbook/bad/loop-a.yml': { kind: 'tasks', loaderRefuses: BEYOND.loop },
  'test/fixtures/loader/playbook/bad/loop-b.yml': { kind: 'tasks', loaderRefuses: BEYOND.loop },
  'test/fixtures/loader/playbook/bad/import-missing.yml': { kind: 'playbook', loaderRefuses: BEYOND.file },
  'test/fixtures/loader/playbook/bad/import-with-loop.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/listen-in-task.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/loop-and-items.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/with_items' },
  'test/fixtures/loader/playbook/bad/missing-hosts.yml': { kind: 'playbook', rejectedAt: '/0' },
  'test/fixtures/loader/playbook/bad/missing-role.yml': { kind: 'playbook', loaderRefuses: BEYOND.role },
  'test/fixtures/loader/playbook/bad/missing-vars-file.yml': { kind: 'playbook', loaderRefuses: BEYOND.file },
  'test/fixtures/loader/playbook/bad/no-module.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/not-a-list.yml': { kind: 'playbook', rejectedAt: '' },
  'test/fixtures/loader/playbook/bad/octal.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/file/mode' },
  'test/fixtures/loader/playbook/bad/task-as-play.yml': { kind: 'playbook', rejectedAt: '/0' },
  'test/fixtures/loader/playbook/bad/two-modules.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/unknown-arg-kv.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/copy' },
  'test/fixtures/loader/playbook/bad/unknown-arg.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0/copy' },
  'test/fixtures/loader/playbook/bad/unknown-block-keyword.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/unknown-module.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/unknown-play-keyword.yml': { kind: 'playbook', rejectedAt: '/0' },
  'test/fixtures/loader/playbook/bad/unknown-task-keyword.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/bad/unsupported-keyword.yml': { kind: 'playbook', rejectedAt: '/0/tasks/0' },
  'test/fixtures/loader/playbook/features/handler-block.yml': { kind: 'playbook', rejectedAt: '/0/handlers/0' },
  'test/fixtures/loader/playbook/features/templated-vars-file.yml': { kind: 'playbook' },
  'test/fixtures/loader/playbook/features/close-role.yml': { kind: 'playbook', loaderRefuses: BEYOND.role },
  'test/fixtures/loader/inventory/bad/dup-host.yml': { kind: 'inventory', loaderRefuses: BEYOND.hosts },
  'test/fixtures/loader/inventory/bad/range.yml': { kind: 'inventory', loaderRefuses: BEYOND.hosts },
  'test/fixtures/loader/inventory/bad/loop.yml': { kind: 'inventory', loaderRefuses: 'a loop of children groups: only the loader follows them' },
  'test/fixtures/loader/inventory/bad/dup-key.yml': { skip: 'a duplicate key is a YAML error, which the editor reports before any schema' },
  'test/fixtures/loader/inventory/bad/syntax.yml': { skip: 'a YAML syntax error, which the editor reports before any schema' },
  'test/fixtures/loader/hostile/billion-laughs.yml': { skip: 'nested aliases built to exhaust a YAML reader; the loader refuses it (test/unit/yaml/hostile.test.ts)' },
  'test/fixtures/loader/inventory/bad/hosts-list.yml': { kind: 'inventory', rejectedAt: '/all/children/web/hosts' },
  'test/fixtures/loader/inventory/bad/list.yml': { kind: 'inventory', rejectedAt: '' },
  'test/fixtures/loader/inventory/bad/unknown-key.yml': { kind: 'inventory', rejectedAt: '/all/children/web' },
  'test/fixtures/loader/inventory/bad/group-vars-octal/group_vars/web.yml': { kind: 'vars' },
  'test/fixtures/loader/yaml/octal.yml': { kind: 'vars' },
  // RedHat-only tasks runbook has no modules for, reached only through OS-guarded includes (issue 14).
  'test/fixtures/os-guarded-role/roles/greeter/tasks/setup-RedHat.yml': { kind: 'tasks', rejectedAt: '/0' },
  'test/fixtures/os-guarded-role/roles/greeter_selinux/tasks/main.yml': { kind: 'tasks', rejectedAt: '/0' },
  // mode: 0644 unquoted, as Galaxy roles write it: runbook reads YAML 1.1 octal; a schema sees only 644 and asks for quotes.
  'test/fixtures/os-guarded-role/roles/greeter/tasks/main.yml': { kind: 'tasks', rejectedAt: '/6/copy/mode' },
  'test/fixtures/loader/vars/list.yml': { kind: 'vars', rejectedAt: '' },
  'test/fixtures/vault/ansible-1.1.yml': { skip: 'an encrypted vault file: YAML only once decrypted' },
  'test/differential/cases.yml': { skip: 'the differential table: its tasks become a playbook only once the suite names and batches them' },
  'test/differential/accepted.yml': { skip: "the differential suite's list of accepted differences, not Ansible content" },
  'test/fixtures/vault/ansible-1.2.yml': { skip: 'an encrypted vault file: YAML only once decrypted' },
};

/** By path, first match wins. Paths are relative to the repository root, with `/`. */
const RULES: [RegExp, Verdict][] = [
  [/^test\/fixtures\/custom-modules\/(site\.yml|roles\/[^/]+\/tasks\/)/, { skip: "calls the fixture role's own library/ modules, which the schema (runbook's built-ins) cannot know" }],
  [/^bench\/ansible\//, { skip: "Ansible's own version of the seed job for the benchmark: Jinja2 and Ansible modules, not runbook's language" }],
  [/(^|\/)runbook-test\.yml$/, { skip: 'a runbook test scenario (docs/testing-roles.md): checked by its own reader, no schema yet' }],
  [/(^|\/)roles\/[^/]+\/tests\/[^/]+\.yml$/, { kind: 'playbook' }],
  [/(^|\/)roles\/[^/]+\/tasks\//, { kind: 'tasks' }],
  [/(^|\/)roles\/[^/]+\/handlers\//, { kind: 'handlers' }],
  [/(^|\/)roles\/[^/]+\/(defaults|vars)\//, { kind: 'vars' }],
  [/(^|\/)roles\/[^/]+\/meta\//, { skip: 'role metadata (dependencies, argument_specs): no schema yet' }],
  [/(^|\/)(group_vars|host_vars)\//, { kind: 'vars' }],
  [/(^|\/)tasks\/[^/]+$/, { kind: 'tasks' }],
  [/(^|\/)handlers\/[^/]+$/, { kind: 'handlers' }],
  [/(^|\/)vars\/[^/]+$/, { kind: 'vars' }],
  [/(^|\/)inventor(y|ies)[^/]*\//, { kind: 'inventory' }],
  [/^test\/fixtures\/vault\//, { kind: 'vars' }],
  [/^(playbooks|bench|test\/fixtures)\//, { kind: 'playbook' }],
];

const PRUNE = new Set(['node_modules', 'dist', '.git', '.lab', 'schema']);
const YAML = new Set(['.yml', '.yaml']);

/** Every YAML file of the repository, plus extension-less or .json vars files under group_vars/host_vars. */
export function repoYamlFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (PRUNE.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...repoYamlFiles(path));
    else if (entry.isFile() && (YAML.has(extname(entry.name)) || inVarsDir(rel(path)))) out.push(rel(path));
  }
  return out.sort();
}

const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');
const inVarsDir = (p: string): boolean => /(^|\/)(group_vars|host_vars)\//.test(p) && ['', '.json', '.yml', '.yaml'].includes(extname(p)) && !p.endsWith('.md');

/** The verdict for one repository path, or undefined when no rule knows the file (a new kind of file: add a rule). */
export function classify(path: string): Verdict | undefined {
  return OVERRIDES[path] ?? RULES.find(([re]) => re.test(path))?.[1];
}

export const OVERRIDE_PATHS = Object.keys(OVERRIDES);

/** A yaml.schemas glob as yaml-language-server matches it: anywhere below the workspace (it prefixes **\/). */
export function editorGlob(glob: string): RegExp {
  const body = glob.replace(/^\//, '').split(/(\*\*\/|\*)/).map((part) => {
    if (part === '**/') return '(?:[^/]+/)*';
    if (part === '*') return '[^/]*';
    return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`(?:^|/)${body}$`);
}
