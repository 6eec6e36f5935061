// ufw: rules, default policies, logging and enablement, planned from the saved rule files, never locking out the SSH connection in use.
import { shJoin } from '../../core/shell.js';
import type { Vars } from '../../core/types.js';
import type { HostThing, ModuleContext, Plan, RemoteModule } from '../types.js';
import { specFields } from '../spec.js';
import { parseUfwArgs, ufwSpec, type UfwArgs } from './ufw-args.js';
import { ufwBatchApplied, ufwBatchStep } from './ufw-batch.js';
import { parseUfwProbe, ufwProbeScript, type Policy, type UfwHost } from './ufw-probe.js';
import { ruleTuples, sameRule, type RuleSpec, type Tuple } from './ufw-rules.js';
import { sshVerdict, type SshConnection } from './ufw-verdict.js';

/** The rule as ufw's command line takes it (after `ufw`), also how the change is described. */
export function ruleWords(rule: RuleSpec, del: boolean): string[] {
  return [
    ...(del ? ['delete'] : []),
    rule.action,
    rule.direction,
    ...(rule.iface ? ['on', rule.iface] : []),
    ...(rule.log ? ['log'] : []),
    ...(rule.proto !== 'any' ? ['proto', rule.proto] : []),
    'from', rule.from,
    ...(rule.fromPort ? ['port', rule.fromPort] : []),
    'to', rule.to,
    ...(rule.toPort ? ['port', rule.toPort] : []),
    ...(rule.comment !== undefined && !del ? ['comment', rule.comment] : []),
  ];
}

/** The SSH connection runbook came in on: from the host's SSH_CONNECTION, else the inventory's port; none for a local connection. */
export function sshConnection(host: Pick<UfwHost, 'sshConnection' | 'sshIface'>, vars: Vars): SshConnection | undefined {
  const [client, clientPort, server, port] = host.sshConnection.split(/\s+/);
  if (port && /^\d+$/.test(port)) {
    return { port: Number(port), client, clientPort: /^\d+$/.test(clientPort ?? '') ? Number(clientPort) : undefined, server, iface: host.sshIface };
  }
  if (vars.ansible_connection === 'local') return undefined;
  const p = Number(vars.ansible_port ?? 22);
  return { port: Number.isInteger(p) && p > 0 ? p : 22 };
}

function logChange(want: string, current: string): boolean {
  if (want === 'off') return current !== 'off';
  if (want === 'on') return current === 'off';
  return want !== current;
}

/** One task's plan, its ufw command lines, and the configuration it leaves (what the next item of a loop plans from). */
interface UfwPlanned {
  plan: Plan;
  commands: string[][];
  after: UfwHost | { error: string };
}

export function planUfw(args: UfwArgs, host: UfwHost | { error: string }, ctx: Pick<ModuleContext, 'vars'>): Plan {
  return planOn(args, host, ctx).plan;
}

