// The lock-out guard's evaluator as a table: ufw rules (in file order) + default policy + connection -> verdict.
import { expect } from 'chai';
import { parseTuples } from '../../../../src/modules/system/ufw-rules.js';
import { sshVerdict, type SshConnection } from '../../../../src/modules/system/ufw-verdict.js';
import type { Policy } from '../../../../src/modules/system/ufw-probe.js';

const CONN: SshConnection = { port: 22, client: '10.77.0.1', clientPort: 40522, server: '10.77.0.12', iface: 'eth0' };
const V6: SshConnection = { port: 22, client: 'fd00::1', clientPort: 40522, server: 'fd00::12', iface: 'eth0' };

/** Rules as ufw stores them, one `### tuple ###` body per entry (v6 bodies say ::/0). */
function rules(...bodies: string[]) {
  return bodies.flatMap((b) => parseTuples(`### tuple ### ${b}`, b.includes('::') ? 'v6' : 'v4'));
}

interface Row { name: string; rules: string[]; policy?: Policy; conn?: Partial<SshConnection>; allowed: boolean; rule?: number; why?: RegExp }

const TABLE: Row[] = [
  { name: 'default deny, no rules', rules: [], allowed: false, why: /no rule that matches it allows it, and the default incoming policy is deny/ },
  { name: 'default reject, no rules', rules: [], policy: 'reject', allowed: false, why: /default incoming policy is reject/ },
  { name: 'default allow, no rules', rules: [], policy: 'allow', allowed: true },
  { name: 'allow 22 from anywhere', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true, rule: 0 },
  { name: 'allow 22 any proto', rules: ['allow any 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true, rule: 0 },
  { name: 'allow 22/udp only', rules: ['allow udp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: false },
  { name: 'allow another port', rules: ['allow tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: false },
  { name: 'allow a port range holding 22', rules: ['allow tcp 20:25 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true },
  { name: 'allow a port list holding 22', rules: ['allow tcp 80,22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true },
  { name: 'allow 22 on the interface in use', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth0'], allowed: true },
  { name: 'allow 22 on another interface (eth9)', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth9'], allowed: false, why: /default incoming policy is deny/ },
  { name: 'allow 22 on an interface while the interface is unknown', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth0'], conn: { iface: undefined }, allowed: false },
  { name: 'allow 22 outgoing only', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 out'], allowed: false },
  { name: 'allow from the controller', rules: ['allow tcp 22 0.0.0.0/0 any 10.77.0.1 in'], allowed: true },
  { name: 'allow from a network holding the controller', rules: ['allow any any 0.0.0.0/0 any 10.0.0.0/8 in'], allowed: true },
  { name: 'allow from a network without the controller', rules: ['allow any any 0.0.0.0/0 any 192.168.0.0/16 in'], allowed: false },
  { name: 'allow from an address while the client is unknown', rules: ['allow tcp 22 0.0.0.0/0 any 10.77.0.1 in'], conn: { client: undefined }, allowed: false },
  { name: 'allow to the server address', rules: ['allow tcp 22 10.77.0.12 any 0.0.0.0/0 in'], allowed: true },
  { name: 'allow to another local address', rules: ['allow tcp 22 10.77.0.99 any 0.0.0.0/0 in'], allowed: false },
  { name: 'allow from a source port that is not the client\'s', rules: ['allow tcp 22 0.0.0.0/0 1000 0.0.0.0/0 in'], allowed: false },
  { name: 'limit 22 (rate-limited, lets a new connection in)', rules: ['limit tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true, why: /rate-limited/ },
  { name: 'allow_log 22', rules: ['allow_log tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true },
  { name: 'deny from the controller before allow 22', rules: ['deny any any 0.0.0.0/0 any 10.77.0.1 in', 'allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: false, rule: 0, why: /rule 1 \(deny from 10\.77\.0\.1\) drops it, before any later rule/ },
  { name: 'allow 22 before deny from the controller (first match wins)', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in', 'deny any any 0.0.0.0/0 any 10.77.0.1 in'], allowed: true, rule: 0 },
  { name: 'reject from the controller network, default allow', rules: ['reject tcp any 0.0.0.0/0 any 10.77.0.0/24 in'], policy: 'allow', allowed: false, why: /rejects it/ },
  { name: 'deny from another address, then allow 22', rules: ['deny any any 0.0.0.0/0 any 10.77.0.2 in', 'allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: true, rule: 1 },
  { name: 'deny 22 on another interface, default allow', rules: ['deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth9'], policy: 'allow', allowed: true },
  { name: 'deny 22 on the interface in use, default allow', rules: ['deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth0'], policy: 'allow', allowed: false, why: /deny in on eth0 port 22 proto tcp/ },
  { name: 'deny on an interface while the interface is unknown (assume the worst)', rules: ['deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth0'], policy: 'allow', conn: { iface: undefined }, allowed: false, why: /may match it/ },
  { name: 'deny from an address while the client is unknown (assume the worst)', rules: ['deny any any 0.0.0.0/0 any 10.9.9.9 in', 'allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], conn: { client: undefined }, allowed: false },
  { name: 'limit from the controller on another interface, then deny', rules: ['limit tcp 22 0.0.0.0/0 any 10.77.0.1 in_eth9', 'deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], policy: 'allow', allowed: false, rule: 1 },
  { name: 'deny 22 outgoing does not touch incoming SSH', rules: ['deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 out'], policy: 'allow', allowed: true },
  { name: 'route rules are forwarding, not input', rules: ['route:deny any any 0.0.0.0/0 any 0.0.0.0/0 in'], policy: 'allow', allowed: true },
  { name: 'IPv6 rules do not decide an IPv4 connection', rules: ['deny any any ::/0 any ::/0 in'], policy: 'allow', allowed: true },
  { name: 'an IPv4 client of an IPv6 socket (::ffff:) meets the IPv4 rules', rules: ['deny any any 0.0.0.0/0 any 10.77.0.1 in'], policy: 'allow', conn: { client: '::ffff:10.77.0.1' }, allowed: false },
  { name: 'loopback is always accepted by ufw before its user rules', rules: ['deny any any 0.0.0.0/0 any 0.0.0.0/0 in'], conn: { iface: 'lo', client: '127.0.0.1' }, allowed: true },
  { name: 'port from SSH_CONNECTION (2200) against allow 22', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], conn: { port: 2200 }, allowed: false },
];

const TABLE6: Row[] = [
  { name: 'IPv6: allow 22 from anywhere', rules: ['allow tcp 22 ::/0 any ::/0 in'], allowed: true },
  { name: 'IPv6: deny from a network holding the client first', rules: ['deny any any ::/0 any fd00::/64 in', 'allow tcp 22 ::/0 any ::/0 in'], allowed: false, rule: 0 },
  { name: 'IPv6: deny from another network first', rules: ['deny any any ::/0 any fd01::/64 in', 'allow tcp 22 ::/0 any ::/0 in'], allowed: true, rule: 1 },
  { name: 'IPv6: only an IPv4 rule', rules: ['allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in'], allowed: false },
];

describe('ufw SSH verdict (rules in order, first match wins)', () => {
  for (const [base, table] of [[CONN, TABLE], [V6, TABLE6]] as const) {
    for (const row of table) {
      it(`${row.name}: ${row.allowed ? 'lets SSH in' : 'blocks SSH'}`, () => {
        const v = sshVerdict(rules(...row.rules), row.policy ?? 'deny', { ...base, ...row.conn });
        expect(v.allowed, v.why).to.equal(row.allowed);
        if (row.rule !== undefined) expect(v.index, v.why).to.equal(row.rule);
        if (row.why) expect(v.why).to.match(row.why);
      });
    }
  }
});
