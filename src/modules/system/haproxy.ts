// haproxy: puts a backend server in or out of rotation through HAProxy's stats socket, as
// community.general.haproxy does (enable/disable/drain, weight, wait). The probe reads `show stat`
// (and `get weight` when a weight is asked), so the plan knows which commands the server needs:
// a server already in the wanted state gets none, and --check says what would be sent.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { NO_CLIENT, REFUSED, WAIT_FAILED, backendsOf, parseShowStat, socketFunctions, waitScript, type StatRow } from './haproxy-socket.js';

export const haproxySpec = defineSpec({
  description: "Enables, disables or drains a backend server (and sets its weight) through HAProxy's stats socket, which must be configured with `level admin`.",
  args: {
    state: { type: 'str', required: true, choices: ['enabled', 'disabled', 'drain'], description: 'enabled: in rotation (out of maintenance and drain); disabled: in maintenance (MAINT); drain: takes no new connections (DRAIN).' },
    host: { type: 'str', required: true, description: 'The server, as haproxy.cfg names it in the backend.' },
    backend: { type: 'str', defaultText: 'every backend that has the server', description: 'The backend the server is in.' },
    socket: { type: 'str', default: '/var/run/haproxy.sock', description: 'The stats socket (`stats socket PATH level admin` in haproxy.cfg).' },
    weight: { type: 'str', description: 'With state=enabled: the weight to set, 0 to 256, or relative to the configured weight with a % sign (0% to 100%).' },
    shutdown_sessions: { type: 'bool', default: false, description: "When disabling, also end the server's open sessions. drain overrides it." },
    drain: { type: 'bool', default: false, description: 'When disabling, first drain the server and wait (wait_retries times, wait_interval apart) until it has no session left, then put it in maintenance.' },
    fail_on_not_found: { type: 'bool', default: false, description: 'Fail when the server is not in the backend (or in no backend); otherwise nothing is done.' },
    agent: { type: 'bool', default: false, description: "Also enable (or disable) the server's agent checks." },
    health: { type: 'bool', default: false, description: "Also enable (or disable) the server's health checks." },
    wait: { type: 'bool', default: false, description: 'After the change, wait until the server reports UP (enabled; "no check" counts), MAINT (disabled) or DRAIN (drain).' },
    wait_interval: { type: 'int', default: 5, min: 1, description: 'Seconds between two looks at the status.' },
    wait_retries: { type: 'int', default: 25, min: 1, description: 'How many times to look at the status before failing.' },
  },
  examples: `- name: Take this web server out of the load balancer
  haproxy:
    state: disabled
    host: '{{ inventory_hostname }}'
    backend: www
    socket: /run/haproxy/admin.sock
  delegate_to: "{{ item }}"
  loop: "{{ groups['lbservers'] }}"

- name: Put it back, at half weight, once it is up
  haproxy:
    state: enabled
    host: '{{ inventory_hostname }}'
    backend: www
    weight: 50%
    wait: yes`,
  returns: {
    state_before: "The server's rows of `show stat` before the task: status, weight and scur, one per backend.",
    state_after: 'The same after the commands were sent (only when something was sent).',
    command: 'The socket commands sent.',
  },
  checkMode: "Reads `show stat` and reports the commands it would send (Ansible skips the task in check mode).",
});

export type HaproxyArgs = ArgsOf<typeof haproxySpec>;

export function parseHaproxyArgs(raw: Record<string, unknown>, loc: SourceLoc): HaproxyArgs {
  const { args, reader } = parseSpec('haproxy', haproxySpec, raw, loc);
  // The names go into socket commands separated by ';' and '/': those would start another command.
  for (const name of ['host', 'backend'] as const) {
    const v = args[name];
    if (v !== undefined && !/^[^\s;/,]+$/.test(v)) throw reader.error(`${name} '${v}' is not a HAProxy ${name === 'host' ? 'server' : 'backend'} name`, 'letters, digits and - _ . : (no spaces, ; / or ,)');
  }
  if (args.weight !== undefined) {
    const m = /^(\d+)(%?)$/.exec(args.weight);
    if (!m) throw reader.error(`weight '${args.weight}' is not a weight`, 'a whole number from 0 to 256, or a percentage such as 50%');
    const n = Number(m[1]);
    if (m[2] ? n > 100 : n > 256) throw reader.error(`weight ${args.weight} is out of range`, m[2] ? 'a relative weight is 0% to 100%' : 'an absolute weight is 0 to 256');
  }
  return args;
}

