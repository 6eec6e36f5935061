// Hostile YAML: inputs built to exhaust time or stack must end as a bad-input error at
// file:line:col, never as a hang or an internal crash.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseYaml } from '../../../src/yaml/load.js';
import { expectInputError, fixture } from './helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PLAYBOOK_LOAD = pathToFileURL(join(HERE, '..', '..', '..', 'src', 'playbook', 'load.js')).href;

interface Outcome {
  /** The InputError's describe(), or undefined when loading succeeded. */
  error?: string;
  loc?: { file: string; line: number; col: number };
  /** Set when the child had to be killed: the loader hung. */
  hung?: boolean;
}

/**
 * Loads a playbook in a child process with a kill timer: a loader that walks repeated aliases
 * again and again would run for minutes, and the test must fail on that, not hang. The timer
 * is a hang detector, not a speed assertion (a correct loader answers in well under a second).
 */
function loadInChild(file: string): Promise<Outcome> {
  const script = `
    const { loadPlaybook } = await import(${JSON.stringify(PLAYBOOK_LOAD)});
    try { await loadPlaybook(${JSON.stringify(file)}, {}); process.stdout.write(JSON.stringify({})); }
    catch (e) { process.stdout.write(JSON.stringify({ error: e.describe ? e.describe() : String(e.stack), loc: e.loc })); }
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000, killSignal: 'SIGKILL' }, (err, stdout) => {
      if (err && err.killed) resolve({ hung: true });
      else resolve(JSON.parse(stdout || '{}') as Outcome);
    });
  });
}

describe('yaml/hostile input', () => {
  it('refuses a billion-laughs playbook (nested repeated aliases) with an error at the alias', async () => {
    const file = fixture('hostile', 'billion-laughs.yml');
    const out = await loadInChild(file);
    expect(out.hung, 'the loader hung walking repeated aliases').to.not.equal(true);
    expect(out.error, 'expected a bad-input error').to.be.a('string');
    expect(out.error).to.match(/alias/i);
    expect(out.error).to.match(/cap/i);
    expect(out.loc?.file).to.equal(file);
    expect(out.loc?.line).to.be.greaterThan(4);
  });
});

describe('yaml/aliases within the cap', () => {
  it('still shares an anchor used many times', () => {
    const uses = Array.from({ length: 200 }, (_, i) => `  u${i}: *base`).join('\n');
    const v = parseYaml(`base: &base {a: 1, b: [x, y]}\nall:\n${uses}\n`, 'f.yml') as { all: Record<string, unknown> };
    expect(v.all.u199).to.deep.equal({ a: 1, b: ['x', 'y'] });
  });
});

describe('yaml/deep nesting', () => {
  it('a list nested 100000 levels deep is a bad-input error at its line, not an internal crash', () => {
    const text = `a: 1\nb:\n  ${'- '.repeat(100_000)}1\n`;
    expectInputError(() => parseYaml(text, 'deep.yml'), 'deep.yml', 3, 1, 'nested too deeply');
  });

  it('a flow mapping nested 100000 levels deep is refused the same way', () => {
    const text = `a: 1\nb: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`;
    expectInputError(() => parseYaml(text, 'deep.yml'), 'deep.yml', 2, 1, 'nested too deeply');
  });
});
