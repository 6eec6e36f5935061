// Arguments several modules share, described once: spread them into a spec's args (spec.ts).
import type { ArgSpec } from '../spec.js';

export const ownerArg = { type: 'str', description: 'Owner of the file (a user name or uid); the user must exist on the host.' } as const satisfies ArgSpec;
export const groupArg = { type: 'str', description: 'Group of the file (a group name or gid).' } as const satisfies ArgSpec;
export const modeArg = {
  type: 'mode',
  description: "File mode: '0644' or 'u=rw,g=r,o=r'. Unquoted 0644 is read as octal, as Ansible does; a number without the leading zero (644) is refused.",
} as const satisfies ArgSpec;
const seIgnored = (part: string) =>
  ({
    type: 'str',
    ignored: true,
    description: `The SELinux ${part} of the file: accepted so Ansible roles run, and ignored (Debian hosts run without SELinux; runbook does not set SELinux contexts).`,
  }) as const satisfies ArgSpec;
/**
 * Ansible's file arguments runbook accepts and ignores: the SELinux context (setype, seuser, serole,
 * selevel) and unsafe_writes (runbook's writes are always atomic).
 */
export const ignoredFileArgs = {
  setype: seIgnored('type'),
  seuser: seIgnored('user'),
  serole: seIgnored('role'),
  selevel: seIgnored('level'),
  unsafe_writes: { type: 'bool', ignored: true, description: 'Accepted and ignored: runbook always replaces a file atomically.' },
} as const satisfies Record<string, ArgSpec>;
/** owner, group and mode together, as readAttrs reads them, with the file arguments runbook accepts and ignores. */
export const attrArgs = { mode: modeArg, owner: ownerArg, group: groupArg, ...ignoredFileArgs } as const;
export const backupArg = { type: 'bool', default: false, description: 'Keep a timestamped copy of the old file beside it before changing it.' } as const satisfies ArgSpec;
export const validateArg = {
  type: 'str',
  description: 'A command that checks the new file before it replaces the old one; %s is the candidate file. A non-zero exit refuses the change.',
} as const satisfies ArgSpec;

/** follow on the modules that write a file's content (host-path.ts, docs/security.md). */
export const followWriteArg = {
  type: 'bool',
  default: false,
  description: "Write the file a symbolic link at dest points to, keeping the link; without it the link is replaced by the file. Only a link owned by root, the task's user or the owner of its target is followed; any other fails the task.",
} as const satisfies ArgSpec;
/** follow on the modules that edit a file in place. */
export const followEditArg = {
  type: 'bool',
  default: false,
  description: "Edit the file a symbolic link at path points to, keeping the link; without it the link is replaced by a new file, edited from empty. Only a link owned by root, the task's user or the owner of its target is followed; any other fails the task.",
} as const satisfies ArgSpec;

export const fileDiffText = "The file's text before and after, as a unified diff (secrets masked). A symbolic link being replaced shows as the link, never as its target's text.";
