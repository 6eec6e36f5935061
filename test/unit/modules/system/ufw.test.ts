// ufw plans from real user.rules text: exact rule detection (idempotency), policies, enablement, and the SSH lock-out refusal.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { shJoin } from '../../../../src/core/shell.js';
import type { Vars } from '../../../../src/core/types.js';
import type { Plan } from '../../../../src/modules/types.js';
import { parseUfwArgs } from '../../../../src/modules/system/ufw-args.js';
import { parseTuples } from '../../../../src/modules/system/ufw-rules.js';
import { ufwModule } from '../../../../src/modules/system/ufw.js';
import { context, loc } from './fixtures/context.js';
import { EMPTY_RULES, USER_RULES, ufwProbe, type UfwFixture } from './fixtures/ufw.js';

/** The ufw command lines the plan's one step runs (in one python3 process), as a shell would write them. */
function ran(p: Plan): string[] {
  expect(p.steps).to.have.length(1);
  expect(p.steps[0]!.script).to.match(/^export LC_ALL=C\npython3 -c /);
  const items = JSON.parse(String(p.steps[0]!.stdin)) as string[][][];
  expect(items).to.have.length(1);
  return items[0]!.map((words) => shJoin(['ufw', ...words]));
}

function plan(raw: Record<string, unknown>, host: UfwFixture = {}, vars: Vars = {}) {
  return ufwModule.plan(parseUfwArgs(raw, loc), ufwProbe(host), context(vars));
}

const ONLY_REDIS = '### tuple ### allow tcp 6379 0.0.0.0/0 any 10.77.0.12 in\n';

