// The few error classes runbook throws; the CLI is the one place that maps them to exit codes.
import { formatLoc, type SourceLoc } from './types.js';

/** Base class: every runbook error may say where (file:line:col) and what to do about it. */
export class RunbookError extends Error {
  constructor(
    message: string,
    readonly loc?: SourceLoc,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** One readable block: "file:line:col: message" then the hint on its own line. */
  describe(): string {
    const where = this.loc ? `${formatLoc(this.loc)}: ` : '';
    return this.hint ? `${where}${this.message}\n  hint: ${this.hint}` : `${where}${this.message}`;
  }
}

/** Any thrown value as one readable message: a RunbookError with its file:line:col and hint. */
export function describeError(err: unknown): string {
  if (err instanceof RunbookError) return err.describe();
  return err instanceof Error ? err.message : String(err);
}

/** Bad playbook, inventory, vars, template or command line. Always raised before any host is touched. Exit 1. */
export class InputError extends RunbookError {}

/** A host could not be reached or its connection dropped. Counted as unreachable. */
export class UnreachableError extends RunbookError {
  constructor(
    readonly host: string,
    message: string,
    hint?: string,
  ) {
    super(message, undefined, hint);
  }
}

/** A task failed on a host for a reason found while running (not a bad input). */
export class TaskFailure extends RunbookError {}

/** The run was stopped by max_fail_percentage / any_errors_fatal. Exit 8. */
export class AbortError extends RunbookError {}

/** SIGINT. Exit 130. */
export class InterruptedError extends RunbookError {}
