// The vault's public surface: formats, password sources, and the per-run Vault.
export { decryptAnsible, encryptAnsible, parseAnsibleHeader } from './ansible-format.js';
export { decryptVaultText, encryptVaultText, isVaultText, vaultFormatOf, type VaultFormat } from './envelope.js';
export { VaultDecryptError } from './errors.js';
export { choosePasswordSource, passwordFile, passwordValue, promptNewPassword, promptPassword, PASSWORD_ENV, PASSWORD_HINT, type PasswordChoice, type PasswordSource } from './password.js';
export { decryptRunbook, encryptRunbook, RUNBOOK_HEADER } from './runbook-format.js';
export { missingPasswordError, openVarsText, revealVaultValues, Vault, type VaultOptions, type VaultWhere } from './vault.js';
