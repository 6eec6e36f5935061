// Command-line flags over the config file (runbook.cfg or ansible.cfg) over built-in defaults,
// in one place so the order can be tested without a run.
import type { RunbookConfig } from '../config/load.js';
import { toBecomeMethod } from '../playbook/keywords.js';

export interface EffectiveSettings {
  /** -i values in order (each a path, a comma-separated list, or host names), else the config file's. */
  inventory?: string[];
  forks: number;
  user?: string;
  privateKeyFile?: string;
  become: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo' | 'su';
  becomeFlags?: string;
  askBecomePass: boolean;
}

export function effectiveSettings(opts: Record<string, unknown>, config: RunbookConfig): EffectiveSettings {
  const becomeUser = (opts.becomeUser as string | undefined) ?? config.becomeUser;
  const becomeMethod = opts.becomeMethod !== undefined ? toBecomeMethod(opts.becomeMethod, undefined, '--become-method') : config.becomeMethod;
  return {
    ...inventorySetting(opts.inventory, config.inventory),
    forks: (opts.forks as number | undefined) ?? config.forks ?? 20,
    ...(((opts.user as string | undefined) ?? config.remoteUser) !== undefined ? { user: (opts.user as string | undefined) ?? config.remoteUser } : {}),
    ...(((opts.privateKey as string | undefined) ?? config.privateKeyFile) !== undefined ? { privateKeyFile: (opts.privateKey as string | undefined) ?? config.privateKeyFile } : {}),
    // -b only turns become on, as in Ansible; ansible.cfg's become = True is the default under it.
    become: Boolean(opts.become) || config.become === true,
    ...(becomeUser ? { becomeUser: String(becomeUser) } : {}),
    ...(becomeMethod ? { becomeMethod } : {}),
    ...(config.becomeFlags !== undefined ? { becomeFlags: config.becomeFlags } : {}),
    askBecomePass: Boolean(opts.askBecomePass) || config.becomeAskPass === true,
  };
}

/** -i (repeatable; a single string from callers that pass one) beats the config file's `inventory`. */
function inventorySetting(flag: unknown, configured: string | undefined): { inventory?: string[] } {
  const given = typeof flag === 'string' ? [flag] : Array.isArray(flag) ? flag.map(String) : [];
  if (given.length > 0) return { inventory: given };
  return configured !== undefined ? { inventory: [configured] } : {};
}
