// The one way runbook reads YAML: plain JS values with Ansible's expectations, and syntax
// errors as InputError with file:line:col.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { Converter } from './convert.js';

export { keyLocOf, locAt, locOf } from './locs.js';

/** Parses YAML text; `file` names it in errors. An empty document is null. */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2' });
    const converter = new Converter(doc, lineCounter, file);
    const error = doc.errors[0];
    if (error?.message.includes('Maximum call stack')) throw new RangeError(error.message);
    if (error) {
      throw new InputError(`YAML syntax error: ${error.message}`, converter.at(error.pos[0]), syntaxHint(error.code));
    }
    return converter.convert(doc.contents);
  } catch (e) {
    // The YAML reader and the converter recurse per level: nesting thousands deep is hostile input.
    if (e instanceof RangeError) throw tooDeep(source, file);
    throw e;
  }
}

/** Points at the line that opens the most levels, where the nesting is worst. */
function tooDeep(source: string, file: string): InputError {
  const lines = source.split('\n');
  let worst = 0;
  let worstScore = -1;
  lines.forEach((line, i) => {
    const score = (line.match(/^ */)?.[0].length ?? 0) + (line.match(/[[{]|(^|[ \[{,])[-?] |: /g)?.length ?? 0);
    if (score > worstScore) [worst, worstScore] = [i, score];
  });
  return new InputError('YAML nested too deeply to read', { file, line: worst + 1, col: 1 }, 'real playbooks nest a few dozen levels; flatten the data');
}

/** Reads and parses a YAML (or JSON) file. `from` is where the file was referenced, for a missing file. */
export function loadYamlFile(path: string, from?: SourceLoc): unknown {
  return parseYaml(readText(path, from), path);
}

/** Reads a UTF-8 file, turning "not found" into an InputError pointing at the reference. */
export function readText(path: string, from?: SourceLoc): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? String(e)})`;
    throw new InputError(`${path}: ${why}`, from);
  }
}

function syntaxHint(code: string): string | undefined {
  if (code === 'MULTIPLE_DOCS') return 'runbook reads one YAML document per file; remove the extra "---"';
  if (code === 'TAB_AS_INDENT') return 'indent with spaces, not tabs';
  return 'check the indentation, and quote values that contain ": " or start with "{{", "[", "*" or "&"';
}
