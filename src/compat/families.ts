// Which tasks `runbook compat` sets apart from its headline figure: modules that only run on another
// OS family than runbook's hosts (RHEL and its kin, Arch, SUSE, the BSDs, Solaris, macOS, Windows)
// and cloud APIs. Issue 14 measures "tasks outside RHEL-only and cloud modules"; this file is the
// one explicit list behind that figure, so what is excluded can be read and argued about here.
import { isMapping } from '../yaml/expect.js';
import { splitArgs } from '../playbook/kv.js';
import { TASK_KEYWORDS } from '../playbook/keywords.js';

export type Family = 'rhel' | 'other-os' | 'cloud' | 'windows';

export interface FamilyInfo {
  /** How the report names it. */
  label: string;
  /** Why its tasks are outside the figure. */
  why: string;
  /** Module names (bare, without a collection prefix). */
  modules: readonly string[];
  /** Module name prefixes (`ec2_` for ec2_vol, ec2_elb, ...). */
  prefixes: readonly string[];
  /** Collections all of whose modules are in the family (`amazon.aws`). */
  collections: readonly string[];
}

/**
 * The families, in the order the report prints them. Windows-only tasks are set apart too, and
 * counted on their own line: Ansible's Windows content runs over WinRM on Windows hosts, which
 * runbook (an ssh runner for POSIX hosts) does not target, and which no Debian host is.
 */
export const FAMILIES: Record<Family, FamilyInfo> = {
  rhel: {
    label: 'RHEL-only',
    why: "the Red Hat family's package manager, repositories, subscriptions, SELinux and firewalld (Debian uses apt, AppArmor and ufw/nftables; firewalld is packaged in Debian but is not its firewall)",
    modules: [
      'yum', 'dnf', 'yum_repository', 'rpm_key', 'yum_versionlock', 'dnf_versionlock', 'redhat_subscription', 'rhsm_repository', 'rhsm_release',
      'rhn_channel', 'rhn_register', 'seboolean', 'selinux', 'sefcontext', 'selinux_permissive', 'selogin', 'seport', 'semodule', 'firewalld', 'firewalld_info',
    ],
    prefixes: [],
    collections: ['redhat.rhel_system_roles'],
  },
  'other-os': {
    label: 'other OS families',
    why: "package managers and services of Arch, SUSE, Alpine, Gentoo, the BSDs, Solaris, AIX, HP-UX and macOS, which a Debian host does not have",
    modules: [
      'pacman', 'pacman_key', 'zypper', 'zypper_repository', 'apk', 'portage', 'portinstall', 'layman', 'pkgng', 'pkgin', 'openbsd_pkg', 'sysrc',
      'pkg5', 'pkg5_publisher', 'pkgutil', 'svr4pkg', 'solaris_zone', 'smf', 'installp', 'swdepot', 'urpmi', 'slackpkg', 'xbps', 'sorcery',
      'homebrew', 'homebrew_cask', 'homebrew_tap', 'macports', 'osx_defaults', 'launchd',
    ],
    prefixes: ['aix_'],
    collections: [],
  },
  cloud: {
    label: 'cloud',
    why: "calls to a cloud provider's API (AWS, Azure, Google Cloud, OpenStack, DigitalOcean, Linode, Rackspace, Hetzner, ...), not changes on a host",
    modules: ['ec2', 'rds', 's3', 'iam', 'gce', 'rax', 'linode', 'linode_v4', 'digital_ocean', 'cloudformation', 'route53', 'lambda', 'gc_storage', 'sts_assume_role'],
    prefixes: [
      'ec2_', 'rds_', 's3_', 'iam_', 'aws_', 'elb_', 'ecs_', 'efs', 'cloudformation_', 'cloudfront_', 'route53_', 'lambda_', 'sns', 'sqs_', 'dynamodb_',
      'kinesis_', 'redshift', 'elasticache', 'azure_', 'gcp_', 'gce_', 'gcdns_', 'gcpubsub', 'os_', 'openstack_', 'digital_ocean_', 'rax_', 'hcloud_', 'vultr_',
      'scaleway_', 'packet_', 'oneandone_', 'profitbricks', 'cloudscale_',
    ],
    collections: ['amazon.aws', 'community.aws', 'azure.azcollection', 'google.cloud', 'openstack.cloud', 'community.digitalocean', 'hetzner.hcloud', 'linode.cloud', 'vultr.cloud'],
  },
  windows: {
    label: 'Windows-only',
    why: 'Windows hosts over WinRM (win_* modules, plays with connection: winrm or psrp): runbook manages POSIX hosts over ssh',
    modules: [],
    prefixes: ['win_'],
    collections: ['ansible.windows', 'community.windows', 'chocolatey.chocolatey'],
  },
};

export const FAMILY_ORDER: readonly Family[] = ['rhel', 'other-os', 'cloud', 'windows'];

/** `community.general.pacman` → `pacman`; a bare name stays as it is. */
export function bareModule(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The family a module belongs to, or undefined for the modules that stay in the figure. */
export function familyOf(module: string): Family | undefined {
  const bare = bareModule(module);
  const collection = module.includes('.') ? module.slice(0, module.lastIndexOf('.')) : '';
  for (const f of FAMILY_ORDER) {
    const info = FAMILIES[f];
    if (collection && info.collections.includes(collection)) return f;
    if (info.modules.includes(bare) || info.prefixes.some((p) => bare.startsWith(p))) return f;
  }
  return undefined;
}

/** A play's connection that only reaches Windows hosts. */
export function playFamily(play: unknown): Family | undefined {
  if (!isMapping(play)) return undefined;
  const c = play.connection;
  return c === 'winrm' || c === 'psrp' ? 'windows' : undefined;
}

const KEYWORDS: ReadonlySet<string> = new Set<string>([...TASK_KEYWORDS, 'block', 'rescue', 'always', 'with_dict', 'with_list', 'with_lines', 'with_indexed_items', 'with_random_choice', 'first_available_file', 'sudo', 'sudo_user', 'remote_user', 'become_flags', 'timeout', 'diff', 'debugger', 'collections', 'ignore_unreachable', 'port']);

/**
 * The module a raw task entry (as written in YAML) calls, read the way the loader reads it: the key
 * that is not a keyword, or the first word of `action:`/`local_action:`. Undefined for none.
 */
export function moduleOfEntry(entry: unknown): string | undefined {
  if (!isMapping(entry)) return undefined;
  for (const key of ['action', 'local_action']) {
    const v = entry[key];
    if (typeof v === 'string') return splitArgs(v)[0]?.text;
    if (isMapping(v) && typeof v.module === 'string') return v.module;
  }
  return Object.keys(entry).find((k) => !KEYWORDS.has(k) && !k.startsWith('with_'));
}
