// ufw's arguments with community.general.ufw's names and aliases, validated so a rule is known exactly before any connection.
import type { SourceLoc } from '../../core/types.js';
import { ArgReader } from '../lib/args.js';
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

export const ufwArgNames = [
  'state', 'default', 'policy', 'direction', 'logging', 'rule', 'log', 'delete', 'interface', 'if',
  'from_ip', 'from', 'src', 'from_port', 'to_ip', 'to', 'dest', 'to_port', 'port', 'proto', 'protocol', 'comment',
] as const;

const aliases = { policy: 'default', from: 'from_ip', src: 'from_ip', to: 'to_ip', dest: 'to_ip', port: 'to_port', protocol: 'proto', if: 'interface' };
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
  const args = new ArgReader('ufw', raw, loc, aliases);
  const state = args.choice('state', ['enabled', 'disabled', 'reloaded', 'reset'] as const);
  const policyValue = args.choice('default', ['allow', 'deny', 'reject'] as const);
  const action = args.choice('rule', ['allow', 'deny', 'limit', 'reject'] as const);
  const logging = args.choice('logging', LOG_LEVELS);
  if (!state && !policyValue && !action && !logging) throw args.error(`give at least one of 'state', 'policy' (default), 'rule' or 'logging'`);
  const dir = args.choice('direction', ['in', 'incoming', 'out', 'outgoing', 'routed'] as const);
  const out: UfwArgs = { state, logging };
  if (policyValue) {
    if (action && dir !== undefined) throw args.error(`'direction' is ambiguous with both 'rule' and 'policy'; use two tasks`);
    const direction: PolicyDirection = dir === 'out' || dir === 'outgoing' ? 'outgoing' : dir === 'routed' ? 'routed' : 'incoming';
    out.policy = { value: policyValue, direction };
  }
  if (action) {
    if (dir === 'routed') throw args.error(`routed (route) rules are not supported`);
    const proto = args.choice('proto', ['tcp', 'udp', 'any'] as const, 'any');
    const rule = {
      action,
      log: args.bool('log', false),
      delete: args.bool('delete', false),
      direction: dir === 'out' || dir === 'outgoing' ? 'out' as const : 'in' as const,
      iface: args.str('interface'),
      proto,
      from: address(args, 'from_ip'),
      fromPort: ports(args, 'from_port'),
      to: address(args, 'to_ip'),
      toPort: ports(args, 'to_port'),
      comment: args.str('comment'),
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
