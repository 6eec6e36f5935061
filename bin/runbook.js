#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through "prepare").
// dist/bundle/cli/main.js (scripts/bundle.mjs) loads about twice as fast as the ~400 files of
// dist/src; it is used only when it is at least as new as tsc's output, so a `tsc` run without the
// bundle step never runs stale code. RUNBOOK_BUNDLE=0 forces the unbundled files.
import { statSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const bundled = new URL('../dist/bundle/cli/main.js', import.meta.url);

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

const useBundle = process.env.RUNBOOK_BUNDLE !== '0' && mtime(bundled) >= mtime(compiled);
import(useBundle ? bundled.href : compiled.href);