describe('ufw module', () => {
  it('parses the tuples of a real user.rules file', () => {
    const tuples = parseTuples(USER_RULES, 'v4');
    expect(tuples).to.have.length(4);
    expect(tuples[0]).to.deep.equal({ family: 'v4', action: 'allow', proto: 'tcp', dport: '22', dst: '0.0.0.0/0', sport: 'any', src: '0.0.0.0/0', direction: 'in', comment: 'runbook ssh' });
    expect(tuples[3]).to.deep.include({ action: 'limit', dport: '2222', src: '10.0.0.0/8', direction: 'in_eth0', comment: undefined });
    expect(parseTuples('### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in', 'v4')[0]).to.deep.include({ dapp: 'OpenSSH', sapp: '-', direction: 'in' });
  });

  describe('rules', () => {
    it('finds an existing rule exactly, whether ufw is active or not', () => {
      for (const enabled of [false, true]) {
        const p = plan({ rule: 'allow', proto: 'tcp', from_ip: '10.77.0.12', port: 6379 }, { enabled });
        expect(p.changes).to.deep.equal([]);
        expect(p.steps).to.deep.equal([]);
      }
    });

    it('matches the address the way ufw stores it (/32 dropped, networks reduced), ignoring the comment', () => {
      expect(plan({ rule: 'allow', proto: 'tcp', src: '10.77.0.12/32', port: '6379' }).changes).to.deep.equal([]);
      expect(plan({ rule: 'limit', proto: 'tcp', from: '10.1.2.3/8', port: '2222', interface: 'eth0', direction: 'in' }).changes).to.deep.equal([]);
      expect(plan({ rule: 'allow', proto: 'tcp', port: '22', comment: 'another label' }).changes).to.deep.equal([]);
    });

    it('needs both the IPv4 and the IPv6 tuple for a rule from anywhere', () => {
      expect(plan({ rule: 'allow', proto: 'tcp', port: '80,443' }).changes).to.deep.equal([]);
      const p = plan({ rule: 'allow', proto: 'tcp', port: '80,443' }, { rules6: EMPTY_RULES });
      expect(p.changes).to.deep.equal(['add rule: allow in proto tcp from any to any port 80,443']);
    });

    it('adds a missing rule with one ufw command', () => {
      const p = plan({ rule: 'allow', proto: 'tcp', from_ip: '10.77.0.13', to_port: '6379', comment: 'redis from web2' });
      expect(p.changes).to.deep.equal(["add rule: allow in proto tcp from 10.77.0.13 to any port 6379 comment redis from web2"]);
      expect(p.steps).to.have.length(1);
      expect(ran(p)).to.deep.equal(["ufw allow in proto tcp from 10.77.0.13 to any port 6379 comment 'redis from web2'"]);
    });

    it('treats a different action or protocol as a different rule', () => {
      expect(plan({ rule: 'deny', proto: 'tcp', from_ip: '10.77.0.12', port: 6379 }).changes).to.have.length(1);
      expect(plan({ rule: 'allow', proto: 'udp', from_ip: '10.77.0.12', port: 6379 }).changes).to.have.length(1);
      expect(plan({ rule: 'allow', from_ip: '10.77.0.12', port: 6379 }).changes).to.have.length(1);
    });

    it('deletes only a rule that exists', () => {
      const p = plan({ rule: 'allow', proto: 'tcp', from_ip: '10.77.0.12', port: 6379, delete: true });
      expect(ran(p)).to.deep.equal(['ufw delete allow in proto tcp from 10.77.0.12 to any port 6379']);
      expect(plan({ rule: 'allow', proto: 'tcp', from_ip: '10.77.0.99', port: 6379, delete: true }).changes).to.deep.equal([]);
    });
  });

  describe('policy, logging and state', () => {
    it('reads the default policies from /etc/default/ufw', () => {
      expect(plan({ policy: 'deny', direction: 'incoming' }).changes).to.deep.equal([]);
      expect(plan({ default: 'allow', direction: 'outgoing' }).changes).to.deep.equal([]);
      const p = plan({ policy: 'reject' });
      expect(p.changes).to.deep.equal(['set the default policy for incoming traffic to reject (was deny)']);
      expect(ran(p)).to.deep.equal(['ufw default reject incoming']);
    });

    it('enables only a disabled firewall', () => {
      const p = plan({ state: 'enabled' });
      expect(p.changes).to.deep.equal(['enable ufw (and start it at boot)']);
      expect(ran(p)).to.deep.equal(['ufw --force enable']);
      expect(plan({ state: 'enabled' }, { enabled: true }).changes).to.deep.equal([]);
      expect(plan({ state: 'disabled' }, { enabled: false }).changes).to.deep.equal([]);
    });

    it('runs rule, then policy, then enable, in one step', () => {
      const p = plan({ state: 'enabled', policy: 'deny', rule: 'allow', port: '8080', proto: 'tcp' }, { input: 'ACCEPT' });
      expect(ran(p)).to.deep.equal(['ufw allow in proto tcp from any to any port 8080', 'ufw default deny incoming', 'ufw --force enable']);
    });

    it('compares logging levels as Ansible does', () => {
      expect(plan({ logging: 'on' }).changes).to.deep.equal([]);
      expect(plan({ logging: 'low' }).changes).to.deep.equal([]);
      expect(plan({ logging: 'medium' }).changes).to.deep.equal(['set ufw logging to medium']);
    });

    it('fails, asking for become, when the rule files cannot be read', () => {
      expect(plan({ rule: 'allow', port: '22', proto: 'tcp' }, { unreadable: true, rules4: '', rules6: '' }).failure).to.deep.equal({ msg: 'cannot read /etc/ufw/user.rules (only root may): run this task with become: true' });
    });

    it('fails needing the ufw package when it is not installed yet', () => {
      expect(plan({ state: 'enabled' }, { installed: false }).failure).to.deep.equal({ msg: 'ufw is not installed on this host (install the ufw package first)', needs: [{ kind: 'package', name: 'ufw' }] });
    });
  });

  describe('SSH safety', () => {
    it('refuses to enable a denying firewall without a rule for the SSH port in use', () => {
      const p = plan({ state: 'enabled' }, { rules4: ONLY_REDIS, rules6: EMPTY_RULES });
      expect(p.steps).to.deep.equal([]);
      expect(p.failure?.needs).to.equal(undefined);
      expect(p.failure?.msg).to.equal("refusing to change ufw: the result would block new SSH connections on port 22 from 10.77.0.1 on eth0, the connection runbook is using, so the host would lock it out: "
        + "no rule that matches it allows it, and the default incoming policy is deny. Add the rule first, in a task before this one: community.general.ufw: { rule: allow, port: '22', proto: tcp } (an 'interface' on it must be eth0). Nothing was changed.");
    });

    it('refuses to set default deny incoming without it, even while disabled', () => {
      expect(plan({ policy: 'deny' }, { input: 'ACCEPT', rules4: ONLY_REDIS }).failure?.msg).to.match(/^refusing to change ufw: the result would block new SSH connections on port 22/);
    });

    it('uses the port sshd saw (SSH_CONNECTION), then ansible_port', () => {
      expect(plan({ state: 'enabled' }, { ssh: '10.77.0.1 40522 10.77.0.12 2200' }).failure?.msg).to.match(/port 2200 from 10\.77\.0\.1 on eth0/);
      expect(plan({ state: 'enabled' }, { ssh: '', rules4: ONLY_REDIS }, { ansible_port: 2022 }).failure?.msg).to.match(/SSH connections on port 2022, the connection/);
      expect(plan({ state: 'enabled' }, { ssh: '', rules4: ONLY_REDIS }, { ansible_connection: 'local' }).failure).to.equal(undefined);
    });

    it('accepts a limit rule or a source network that holds the controller, not one that does not', () => {
      const limit = '### tuple ### limit tcp 2222 0.0.0.0/0 any 10.0.0.0/8 in_eth0\n';
      expect(plan({ state: 'enabled' }, { rules4: limit, ssh: '10.77.0.1 40522 10.77.0.12 2222' }).failure).to.equal(undefined);
      expect(plan({ state: 'enabled' }, { rules4: limit, ssh: '192.168.1.5 40522 10.77.0.12 2222' }).failure?.msg).to.match(/from 192\.168\.1\.5/);
    });

    it('accepts the SSH rule added by the same task', () => {
      const p = plan({ state: 'enabled', rule: 'allow', port: '22', proto: 'tcp' }, { rules4: EMPTY_RULES, rules6: EMPTY_RULES });
      expect(p.failure).to.equal(undefined);
      expect(p.changes).to.deep.equal(['add rule: allow in proto tcp from any to any port 22', 'enable ufw (and start it at boot)']);
    });

    it('refuses to delete the only SSH rule of an active denying firewall', () => {
      expect(plan({ rule: 'allow', port: '22', proto: 'tcp', delete: true }, { enabled: true }).failure?.msg).to.match(/^refusing to change ufw/);
      expect(plan({ rule: 'allow', port: '22', proto: 'tcp', delete: true }, { enabled: false }).failure).to.equal(undefined);
    });

    it('does not count an allow rule on another interface than the one carrying SSH (allow 22 on eth9)', () => {
      const eth9 = '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth9\n';
      const p = plan({ state: 'enabled' }, { rules4: eth9, rules6: EMPTY_RULES });
      expect(p.steps).to.deep.equal([]);
      expect(p.failure?.msg).to.match(/block new SSH connections on port 22 from 10\.77\.0\.1 on eth0/);
      expect(plan({ state: 'enabled', rule: 'allow', port: '22', proto: 'tcp', interface: 'eth9' }, { rules4: EMPTY_RULES, rules6: EMPTY_RULES }).failure?.msg).to.match(/must be eth0/);
      expect(plan({ state: 'enabled' }, { rules4: eth9, rules6: EMPTY_RULES, iface: 'eth9' }).failure).to.equal(undefined);
    });

    it('evaluates rules in order: an earlier deny from the controller wins over a later allow 22', () => {
      const denyFirst = '### tuple ### deny any any 0.0.0.0/0 any 10.77.0.1 in\n### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n';
      const p = plan({ state: 'enabled' }, { rules4: denyFirst, rules6: EMPTY_RULES });
      expect(p.steps).to.deep.equal([]);
      expect(p.failure?.msg).to.match(/rule 1 \(deny from 10\.77\.0\.1\) drops it, before any later rule can allow it\. Delete that rule/);
      const allowFirst = '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n### tuple ### deny any any 0.0.0.0/0 any 10.77.0.1 in\n';
      expect(plan({ state: 'enabled' }, { rules4: allowFirst, rules6: EMPTY_RULES }).failure).to.equal(undefined);
    });

    it('refuses to add a deny from the controller to an active firewall, even one allowing incoming', () => {
      const p = plan({ rule: 'deny', from: '10.77.0.0/24' }, { enabled: true, input: 'ACCEPT', rules4: EMPTY_RULES, rules6: EMPTY_RULES });
      expect(p.failure?.msg).to.match(/rule 1 \(deny from 10\.77\.0\.0\/24\) drops it/);
      expect(plan({ rule: 'deny', from: '10.99.0.0/24' }, { enabled: true, input: 'ACCEPT', rules4: EMPTY_RULES, rules6: EMPTY_RULES }).failure).to.equal(undefined);
      expect(plan({ rule: 'deny', from: '10.77.0.0/24' }, { enabled: false, input: 'ACCEPT', rules4: EMPTY_RULES, rules6: EMPTY_RULES }).failure).to.equal(undefined);
    });

    it('lets a firewall that allows incoming by default be enabled', () => {
      expect(plan({ state: 'enabled' }, { input: 'ACCEPT', rules4: EMPTY_RULES }).failure).to.equal(undefined);
    });
  });

  describe('a loop of rules in one python3 process (loopBatch)', () => {
    const batch = (raws: Record<string, unknown>[], host: UfwFixture = {}) =>
      ufwModule.loopBatch!(raws.map((raw) => ({ args: parseUfwArgs(raw, loc), ctx: context({}) })), ufwProbe(host));

    it('plans each rule after the earlier ones and applies the changed ones in order, in one step', () => {
      const b = batch([
        { rule: 'allow', proto: 'tcp', from_ip: '10.77.0.13', port: 6379 },
        { rule: 'allow', proto: 'tcp', from_ip: '10.77.0.12', port: 6379 },
        { rule: 'allow', proto: 'tcp', from_ip: '10.77.0.14', port: 6379 },
        { rule: 'allow', proto: 'tcp', from_ip: '10.77.0.13', port: 6379 },
      ]);
      expect(b.plans.map((p) => p.changes.length)).to.deep.equal([1, 0, 1, 0]);
      const step = b.step([0, 2]);
      expect(step.script).to.match(/^export LC_ALL=C\npython3 -c '/);
      expect(JSON.parse(String(step.stdin))).to.deep.equal([
        [['allow', 'in', 'proto', 'tcp', 'from', '10.77.0.13', 'to', 'any', 'port', '6379']],
        [['allow', 'in', 'proto', 'tcp', 'from', '10.77.0.14', 'to', 'any', 'port', '6379']],
      ]);
      // The same rules one by one: the plans are what each item alone plans from the host as it then is.
      expect(b.plans[0]!.data).to.deep.equal(plan({ rule: 'allow', proto: 'tcp', from_ip: '10.77.0.13', port: 6379 }).data);
    });

    it('counts the items the step applied from its marks, and names the failure', () => {
      const b = batch([{ rule: 'allow', port: '80' }, { rule: 'allow', port: '81' }, { rule: 'allow', port: '82' }], { rules4: EMPTY_RULES, rules6: EMPTY_RULES });
      expect(b.applied({ stdout: 'rb-ufw-item 0 ok\nrb-ufw-item 1 ok\nrb-ufw-item 2 ok\n', stderr: 'Rules updated\n', code: 0 }, [0, 1, 2])).to.deep.equal({ count: 3 });
      expect(b.applied({ stdout: 'rb-ufw-item 0 ok\n', stderr: 'Rules updated\nERROR: Could not update running firewall\n', code: 1 }, [0, 1, 2]))
        .to.deep.equal({ count: 1, failed: 'ufw failed with exit code 1: Rules updated\nERROR: Could not update running firewall' });
      expect(b.applied({ stdout: '', stderr: 'python3: not found', code: 127 }, [0, 1, 2]).count).to.equal(0);
    });

    it('guards SSH item by item: a rule that would lock out is refused, the others go in', () => {
      const b = batch([
        { rule: 'allow', port: '80', proto: 'tcp' },
        { rule: 'deny', from: '10.77.0.0/24' },
        { rule: 'allow', port: '22', proto: 'tcp' },
        { rule: 'deny', from: '10.77.0.0/24' },
      ], { enabled: true, input: 'DROP', rules4: EMPTY_RULES, rules6: EMPTY_RULES, ssh: '10.77.0.1 40522 10.77.0.12 22' });
      // Active, denying by default, no SSH rule yet: adding 80 alone already leaves SSH blocked, as it would one by one.
      expect(b.plans.map((p) => (p.failure ? 'refused' : p.changes.length ? 'change' : 'ok'))).to.deep.equal(['refused', 'refused', 'change', 'change']);
      expect(b.plans[1]!.failure?.msg).to.match(/^refusing to change ufw/);
    });

    it('plans enable and the default policy after rules added earlier in the loop', () => {
      const b = batch([{ rule: 'allow', port: '22', proto: 'tcp' }, { policy: 'deny' }, { state: 'enabled' }], { input: 'ACCEPT', rules4: EMPTY_RULES, rules6: EMPTY_RULES });
      expect(b.plans.map((p) => p.failure?.msg ?? p.changes.join())).to.deep.equal([
        'add rule: allow in proto tcp from any to any port 22',
        'set the default policy for incoming traffic to deny (was allow)',
        'enable ufw (and start it at boot)',
      ]);
    });
  });

  it('validates arguments before any connection', () => {
    expect(() => parseUfwArgs({ rule: 'allow', port: 'ssh' }, loc)).to.throw(InputError, /port number/);
    expect(() => parseUfwArgs({ rule: 'allow', port: '60000:61000' }, loc)).to.throw(InputError, /needs proto: tcp/);
    expect(() => parseUfwArgs({ port: '22' }, loc)).to.throw(InputError, /at least one of/);
    expect(() => parseUfwArgs({ state: 'enabled', port: '22' }, loc)).to.throw(InputError, /need 'rule/);
    expect(() => parseUfwArgs({ rule: 'allow', from: '10.0.0.300' }, loc)).to.throw(InputError, /an IP address or a network/);
    expect(() => parseUfwArgs({ rule: 'allow', from: '10.0.0.1', to: '::1' }, loc)).to.throw(InputError, /must both be IPv4 or both IPv6/);
  });
});