export function haproxyProbe(a: HaproxyArgs): string {
  const parts: Record<string, string> = {
    client: 'if command -v socat >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 || nc -h 2>&1 | grep -q -- \'-U\'; then echo client=yes; fi\n[ -S "$rb_sock" ] && echo socket=yes',
    stat: '[ -S "$rb_sock" ] && rb_hap \'show stat\'',
  };
  if (a.weight !== undefined) {
    // The weight HAProxy was told (`get weight` answers "CURRENT (initial INITIAL)"), per backend holding the server.
    const awk = `BEGIN { FS = "," } $2 == s && (b == "" || $1 == b) && $2 != "BACKEND" { print $1 }`;
    parts.weights = `[ -S "$rb_sock" ] && rb_hap 'show stat' | awk -v s=${shQuote(a.host)} -v b=${shQuote(a.backend ?? '')} ${shQuote(awk)} | while IFS= read -r rb_b; do printf '%s=%s\\n' "$rb_b" "$(rb_hap "get weight $rb_b/${a.host}" | head -n 1)"; done`;
  }
  return `${socketFunctions(a.socket)}\n${sectionsScript(parts)}`;
}

/** The wanted weight as `get weight` would report it: a % is of the configured (initial) weight. */
function wantedWeight(weight: string, answer: string | undefined): { now?: number; want?: number } {
  const m = /^(\d+) \(initial (\d+)\)/.exec(answer ?? '');
  if (!m) return {};
  const now = Number(m[1]);
  const initial = Number(m[2]);
  const want = weight.endsWith('%') ? Math.floor((initial * Number(weight.slice(0, -1))) / 100) : Number(weight);
  return { now, want };
}

const stateOf = (r: StatRow): Vars => ({ status: r.status, weight: r.weight, scur: r.scur });

