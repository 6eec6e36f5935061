// ufw's spec and arguments with community.general.ufw's names and aliases, validated so a rule is known exactly before any connection.
import type { SourceLoc } from '../../core/types.js';
import type { ArgReader } from '../lib/args.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec } from '../spec.js';
import { isIPv4, parseCidr4 } from './ipv4.js';
import type { Policy } from './ufw-probe.js';
import type { RuleSpec } from './ufw-rules.js';

export type UfwState = 'enabled' | 'disabled' | 'reloaded' | 'reset';
export type PolicyDirection = 'incoming' | 'outgoing' | 'routed';
export const LOG_LEVELS = ['on', 'off', 'low', 'medium', 'high', 'full'] as const;

export interface UfwArgs {
  state?: UfwState;
  policy?: { value: Policy; direction: PolicyDirection };
  rule?: RuleSpec & { delete: boolean };
  logging?: (typeof LOG_LEVELS)[number];
}

export const ufwSpec = defineSpec({
  description: 'Firewall rules, default policies, logging and enablement with ufw. Never locks out the SSH connection in use: enabling without a rule for its port is refused.',
  args: {
    state: { type: 'str', choices: ['enabled', 'disabled', 'reloaded', 'reset'], description: 'Turn the firewall on or off, reload it, or reset it.' },
    default: { type: 'str', choices: ['allow', 'deny', 'reject'], aliases: ['policy'], description: 'The default policy for direction (incoming by default).' },
    direction: { type: 'str', choices: ['in', 'incoming', 'out', 'outgoing', 'routed'], description: 'Which traffic a rule or the default policy is about.' },
    logging: { type: 'str', choices: LOG_LEVELS, description: 'The logging level.' },
    rule: { type: 'str', choices: ['allow', 'deny', 'limit', 'reject'], description: 'Add (or with delete: remove) a rule of this kind.' },
    log: { type: 'bool', default: false, description: 'Log packets matching the rule.' },
    delete: { type: 'bool', default: false, description: 'Remove the rule instead of adding it.' },
    interface: { type: 'str', aliases: ['if'], description: 'Network interface the rule is about.' },
    from_ip: { type: 'str', aliases: ['from', 'src'], default: 'any', description: 'Source address or network (10.0.0.0/8).' },
    from_port: { type: 'str', description: 'Source port, range (60000:61000) or list (80,443).' },
    to_ip: { type: 'str', aliases: ['to', 'dest'], default: 'any', description: 'Destination address or network.' },
    to_port: { type: 'str', aliases: ['port'], description: 'Destination port, range (60000:61000) or list (80,443); numbers only, no service names.' },
    proto: { type: 'str', choices: ['tcp', 'udp', 'any'], aliases: ['protocol'], default: 'any', description: 'Protocol; a port range or list needs tcp or udp.' },
    comment: { type: 'str', description: 'A comment stored with the rule.' },
  },
  examples: `- name: Allow SSH
  ufw:
    rule: allow
    to_port: '22'
    proto: tcp

- name: Allow Redis from the web network only
  ufw:
    rule: allow
    from_ip: 10.0.0.0/24
    to_port: '6379'
    proto: tcp

- name: Deny everything else and turn the firewall on
  ufw:
    state: enabled
    default: deny`,
});

const PORTS = /^\d{1,5}(:\d{1,5})?(,\d{1,5}(:\d{1,5})?)*$/;

function address(args: ArgReader, key: string): string {
  const v = (args.str(key) ?? 'any').trim();
  if (v === 'any') return v;
  if (v.includes(':') ? /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v) : parseCidr4(v) !== undefined) return v;
  throw args.error(`'${key}' must be 'any', an IP address or a network (10.0.0.0/8), got '${v}'`, isIPv4(v.split('/')[0] ?? '') ? 'the prefix length is 0..32' : undefined);
}

function ports(args: ArgReader, key: string): string | undefined {
  const v = args.str(key)?.trim();
  if (v === undefined || v === '' || v === 'any') return undefined;
  if (!PORTS.test(v) || v.split(/[:,]/).some((p) => Number(p) > 65535 || Number(p) < 1)) {
    throw args.error(`'${key}' must be a port number, a range (60000:61000) or a list (80,443), got '${v}'`, 'service names (ssh, http) are not accepted: runbook matches rules exactly, so give the number');
  }
  return v;
}

export function parseUfwArgs(raw: Record<string, unknown>, loc: SourceLoc): UfwArgs {
  const { args: p, reader: args } = parseSpec('ufw', ufwSpec, raw, loc);
  const { state, default: policyValue, rule: action, logging } = p;
  if (!state && !policyValue && !action && !logging) throw args.error(`give at least one of 'state', 'policy' (default), 'rule' or 'logging'`);
  const dir = p.direction;
  const out: UfwArgs = { state, logging };
  if (policyValue) {
    if (action && dir !== undefined) throw args.error(`'direction' is ambiguous with both 'rule' and 'policy'; use two tasks`);
    const direction: PolicyDirection = dir === 'out' || dir === 'outgoing' ? 'outgoing' : dir === 'routed' ? 'routed' : 'incoming';
    out.policy = { value: policyValue, direction };
  }
  if (action) {
    if (dir === 'routed') throw args.error(`routed (route) rules are not supported`);
    const proto = p.proto;
    const rule = {
      action,
      log: p.log,
      delete: p.delete,
      direction: dir === 'out' || dir === 'outgoing' ? 'out' as const : 'in' as const,
      iface: p.interface,
      proto,
      from: address(args, 'from_ip'),
      fromPort: ports(args, 'from_port'),
      to: address(args, 'to_ip'),
      toPort: ports(args, 'to_port'),
      comment: p.comment,
    };
    const families = [rule.from, rule.to].filter((a) => a !== 'any').map((a) => (a.includes(':') ? 'v6' : 'v4'));
    if (new Set(families).size > 1) throw args.error(`'from_ip' and 'to_ip' must both be IPv4 or both IPv6`);
    if (proto === 'any' && [rule.fromPort, rule.toPort].some((p) => p !== undefined && /[:,]/.test(p))) {
      throw args.error(`a port range or list needs proto: tcp or proto: udp (ufw requires it)`);
    }
    if (rule.iface !== undefined && !/^[\w.:@-]+$/.test(rule.iface)) throw args.error(`'interface' must be an interface name, got '${rule.iface}'`);
    out.rule = rule;
  } else if (args.has('delete') || args.has('to_port') || args.has('from_ip') || args.has('to_ip') || args.has('proto')) {
    throw args.error(`rule arguments (port, proto, from, to, delete) need 'rule: allow|deny|limit|reject'`);
  }
  return out;
}
