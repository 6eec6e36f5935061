// The few error classes runbook throws; the CLI is the one place that maps them to exit codes.
import { formatLoc, type SourceLoc } from './types.js';

/** The page with an entry (cause and fix) for every kind of error; each message ends with a link into it. */
export const TROUBLESHOOTING_PAGE = 'docs/troubleshooting.md';

/**
 * Every entry of the troubleshooting page an error may point to: a heading's anchor there.
 * A unit test reads the page's headings, so an anchor here without its entry fails the build.
 */
export const TROUBLESHOOTING_ANCHORS = [
  'bad-input',
  'host-unreachable',
  'ssh-auth-failed',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'task-failed',
  'host-locked',
  'become-failed',
  'rollout-aborted',
  'interrupted',
  'lab-error',
  'queue-error',
  'other-error',
  'internal-error',
] as const;
export type TroubleshootingAnchor = (typeof TROUBLESHOOTING_ANCHORS)[number];

/** The short link printed under an error: `see: docs/troubleshooting.md#ANCHOR`. */
export function seeLine(anchor: TroubleshootingAnchor): string {
  return `see: ${TROUBLESHOOTING_PAGE}#${anchor}`;
}

/** Base class: every runbook error may say where (file:line:col) and what to do about it. */
export class RunbookError extends Error {
  /** This kind of error's troubleshooting entry; a subclass names its own. */
  static readonly anchor: TroubleshootingAnchor = 'other-error';
  /** The entry this error links to: one given where it was thrown (a precise case), else its class's. */
  readonly anchor: TroubleshootingAnchor;

  constructor(
    message: string,
    readonly loc?: SourceLoc,
    readonly hint?: string,
    anchor?: TroubleshootingAnchor,
  ) {
    super(message);
    this.name = new.target.name;
    this.anchor = anchor ?? (new.target as typeof RunbookError).anchor;
  }

  /** One readable block: "file:line:col: message", the hint on its own line, then the troubleshooting link. */
  describe(): string {
    const where = this.loc ? `${formatLoc(this.loc)}: ` : '';
    const hint = this.hint ? `\n  hint: ${this.hint}` : '';
    return `${where}${this.message}${hint}\n  ${seeLine(this.anchor)}`;
  }
}

/** Any thrown value as one readable message: a RunbookError with its file:line:col and hint. */
export function describeError(err: unknown): string {
  if (err instanceof RunbookError) return err.describe();
  return err instanceof Error ? err.message : String(err);
}

/** Bad playbook, inventory, vars, template or command line. Always raised before any host is touched. Exit 1. */
export class InputError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'bad-input';
}

/** A host could not be reached or its connection dropped. Counted as unreachable. */
export class UnreachableError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'host-unreachable';
  constructor(
    readonly host: string,
    message: string,
    hint?: string,
    anchor?: TroubleshootingAnchor,
  ) {
    super(message, undefined, hint, anchor);
  }
}

/** A task failed on a host for a reason found while running (not a bad input). */
export class TaskFailure extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'task-failed';
}

/** The run was stopped by max_fail_percentage / any_errors_fatal. Exit 8. */
export class AbortError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'rollout-aborted';
}

/** SIGINT. Exit 130. */
export class InterruptedError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'interrupted';
}
