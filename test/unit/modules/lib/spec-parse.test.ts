// The one argument validator, driven by a spec: a table of arguments in, parsed values or the
// error (and its hint) out. The same spec also gives the schema and the reference (checked here too).
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseSpec } from '../../../../src/modules/lib/spec-parse.js';
import { defineSpec, specArgNames, specFields, type ArgsOf } from '../../../../src/modules/spec.js';
import { argDefaultText, argTypeWord, specProperties } from '../../../../src/schema/spec-schema.js';

const loc = { file: 'play.yml', line: 7, col: 5 };

const spec = defineSpec({
  description: 'A module for the tests.',
  args: {
    path: { type: 'str', required: true, aliases: ['dest'], description: 'The path.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', unsupported: { hard: 'use present' }, description: 'The state.' },
    force: { type: 'bool', default: false, description: 'Force.' },
    count: { type: 'int', min: 1, max: 9, description: 'How many.' },
    names: { type: 'list', default: [], description: 'Names.' },
    env: { type: 'dict', description: 'Environment.' },
    src: { type: 'str', description: 'Source.' },
    content: { type: 'raw', description: 'Content.' },
    password: { type: 'str', noLog: true, aliases: ['pass'], description: 'A secret.' },
    user: { type: 'str', description: 'User.' },
    group: { type: 'str', description: 'Group.' },
  },
  mutuallyExclusive: [['src', 'content']],
  requiredTogether: [['user', 'group']],
  requiredIf: [['state', 'absent', ['src', 'content'], true]],
  examples: '- tested: {path: /x}',
});

function parse(raw: Record<string, unknown>): ArgsOf<typeof spec> {
  return parseSpec('tested', spec, raw, loc).args;
}

function error(raw: Record<string, unknown>): InputError {
  try {
    parse(raw);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(raw)}`);
}

describe('modules/lib/spec-parse', () => {
  it('gives typed values with the defaults, aliases folded', () => {
    const a = parse({ dest: '/x', force: 'yes', count: '3', names: 'one' });
    // Compile-time: these assignments only type-check because ArgsOf reads the spec.
    const path: string = a.path;
    const state: 'present' | 'absent' = a.state;
    const force: boolean = a.force;
    const names: string[] = a.names;
    const count: number | undefined = a.count;
    expect({ path, state, force, names, count }).to.deep.equal({ path: '/x', state: 'present', force: true, names: ['one'], count: 3 });
    expect(parse({ path: 7 }).path).to.equal('7');
  });

  const refusals: [string, Record<string, unknown>, RegExp, RegExp?][] = [
    ['missing required', {}, /^tested: 'path' is required$/],
    ['unknown, with did-you-mean', { path: '/x', forse: true }, /has no argument 'forse'/, /did you mean 'force'/],
    ['a choice outside the list', { path: '/x', state: 'gone' }, /'state' must be one of present, absent; got 'gone'/],
    ['a value Ansible takes and runbook refuses', { path: '/x', state: 'hard' }, /state=hard is not supported/, /use present/],
    ['not a boolean', { path: '/x', force: 'maybe' }, /'force' must be a boolean/],
    ['below min', { path: '/x', count: 0 }, /'count' must be a whole number of at least 1/],
    ['above max', { path: '/x', count: 10 }, /'count' must be at most 9/],
    ['not a mapping', { path: '/x', env: 'A=1' }, /'env' must be a mapping/],
    ['an argument and its alias', { path: '/x', dest: '/y' }, /'dest' and 'path' name the same argument/],
    ['mutually exclusive', { path: '/x', src: 'a', content: 'b' }, /'src' and 'content' are mutually exclusive/],
    ['required together', { path: '/x', user: 'u' }, /'user' needs 'group' too/],
    ['required if, one of', { path: '/x', state: 'absent' }, /one of 'src' or 'content' is required with state=absent/],
  ];
  for (const [what, raw, message, hint] of refusals) {
    it(`refuses ${what}, at the task's file:line:col`, () => {
      const err = error(raw);
      expect(err.message).to.match(message);
      expect(err.loc).to.deep.equal(loc);
      if (hint) expect(err.hint).to.match(hint);
    });
  }

  it('gives the loader every name, the executor the secret ones, and the schema and reference the same facts', () => {
    expect(specArgNames(spec)).to.include.members(['path', 'dest', 'password', 'pass']);
    expect(specFields(spec).noLogArgs).to.deep.equal(['password', 'pass']);
    const props = specProperties(spec);
    expect(props.dest!.description).to.equal('Alias of path.');
    expect(props.state!.default).to.equal('present');
    expect(argTypeWord(spec.args.state)).to.equal('choice');
    expect(argDefaultText(spec.args.names)).to.equal('[]');
  });
});
