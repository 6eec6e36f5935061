// vars_files entries whose names need variables (vars/{{ ansible_os_family }}.yml), resolved per
// host as Ansible's VariableManager does: each name rendered with the host's variables, the first
// candidate that exists read from the controller. Before the host has facts, an entry naming an
// undefined variable is left out (Ansible skips it until facts are gathered); after, it is an error.
// A host's facts only fill in a file name: their text is never rendered (UnsafeText), and a value
// that adds a `..` segment is refused, so what a host says cannot send the controller to read a file
// outside the folders the playbook names (Ansible would read it).
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import type { VarsFileEntry } from '../playbook/types.js';
import { varsFileCandidates } from '../playbook/vars-files.js';

/** A vars_files entry this host cannot read: its task fails, naming the entry (file:line:col). */
export class VarsFileError extends InputError {}

export interface VarsFileScope {
  /** What a name renders with, given the entries read so far: everything below vars_files in precedence, plus extra and magic variables (as Ansible). */
  varsWith(prior: readonly Vars[]): Vars;
  render(text: string, vars: Vars, loc: SourceLoc): unknown;
  /** The host has facts: an undefined variable is then a mistake, not "not gathered yet". */
  factsKnown: boolean;
  /** Reads a file (vault files decrypted), once per run. */
  load(path: string, loc: SourceLoc): Vars;
}

/** The entries' variables on one host, in order; entries left out until the host has facts are absent. */
export function resolveVarsFiles(entries: readonly VarsFileEntry[], scope: VarsFileScope): Vars[] {
  const out: Vars[] = [];
  for (const entry of entries) {
    if (entry.kind === 'loaded') {
      out.push(entry.vars);
      continue;
    }
    const found = findEntry(entry, scope.varsWith(out), scope);
    if (found) out.push(scope.load(found, entry.loc));
  }
  return out;
}

/** The first candidate that exists; undefined when a variable is not known yet (no facts). */
function findEntry(entry: Extract<VarsFileEntry, { kind: 'per-host' }>, vars: Vars, scope: VarsFileScope): string | undefined {
  const tried: string[] = [];
  const rendered: string[] = [];
  // As Ansible: names are rendered one at a time, in order, and the first that exists wins.
  for (const name of entry.names) {
    let value: unknown;
    try {
      value = scope.render(name, vars, entry.loc);
    } catch (err) {
      if (!isUndefinedVariable(err)) throw err;
      if (!scope.factsKnown) return undefined;
      const hint = 'the name is rendered with the host\'s facts, inventory, play and extra variables (not set_fact, register or include_vars values)';
      throw new VarsFileError(`vars_files: ${(err as InputError).message}`, entry.loc, (err as InputError).hint ? `${(err as InputError).hint}; ${hint}` : hint);
    }
    if (typeof value !== 'string' || value === '') {
      throw new VarsFileError(`vars_files: '${name}' rendered to ${JSON.stringify(value)}, not a file name`, entry.loc);
    }
    if (dotDots(value) > dotDots(name)) {
      throw new VarsFileError(`vars_files: '${name}' rendered to '${value}': a variable's value put '..' into the file name`, entry.loc, 'runbook refuses a vars file a value steers out of its folder (Ansible reads it); write the .. in the vars_files entry itself');
    }
    rendered.push(value);
    for (const path of varsFileCandidates(entry.dir, value)) {
      tried.push(path);
      if (existsSync(path)) return path;
    }
  }
  throw new VarsFileError(`vars file not found: ${rendered.join(' or ')} (from ${entry.names.map((n) => `'${n}'`).join(' or ')})`, entry.loc, `looked for ${tried.join(', ')}`);
}

function dotDots(path: string): number {
  return path.split('/').filter((s) => s === '..').length;
}

/** The templater's words for a name it cannot resolve (src/template/paths.ts, src/expr/evaluate.ts). */
function isUndefinedVariable(err: unknown): boolean {
  return err instanceof InputError && /undefined variable|is undefined/.test(err.message);
}
