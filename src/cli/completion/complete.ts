// What a shell should offer for the word being typed: commands, flags, playbook files, inventory
// hosts and groups after -l, module names after doc. The shell scripts ask this through
// `runbook __complete WORD...`, so the rules live here once for bash, zsh and fish.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { loadInventory } from '../../inventory/load.js';
import { inventorySources } from '../../inventory/sources.js';
import { moduleAliases, moduleNames } from '../../modules/registry.js';
import { STAGES } from '../../testing/stages.js';
import { buildProgram } from '../program.js';

/** Values of each command's positional arguments, in order, when they are a fixed set. */
const POSITIONAL_WORDS: Record<string, string[][]> = {
  vault: [['encrypt', 'decrypt', 'view', 'edit']],
  lab: [['up', 'down', 'status']],
  init: [['role', 'project']],
  completion: [['bash', 'zsh', 'fish']],
  roles: [['install']],
};

type Kind = 'playbook' | 'file' | 'dir' | 'module' | 'words';

/** `words`: what follows `runbook` on the command line, the last one being the word under the cursor (maybe empty). */
export function complete(words: string[], cwd = process.cwd()): string[] {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const program = buildProgram();
  const commands = program.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  if (before.length === 0) return startsWith([...commands.map((c) => c.name()), '--help', '--version'], current);
  const command = commands.find((c) => c.name() === before[0]);
  if (!command) return [];
  const options = command.options as readonly Option[];
  const optionFor = (word: string): Option | undefined => options.find((o) => o.long === word || o.short === word);

  const previous = before[before.length - 1]!;
  const valueOf = before.length > 1 ? optionFor(previous) : undefined;
  if (valueOf && (valueOf.required || valueOf.optional)) return optionValues(valueOf, current, before, cwd);
  if (current.startsWith('-')) return startsWith(options.flatMap((o) => [o.long, o.short]).filter((f): f is string => Boolean(f)), current);

  // Which positional argument this is: the words after the command that are neither flags nor their values.
  let position = 0;
  for (let i = 1; i < before.length; i++) {
    const word = before[i]!;
    if (word.startsWith('-')) {
      const o = optionFor(word);
      if (o && (o.required || o.optional)) i++;
      continue;
    }
    position++;
  }
  const fixed = POSITIONAL_WORDS[command.name()]?.[position];
  if (fixed) return startsWith(fixed, current);
  const kind: Kind | undefined = ({ apply: 'playbook', doc: 'module', vault: 'file', test: 'playbook', init: 'dir', compat: 'dir' } as Record<string, Kind>)[command.name()];
  if (!kind || (command.name() !== 'vault' && position > 0) || (command.name() === 'doc' && position > 0)) return [];
  if (kind === 'module') return startsWith([...moduleNames(), ...Object.keys(moduleAliases())].filter((n, i, all) => all.indexOf(n) === i).sort(), current);
  if (kind === 'dir') return files(current, cwd, () => false);
  return files(current, cwd, kind === 'playbook' ? (f) => /\.ya?ml$/.test(f) : () => true);
}

function optionValues(option: Option, current: string, before: string[], cwd: string): string[] {
  if (option.long === '--limit') return limitValues(current, before, cwd);
  if (option.long === '--only') return startsWith([...STAGES], current);
  if (option.long === '--inventory') return files(current, cwd, (f) => /\.(ya?ml|ini|json)$|^hosts/.test(f) || !f.includes('.'));
  if (option.long === '--extra-vars' && current.startsWith('@')) return files(current.slice(1), cwd, () => true).map((f) => `@${f}`);
  if (['--private-key', '--vault-password-file', '--known-hosts', '--report', '--junit', '--json', '--roles-path', '--role-file', '--dir', '--path'].includes(option.long ?? '')) {
    return files(current, cwd, () => true);
  }
  return [];
}

/** Hosts and groups of the inventory the command line names (-i), or runbook.cfg's; a pattern's last part is completed. */
function limitValues(current: string, before: string[], cwd: string): string[] {
  const i = Math.max(before.lastIndexOf('-i'), before.lastIndexOf('--inventory'));
  try {
    const config = loadConfig(cwd);
    const value = i >= 0 && before[i + 1] ? before[i + 1]! : config.inventory;
    if (!value) return [];
    const inventory = loadInventory(inventorySources(value, i >= 0 ? cwd : dirname(config.file ?? join(cwd, 'x'))));
    const cut = Math.max(...[':', ',', '&', '!'].map((s) => current.lastIndexOf(s))) + 1;
    const head = current.slice(0, cut);
    const names = [...new Set([...Object.keys(inventory.groups), ...inventory.hosts])].sort();
    return startsWith(names, current.slice(cut)).map((n) => head + n);
  } catch {
    // A broken inventory completes nothing; the run itself will say what is wrong.
    return [];
  }
}

/** Entries of the folder being typed: folders (with /) and the files `keep` accepts; hidden ones only when asked for. */
function files(current: string, cwd: string, keep: (name: string) => boolean): string[] {
  const slash = current.lastIndexOf('/');
  const dirPart = current.slice(0, slash + 1);
  const prefix = current.slice(slash + 1);
  const dir = resolve(cwd, dirPart || '.');
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of entries.sort()) {
    if (!name.startsWith(prefix) || (name.startsWith('.') && !prefix.startsWith('.')) || name === 'node_modules') continue;
    let isDir = false;
    try {
      isDir = statSync(join(dir, name)).isDirectory();
    } catch {
      continue;
    }
    if (isDir) out.push(`${dirPart}${name}/`);
    else if (keep(name)) out.push(`${dirPart}${name}`);
  }
  return out;
}

const startsWith = (candidates: readonly string[], prefix: string): string[] => candidates.filter((c) => c.startsWith(prefix));
