// What rabbitmq_user, rabbitmq_vhost and rabbitmq_plugin share: the broker's own CLIs, run on the
// host as community.rabbitmq runs them (rabbitmqctl -q -n NODE), read through their JSON output.
import { shQuote } from '../../core/shell.js';
import type { ArgSpec } from '../spec.js';
import type { HostThing } from '../types.js';

export const nodeArg = { type: 'str', default: 'rabbit', description: "The Erlang node name of the broker (rabbitmqctl -n); 'rabbit' is rabbit@ this host." } as const satisfies ArgSpec;

const MISSING = 'is not installed: the rabbitmq modules need the rabbitmq-server package';

/** Defines rb_ctl (rabbitmqctl -q -n NODE), or stops the probe naming the package it needs. */
export function ctlPrelude(node: string): string {
  return [
    `command -v rabbitmqctl >/dev/null 2>&1 || { echo 'rabbitmqctl ${MISSING}' >&2; exit 1; }`,
    `rb_ctl() { rabbitmqctl -q -n ${shQuote(node)} "$@"; }`,
  ].join('\n');
}

/** The same, for steps (the probe has already found rabbitmqctl). */
export const ctl = (node: string): string => `rabbitmqctl -q -n ${shQuote(node)}`;

/** A probe that stopped: a missing package is something an earlier task may install (check-mode forecasts). */
export function ctlFailure(error: string, stderr: string): { msg: string; needs?: HostThing[] } {
  if (stderr.includes(MISSING)) return { msg: stderr.trim(), needs: [{ kind: 'package', name: 'rabbitmq-server' }] };
  return { msg: error };
}

/** rabbitmqctl's --formatter json output: a list of rows (it prints one JSON value, split over lines). */
export function jsonRows(text: string | undefined): Record<string, unknown>[] | undefined {
  try {
    const v: unknown = JSON.parse((text ?? '').trim() || '[]');
    return Array.isArray(v) ? (v as Record<string, unknown>[]) : undefined;
  } catch {
    return undefined;
  }
}
