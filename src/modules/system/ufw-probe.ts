// Reads ufw's saved configuration in one command (rules, default policies, enabled, logging): `ufw status` hides rules while inactive.
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseTuples, type Tuple } from './ufw-rules.js';

export type Policy = 'allow' | 'deny' | 'reject';

export interface UfwHost {
  installed: boolean;
  /** A rule file that exists but this user may not read (no become). */
  unreadable?: string;
  enabled: boolean;
  /** LOGLEVEL of ufw.conf: off, low, medium, high, full. */
  logLevel: string;
  ipv6: boolean;
  policies: { incoming: Policy; outgoing: Policy; routed: Policy };
  tuples: Tuple[];
  /** SSH_CONNECTION of the session this probe came through ("client cport server sport"), empty if none. */
  sshConnection: string;
  /** The interface that carries that connection (from `ip route get`), undefined when unknown. */
  sshIface?: string;
}

/**
 * sudo resets the environment, so SSH_CONNECTION is looked up in the ancestors' environments too
 * (the login shell that sshd started still has it); only sh, sed and tr are needed.
 */
const SSH_CONNECTION = [
  'rb_ssh=${SSH_CONNECTION:-}; rb_p=$$',
  'while [ -z "$rb_ssh" ]; do',
  '  rb_p=$(sed -n "s/^PPid:[[:space:]]*//p" /proc/$rb_p/status 2>/dev/null)',
  '  case "$rb_p" in ""|0|1) break ;; esac',
  '  rb_ssh=$(tr "\\000" "\\n" < /proc/$rb_p/environ 2>/dev/null | sed -n "s/^SSH_CONNECTION=//p")',
  'done',
  'echo "ssh=$rb_ssh"',
  // The interface the connection's packets arrive on (the route back to the client): `in on IFACE` rules match only there.
  'set -f; set -- $rb_ssh; set +f',
  'if [ -n "${1:-}" ] && command -v ip >/dev/null 2>&1; then',
  '  rb_dev=$({ ip route get "${1#::ffff:}" from "${3#::ffff:}" 2>/dev/null || ip route get "${1#::ffff:}" 2>/dev/null; } | sed -n "s/.* dev \\([^ ]*\\).*/\\1/p" | head -n 1)',
  '  echo "iface=$rb_dev"',
  'fi',
].join('\n');

export function ufwProbeScript(): string {
  return sectionsScript({
    env: [
      'command -v ufw >/dev/null 2>&1 || [ -x /usr/sbin/ufw ] && echo installed=yes',
      // The rule files are root's alone: reading nothing must not look like "no rules".
      'for f in /etc/ufw/user.rules /etc/ufw/user6.rules; do [ -e "$f" ] && [ ! -r "$f" ] && echo "unreadable=$f"; done',
      SSH_CONNECTION,
    ].join('\n'),
    conf: 'cat /etc/ufw/ufw.conf 2>/dev/null',
    defaults: 'cat /etc/default/ufw 2>/dev/null',
    rules4: "grep '^### tuple' /etc/ufw/user.rules 2>/dev/null",
    rules6: "grep '^### tuple' /etc/ufw/user6.rules 2>/dev/null",
  });
}

const POLICY: Record<string, Policy> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };

function unquote(v: string | undefined): string {
  return (v ?? '').trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

export function parseUfwProbe(result: ExecResult): UfwHost | { error: string } {
  const parsed = parseSections(result);
  if ('error' in parsed) return parsed;
  const { env, conf, defaults, rules4 = '', rules6 = '' } = parsed.sections;
  const e = keyValues(env);
  const c = keyValues(conf);
  const d = keyValues(defaults);
  const policy = (key: string, fallback: Policy): Policy => POLICY[unquote(d[key]).toUpperCase()] ?? fallback;
  return {
    installed: e.installed === 'yes',
    unreadable: e.unreadable,
    enabled: unquote(c.ENABLED).toLowerCase() === 'yes',
    logLevel: unquote(c.LOGLEVEL).toLowerCase() || 'off',
    ipv6: unquote(d.IPV6).toLowerCase() !== 'no',
    policies: { incoming: policy('DEFAULT_INPUT_POLICY', 'deny'), outgoing: policy('DEFAULT_OUTPUT_POLICY', 'allow'), routed: policy('DEFAULT_FORWARD_POLICY', 'deny') },
    tuples: [...parseTuples(rules4, 'v4'), ...parseTuples(rules6, 'v6')],
    sshConnection: (e.ssh ?? '').trim(),
    sshIface: e.iface?.trim() || undefined,
  };
}