function planOn(args: UfwArgs, host: UfwHost | { error: string }, ctx: Pick<ModuleContext, 'vars'>): UfwPlanned {
  // A refused or impossible item changes nothing: the next item plans from the same configuration.
  const fail = (msg: string, extra: Pick<Plan, 'data'> & { needs?: HostThing[] } = {}): UfwPlanned => ({
    plan: { changes: [], steps: [], ...(extra.data ? { data: extra.data } : {}), failure: { msg, ...(extra.needs ? { needs: extra.needs } : {}) } },
    commands: [],
    after: host,
  });
  if ('error' in host) return fail(host.error);
  if (!host.installed) return fail('ufw is not installed on this host (install the ufw package first)', { needs: [{ kind: 'package', name: 'ufw' }] });
  if (host.unreadable) return fail(`cannot read ${host.unreadable} (only root may): run this task with become: true`);
  const changes: string[] = [];
  const commands: string[][] = [];
  const add = (change: string, words: string[]) => {
    changes.push(change);
    commands.push(words);
  };

  // reset first (as Ansible does), so the rest of the task applies to the fresh configuration
  const reset = args.state === 'reset';
  if (reset) add('reset ufw to its installation defaults (disables it, drops every rule)', ['--force', 'reset']);
  let rules: Tuple[] = reset ? [] : host.tuples;

  if (args.rule) {
    const wanted = ruleTuples(args.rule, host.ipv6);
    const words = ruleWords(args.rule, args.rule.delete);
    if (args.rule.delete && wanted.some((w) => rules.some((t) => sameRule(t, w)))) {
      add(`delete rule: ${words.slice(1).join(' ')}`, words);
      rules = rules.filter((t) => !wanted.some((w) => sameRule(t, w)));
    } else if (!args.rule.delete && !wanted.every((w) => rules.some((t) => sameRule(t, w)))) {
      add(`add rule: ${words.join(' ')}`, words);
      rules = [...rules, ...wanted];
    }
  }

  const policies: UfwHost['policies'] = reset ? { incoming: 'deny', outgoing: 'allow', routed: 'deny' } : { ...host.policies };
  const denyingIncoming = args.policy?.direction === 'incoming' && args.policy.value !== 'allow' && policies.incoming !== args.policy.value;
  if (args.policy && policies[args.policy.direction] !== args.policy.value) {
    add(`set the default policy for ${args.policy.direction} traffic to ${args.policy.value} (was ${policies[args.policy.direction]})`, ['default', args.policy.value, args.policy.direction]);
    policies[args.policy.direction] = args.policy.value;
  }

  if (args.logging && logChange(args.logging, host.logLevel)) add(`set ufw logging to ${args.logging}`, ['logging', args.logging]);

  const enabledBefore = host.enabled && !reset;
  if (args.state === 'enabled' && !enabledBefore) add('enable ufw (and start it at boot)', ['--force', 'enable']);
  if (args.state === 'disabled' && enabledBefore) add('disable ufw', ['disable']);
  if (args.state === 'reloaded') add('reload ufw', ['reload']);

  const enabledAfter = args.state === 'enabled' || (enabledBefore && args.state !== 'disabled');
  // Any change that leaves the firewall on (or sets a denying default, which a later enable would apply)
  // is judged by the rule set it leaves, in order, for the connection runbook is using.
  const refusal = changes.length > 0 && (enabledAfter || denyingIncoming) ? sshRefusal(host, rules, policies.incoming, ctx.vars) : undefined;
  const data: Vars = { commands: commands.map((c) => ['ufw', ...c]).map((c) => shJoin(c)), enabled: enabledAfter, policies };
  if (refusal) return fail(refusal, { data });
  // `ufw logging on` turns an off level into low and keeps any other.
  const logLevel = args.logging && logChange(args.logging, host.logLevel) ? (args.logging === 'on' ? 'low' : args.logging) : host.logLevel;
  const after: UfwHost = { ...host, tuples: rules, policies, enabled: enabledAfter, logLevel };
  return { plan: { changes, steps: commands.length ? [ufwBatchStep([commands])] : [], data }, commands, after };
}

/** Why the resulting rule set would refuse new SSH connections like runbook's own, or undefined when it lets them in. */
function sshRefusal(host: UfwHost, rulesAfter: Tuple[], incoming: Policy, vars: Vars): string | undefined {
  const conn = sshConnection(host, vars);
  if (!conn) return undefined;
  const verdict = sshVerdict(rulesAfter, incoming, conn);
  if (verdict.allowed) return undefined;
  const from = conn.client ? ` from ${conn.client}` : '';
  const on = conn.iface ? ` on ${conn.iface}` : '';
  const fix = verdict.rule
    ? `Delete that rule or narrow it so it does not match the controller, or insert an allow rule ahead of it (ufw insert 1 allow in${on} proto tcp${from} to any port ${conn.port})`
    : `Add the rule first, in a task before this one: community.general.ufw: { rule: allow, port: '${conn.port}', proto: tcp }`
      + (conn.iface ? ` (an 'interface' on it must be ${conn.iface})` : '');
  return `refusing to change ufw: the result would block new SSH connections on port ${conn.port}${from}${on}, the connection runbook is using, `
    + `so the host would lock it out: ${verdict.why}. ${fix}. Nothing was changed.`;
}

export const ufwModule: RemoteModule<UfwArgs> = {
  kind: 'remote',
  name: 'ufw',
  ...specFields(ufwSpec),
  parse: parseUfwArgs,
  probe: () => ({ script: ufwProbeScript() }),
  plan: (args, probe, ctx) => planUfw(args, parseUfwProbe(probe), ctx),
  // A loop's rules in one python3 process: each item planned from what the earlier ones leave, so
  // the lock-out guard judges every rule against the rule set as it will be at that point.
  loopBatch(items, probe) {
    let host = parseUfwProbe(probe);
    const planned = items.map(({ args, ctx }) => {
      const p = planOn(args, host, ctx);
      host = p.after;
      return p;
    });
    return {
      plans: planned.map((p) => p.plan),
      step: (indices) => ufwBatchStep(indices.map((i) => planned[i]!.commands)),
      applied: (result, indices) => ufwBatchApplied(result, indices.length),
    };
  },
};
