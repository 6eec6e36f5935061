// Every error names its troubleshooting entry, and every such entry exists in docs/troubleshooting.md.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AbortError,
  InputError,
  InterruptedError,
  RunbookError,
  TROUBLESHOOTING_ANCHORS,
  TROUBLESHOOTING_PAGE,
  TaskFailure,
  UnreachableError,
  seeLine,
} from '../../../src/core/errors.js';
import { LabError } from '../../../src/lab/exec.js';
import { BecomeFailure } from '../../../src/transport/become.js';

// Compiled: dist/test/unit/core; run from source: test/unit/core.
const repoRoot = new URL(import.meta.url.includes('/dist/') ? '../../../../' : '../../../', import.meta.url);

/** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): string[] {
  let fence = false;
  const anchors: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (m) anchors.push(m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}

const page = readFileSync(fileURLToPath(new URL(TROUBLESHOOTING_PAGE, repoRoot)), 'utf8');
const anchors = headingAnchors(page);

/** Every error class runbook throws, with the entry it links to by default. */
const classes = [RunbookError, InputError, UnreachableError, TaskFailure, AbortError, InterruptedError, LabError, BecomeFailure];

describe('core/errors: troubleshooting links', () => {
  it('reads the page\'s headings as GitHub anchors', () => {
    expect(headingAnchors('# Trouble shooting\n## host-key-changed\n```\n## not a heading\n```\n## `x` and Y!')).to.deep.equal([
      'trouble-shooting', 'host-key-changed', 'x-and-y',
    ]);
  });

  for (const anchor of TROUBLESHOOTING_ANCHORS) {
    it(`docs/troubleshooting.md has an entry for #${anchor}`, () => {
      expect(anchors).to.include(anchor);
    });
  }

  it('gives every error class an anchor that is one of those entries', () => {
    for (const cls of classes) expect(TROUBLESHOOTING_ANCHORS, cls.name).to.include(cls.anchor);
    expect(new Set(classes.map((c) => c.anchor)).size, 'each class its own entry').to.equal(classes.length);
  });

  it('has no entry on the page that no error links to', () => {
    const entries = anchors.slice(1); // the page title
    expect(entries.filter((a) => !(TROUBLESHOOTING_ANCHORS as readonly string[]).includes(a))).to.deep.equal([]);
  });

  it('ends each error\'s message with one short link to its entry, after the hint', () => {
    const err = new InputError('unknown module', { file: 'site.yml', line: 3, col: 5 }, 'did you mean apt?');
    expect(err.describe()).to.equal('site.yml:3:5: unknown module\n  hint: did you mean apt?\n  see: docs/troubleshooting.md#bad-input');
    expect(new BecomeFailure('web1', 'sudo: a password is required').describe()).to.equal(
      'sudo: a password is required\n  see: docs/troubleshooting.md#become-failed',
    );
  });

  it('lets the place that throws name a more precise entry', () => {
    const err = new UnreachableError('web1', 'WARNING: HOST KEY CHANGED', 'find out why', 'host-key-changed');
    expect(err.describe().split('\n').at(-1)).to.equal(`  ${seeLine('host-key-changed')}`);
    expect(new UnreachableError('web1', 'cannot connect').anchor).to.equal('host-unreachable');
  });
});