export function planHaproxy(a: HaproxyArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const facts = keyValues(parsed.sections.client);
  if (facts.socket !== 'yes') return { changes: [], steps: [], failure: { msg: `the HAProxy socket ${a.socket} does not exist (is HAProxy running, with \`stats socket ${a.socket} level admin\` in haproxy.cfg?)` } };
  if (facts.client !== 'yes') return { changes: [], steps: [], failure: { msg: 'no socat, python3 or nc -U on the host to talk to the HAProxy socket: install socat' } };
  const rows = parseShowStat(parsed.sections.stat ?? '');
  if (!rows) return { changes: [], steps: [], failure: { msg: `HAProxy did not answer 'show stat' on ${a.socket}: ${(parsed.sections.stat ?? '').trim() || 'no answer'}` } };
  const backends = a.backend !== undefined ? [a.backend] : backendsOf(rows);
  const targets = backends.map((b) => rows.find((r) => r.backend === b && r.server === a.host)).filter((r): r is StatRow => r !== undefined);
  const data: Vars = { state_before: targets.length ? targets.map(stateOf) : null };
  if (targets.length === 0) {
    if (!a.fail_on_not_found) return { changes: [], steps: [], data };
    const where = a.backend !== undefined ? `The specified backend '${a.backend}/${a.host}' was not found` : `The server '${a.host}' is in no backend`;
    return { changes: [], steps: [], data, failure: { msg: `${where} (fail_on_not_found)` } };
  }
  const weights = keyValues(parsed.sections.weights);
  const lines: string[] = [];
  const sent: string[] = [];
  const send = (command: string): void => {
    lines.push(`rb_do ${shQuote(command)}`);
    sent.push(command);
  };
  const side: string[] = [];
  const waits: string[] = [];
  const changes: string[] = [];
  const timing = { retries: a.wait_retries, interval: a.wait_interval };
  for (const t of targets) {
    const id = `${t.backend}/${a.host}`;
    const inMaint = t.status.startsWith('MAINT');
    const inDrain = t.status.startsWith('DRAIN');
    if (a.state === 'enabled') {
      if (a.agent) side.push(`enable agent ${id}`);
      if (a.health) side.push(`enable health ${id}`);
      // `enable server` is `set server ... state ready`: it ends maintenance and drain alike.
      if (inMaint || inDrain) {
        send(`enable server ${id}`);
        changes.push(`enable ${id} (${t.status})`);
      }
      if (a.weight !== undefined) {
        const w = wantedWeight(a.weight, weights[t.backend]);
        if (w.want === undefined || w.now !== w.want) {
          send(`set weight ${id} ${a.weight}`);
          changes.push(`set the weight of ${id} to ${a.weight}${w.now !== undefined ? ` (was ${w.now})` : ''}`);
        }
      }
      if (a.wait && (inMaint || inDrain || !upOrUnchecked(t.status))) waits.push(waitScript(t.backend, a.host, 'UP', timing));
    } else if (a.state === 'disabled') {
      if (a.agent) side.push(`disable agent ${id}`);
      if (a.health) side.push(`disable health ${id}`);
      if (!inMaint) {
        changes.push(`disable ${id} (${t.status})${a.drain ? ' after draining it' : ''}`);
        if (a.drain) {
          send(`set server ${id} state drain`);
          // Sessions may outlive the retries: the server goes into maintenance then anyway, as documented.
          lines.push(waitScript(t.backend, a.host, null, { ...timing, idle: true, failOnTimeout: false }));
        }
        send(`disable server ${id}`);
        if (a.shutdown_sessions && !a.drain) send(`shutdown sessions server ${id}`);
        if (a.wait) waits.push(waitScript(t.backend, a.host, 'MAINT', timing));
      }
    } else if (!inDrain) {
      send(`set server ${id} state drain`);
      changes.push(`drain ${id} (${t.status})`);
      if (a.wait) waits.push(waitScript(t.backend, a.host, 'DRAIN', timing));
    }
  }
  const plan: Plan = { changes, steps: [], data };
  const fns = socketFunctions(a.socket);
  if (side.length) plan.sideSteps = [{ script: [fns, ...side.map((c) => `rb_do ${shQuote(c)}`)].join('\n') }];
  if (changes.length === 0) {
    // Nothing to send, but the status asked for with wait is not there yet (a server DOWN): wait for it, as Ansible would.
    if (waits.length) plan.sideSteps = [...(plan.sideSteps ?? []), { script: [fns, ...waits].join('\n') }];
    return plan;
  }
  const step: Step = { script: [fns, ...lines, ...waits, "printf '@@state-after@@\\n'", "rb_hap 'show stat'"].join('\n') };
  plan.steps = [step];
  plan.afterApply = (results) => {
    const r = results[0];
    const command = [...side, ...sent];
    if (!r || r.code !== 0) return { data: { ...data, command }, failed: haproxyFailure(r) };
    const after = parseShowStat(r.stdout.slice(r.stdout.indexOf('@@state-after@@')));
    const rowsAfter = targets.map((t) => after?.find((x) => x.backend === t.backend && x.server === a.host)).filter((x): x is StatRow => x !== undefined);
    return { data: { ...data, state_after: rowsAfter.map(stateOf), command } };
  };
  return plan;
}

function upOrUnchecked(status: string): boolean {
  return status.startsWith('UP') || status === 'no check';
}

function haproxyFailure(r: ExecResult | undefined): string {
  if (!r) return 'no command was sent';
  const why = r.stderr.trim();
  if (r.code === REFUSED) return `HAProxy refused a command: ${why}${/permission denied/i.test(why) ? ' (the stats socket needs `level admin` in haproxy.cfg)' : ''}`;
  if (r.code === WAIT_FAILED) return `${why}. Aborting.`;
  if (r.code === NO_CLIENT) return why;
  return `talking to HAProxy failed (exit ${r.code}): ${why}`;
}

export const haproxyModule: RemoteModule<HaproxyArgs> = {
  kind: 'remote',
  name: 'haproxy',
  ...specFields(haproxySpec),
  parse: parseHaproxyArgs,
  probe: (a) => ({ script: haproxyProbe(a) }),
  plan: (a, probe) => planHaproxy(a, probe),
};
