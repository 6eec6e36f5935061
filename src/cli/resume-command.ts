// Spells the command that resumes a stopped run: this run's own argv with --limit (and
// --start-at-task) replaced, every word quoted for sh, and no option value that holds a secret.
import { realpathSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, relative } from 'node:path';
import type { Option } from 'commander';
import { shQuote } from '../core/shell.js';
import type { ResumeCommand, ResumeRequest } from '../executor/resume.js';
import { buildProgram } from './program.js';

interface Word {
  /** The option, or undefined for a positional word (the subcommand, the playbook). */
  option?: Option;
  /** The flag as the user spelt it (-e, --extra-vars); a short flag split out of a cluster is written alone. */
  flag?: string;
  value?: string;
  text?: string;
}

export interface ResumeContext {
  /** process.argv. */
  argv: readonly string[];
  cwd: string;
  /** PATH, to tell whether `node` and `runbook` there are the ones running now. */
  path?: string;
}

function applyOptions(): readonly Option[] {
  return buildProgram().commands.find((c) => c.name() === 'apply')?.options ?? [];
}

/** Splits the words after `apply` the way commander reads them: --long=value, -xVALUE, -abc clusters, `--`. */
function parseWords(words: readonly string[], options: readonly Option[]): Word[] {
  const byFlag = new Map<string, Option>();
  for (const o of options) {
    if (o.short) byFlag.set(o.short, o);
    if (o.long) byFlag.set(o.long, o);
  }
  const takesValue = (o: Option): boolean => o.required || o.optional;
  const out: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      out.push(...words.slice(i).map((text) => ({ text })));
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const flag = eq < 0 ? w : w.slice(0, eq);
      const option = byFlag.get(flag);
      if (!option) out.push({ text: w });
      else if (!takesValue(option)) out.push({ option, flag });
      else out.push({ option, flag, value: eq < 0 ? (words[++i] ?? '') : w.slice(eq + 1) });
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const flag = `-${w[j]}`;
        const option = byFlag.get(flag);
        if (!option) {
          out.push({ text: j === 1 ? w : `-${w.slice(j)}` });
          break;
        }
        if (takesValue(option)) {
          out.push({ option, flag, value: j + 1 < w.length ? w.slice(j + 1) : (words[++i] ?? '') });
          break;
        }
        out.push({ option, flag });
      }
      continue;
    }
    out.push({ text: w });
  }
  return out;
}

/** The PATH entry `name` resolves to, realpath'd, if any. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      return realpathSync(join(dir, name));
    } catch {
      /* not in this directory */
    }
  }
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** How this runbook was started: `npx runbook`, `runbook` from PATH, or node and the script. */
function launcher(ctx: ResumeContext): string[] {
  const [node = 'node', script = 'runbook'] = ctx.argv;
  if (/(^|\/)node_modules\/\.bin\/runbook$/.test(script)) return ['npx', 'runbook'];
  if (basename(script) === 'runbook' && onPath('runbook', ctx.path) !== undefined && sameFile(onPath('runbook', ctx.path)!, script)) return ['runbook'];
  const nodeWord = onPath('node', ctx.path) !== undefined && sameFile(onPath('node', ctx.path)!, node) ? 'node' : node;
  const rel = relative(ctx.cwd, script);
  const scriptWord = isAbsolute(script) && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script;
  return [nodeWord, scriptWord];
}

/** One host list for --limit. A lone name holding `:` gets a trailing comma, so it is not read as `a:b`. */
function limitPattern(hosts: readonly string[]): string {
  const list = hosts.join(',');
  return hosts.length === 1 && list.includes(':') ? `${list},` : list;
}

export function resumeCommand(ctx: ResumeContext, request: ResumeRequest): ResumeCommand {
  const args = ctx.argv.slice(2);
  const at = args.indexOf('apply');
  const words = parseWords(args.slice(at + 1), applyOptions());
  const kept: string[] = [...launcher(ctx), ...args.slice(0, at + 1)];
  const notes: string[] = [];
  for (const w of words) {
    const name = w.option?.attributeName();
    if (name === 'limit') continue;
    if (name === 'startAtTask' && request.startAtTask !== undefined) continue;
    const value = w.value ?? w.text;
    if (value !== undefined && request.isSecret(value)) {
      notes.push(`left out ${w.flag ?? 'a word'} with a value holding a secret: give it again (or keep it in a vars file: -e @secrets.yml)`);
      continue;
    }
    if (w.text !== undefined) kept.push(w.text);
    else kept.push(w.flag!, ...(w.value !== undefined ? [w.value] : []));
  }
  kept.push('--limit', limitPattern(request.hosts));
  if (request.startAtTask !== undefined) kept.push('--start-at-task', request.startAtTask);
  return { command: kept.map(shQuote).join(' '), cwd: ctx.cwd, notes };
}
