#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through "prepare").
import('../dist/src/cli/main.js');
