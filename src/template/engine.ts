// The seam between the templater and a template dialect. An engine only parses and evaluates; what
// both dialects must share stays above it, in index.ts and the expression language: where an error
// points (the origin), render limits, secret masking (the taint), undefined-is-an-error and the
// rule that host data is never rendered (UnsafeText is handed back as text before any engine sees it).
import type { SourceLoc, Vars } from '../core/types.js';
import type { Dialect } from './dialect.js';
import type { SecretTaint } from './taint.js';

/** Where a template came from: a template file, or a value written in a playbook or vars file. */
/** `searchPath`: where `{% include %}` and friends look (Ansible's template search path); derived from `file` when absent. */
export type TemplateOrigin = { kind: 'file'; file: string; searchPath?: readonly string[] } | { kind: 'value'; loc?: SourceLoc };

/** A compiled template: pure over its variables, reusable for every host. */
export interface CompiledTemplate {
  /** A value (origin kind 'value') keeps its type when it is exactly one `{{ }}`; a file renders text. */
  render(vars: Vars): unknown;
}

export interface TemplateEngine {
  readonly dialect: Dialect;
  /**
   * Parses `source` (cached by text). Problems are TemplateProblems positioned inside `source`; the
   * templater adds the origin. `origin.kind` decides value (typed) or text rendering.
   */
  compile(source: string, origin: TemplateOrigin): CompiledTemplate;
}

/** What every engine is built with. */
export interface EngineOptions {
  /** The run's secrets: what a helper or filter derives from one is registered and masked too. */
  secrets?: SecretTaint;
}
