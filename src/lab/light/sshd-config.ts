// The light lab's one sshd_config: every address of the namespace is a host, chrooted into its own root.

export type LightSshdHost = { address: string; chroot: string };

/**
 * sshd_config for the gateway sshd. One `Match LocalAddress` block per host sends a login on that
 * address into the host's own root, so each address behaves as a separate machine. HostKey cannot
 * appear in a Match block, so every host shows the same key. MaxStartups is left at OpenSSH's
 * default on purpose: the controller must cope with it (src/transport/connect-pace.ts).
 */
export function lightSshdConfig(hosts: readonly LightSshdHost[]): string {
  const lines = [
    '# Written by `runbook lab up --light`: one sshd for every light host (docs/lab.md).',
    'ListenAddress 0.0.0.0',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PidFile none',
    // PAM would want systemd-logind and a login session per host; keys are all the lab needs.
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // Read before the chroot, from the gateway root: one file per user, root-owned.
    'AuthorizedKeysFile /etc/ssh/authorized_keys/%u',
    'UseDNS no',
    'MaxStartups 10:30:100',
    'AcceptEnv LANG LC_*',
    // In-process, so it works in any chroot.
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
  ];
  for (const h of hosts) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(h.address)) throw new Error(`not an IPv4 address: ${h.address}`);
    if (!/^\/[A-Za-z0-9/_.-]+$/.test(h.chroot) || h.chroot.includes('..')) throw new Error(`unsafe chroot path: ${h.chroot}`);
    lines.push(`Match LocalAddress ${h.address}`, `\tChrootDirectory ${h.chroot}`);
  }
  return `${lines.join('\n')}\n`;
}
