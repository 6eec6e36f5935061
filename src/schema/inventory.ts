// YAML inventories (src/inventory/yaml-format.ts: groups of hosts, children and vars, nested to any
// depth) and vars files (group_vars, host_vars, role defaults): free-form, with the connection
// variables runbook reads (src/transport/spec.ts) described and typed.
import { argBool, argInt, argStr, TEMPLATE, type JsonSchema } from './values.js';

const choice = (values: string[], description: string): JsonSchema => ({ description, anyOf: [{ enum: values }, { type: 'string', pattern: TEMPLATE }] });
const secret = (description: string): JsonSchema => ({ description: `${description} Keep it in a vault-encrypted file (runbook vault encrypt) or pass it with -e @file.` });

/** The inventory variables runbook itself reads; every other variable is the user's. */
export const CONNECTION_VARS: Record<string, JsonSchema> = {
  ansible_host: argStr('Address (or ssh_config Host name) to connect to, when it differs from the inventory name.'),
  ansible_port: { ...argInt('SSH port (default 22, or the ssh_config Port).', 1), maximum: 65535 },
  ansible_user: argStr('SSH user (default: -u, runbook.cfg, the ssh_config User, then your own user).'),
  ansible_connection: choice(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh', 'local', 'ansible.builtin.local'], 'How to reach the host: ssh (the default; smart and paramiko mean the same to runbook) or local (run on the controller).'),
  ansible_password: secret('SSH password.'),
  ansible_ssh_private_key_file: argStr('Private key file for SSH (~ is expanded).'),
  ansible_private_key_file: argStr('Alias of ansible_ssh_private_key_file.'),
  ansible_ssh_common_args: argStr('Extra ssh options; runbook reads -o ProxyJump=... / -J (a bastion) and -F (an ssh config file) from them.'),
  ansible_ssh_extra_args: argStr('Like ansible_ssh_common_args.'),
  ansible_host_key_checking: argBool('Check the host key against known_hosts (default true). Turn off only for throwaway hosts.'),
  ansible_become: argBool('Use sudo for every task on this host, as if the play said become: true.'),
  ansible_become_user: argStr('The user become switches to (default root).'),
  ansible_become_method: choice(['sudo', 'su', 'ansible.builtin.sudo', 'ansible.builtin.su'], 'sudo (the default) or su; beats the become_method keyword, as in Ansible.'),
  ansible_become_flags: argStr('Extra options for su or sudo (e.g. -l); beats the become_flags keyword.'),
  ansible_become_password: secret("The password sudo asks for (the login's), or su asks for (the become user's); given through askpass for sudo, typed at su's prompt on a pty, never on a command line."),
  ansible_su_pass: secret('With become_method su: alias of ansible_become_password.'),
  ansible_su_prompt_l10n: { description: "With become_method su: the words su's password prompt may start with (a list, or comma-separated), when it speaks a language runbook does not know.", anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
  ansible_become_pass: secret('Alias of ansible_become_password.'),
  ansible_python_interpreter: argStr('Accepted for Ansible inventories and ignored: runbook needs no Python on the hosts.'),
  ansible_group_priority: argInt('For group vars: a higher priority wins over groups of the same depth (default 1).'),
  ansible_ssh_host: argStr('Old name of ansible_host.'),
  ansible_ssh_port: { ...argInt('Old name of ansible_port.', 1), maximum: 65535 },
  ansible_ssh_user: argStr('Old name of ansible_user.'),
  ansible_ssh_pass: secret('Old name of ansible_password.'),
};

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

export function varsDefinition(description: string): JsonSchema {
  return { description, type: ['object', 'null'], properties: CONNECTION_VARS, additionalProperties: true };
}

export function inventoryDefinitions(): Record<string, JsonSchema> {
  return {
    group: {
      description: 'A group: its hosts, its child groups and its variables.',
      type: ['object', 'null'],
      properties: {
        hosts: {
          description: 'Hosts of the group, each a key followed by a colon (web1: or web1: {ansible_host: 10.0.0.5}). Ranges: web[01:12].example.com; a port: web1:2222.',
          type: ['object', 'null'],
          additionalProperties: ref('hostVars'),
        },
        children: { description: 'Child groups: their hosts are members of this group too.', type: ['object', 'null'], additionalProperties: ref('group') },
        vars: varsDefinition('Variables of every host in the group.'),
      },
      additionalProperties: false,
    },
    hostVars: varsDefinition("The host's variables."),
  };
}
