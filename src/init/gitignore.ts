// What a runbook project or role must never commit: vault passwords and lab hosts' keys.
export const GITIGNORE = `# Vault password files: the password opens every encrypted vars file.
.vault_pass*
.vault-pass*
*.vault-password
vault-password*
# Lab hosts (runbook lab, runbook test): their private keys and inventories.
.lab/
`;
