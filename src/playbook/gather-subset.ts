// gather_subset: runbook gathers one fixed set of facts in one command, so the subset changes nothing;
// it is still read, so that a typo in it is an error and not a silently different Ansible play.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { toStringList } from './values.js';

/** Ansible 2.14's subset names (setup's gather_subset choices). */
export const GATHER_SUBSETS = [
  'all', 'min', 'all_ipv4_addresses', 'all_ipv6_addresses', 'apparmor', 'architecture', 'caps', 'chroot', 'cmdline', 'date_time',
  'default_ipv4', 'default_ipv6', 'devices', 'distribution', 'distribution_major_version', 'distribution_release',
  'distribution_version', 'dns', 'effective_group_ids', 'effective_user_id', 'env', 'facter', 'fips', 'hardware', 'interfaces',
  'is_chroot', 'iscsi', 'kernel', 'local', 'lsb', 'machine', 'machine_id', 'mounts', 'network', 'ohai', 'os_family',
  'pkg_mgr', 'platform', 'processor', 'processor_cores', 'processor_count', 'python', 'python_version', 'real_user_id',
  'selinux', 'service_mgr', 'ssh_host_key_dsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public',
  'ssh_host_key_rsa_public', 'ssh_host_pub_keys', 'ssh_pub_keys', 'system', 'system_capabilities',
  'system_capabilities_enforced', 'user', 'user_dir', 'user_gecos', 'user_gid', 'user_id', 'user_shell', 'user_uid',
  'virtual', 'virtualization_role', 'virtualization_type',
];

export function checkGatherSubset(v: unknown, loc: SourceLoc): void {
  for (const entry of toStringList(v, 'gather_subset', loc).flatMap((s) => s.split(','))) {
    const name = entry.trim().replace(/^!/, '');
    if (!GATHER_SUBSETS.includes(name)) {
      throw new InputError(`gather_subset: unknown subset '${entry.trim()}'`, loc, didYouMean(name, GATHER_SUBSETS) ?? 'use all, min, network, hardware, virtual, … (a ! in front excludes one)');
    }
  }
}
