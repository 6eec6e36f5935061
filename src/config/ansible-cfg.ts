// Reads an ansible.cfg (used when no runbook.cfg is found) onto runbook's own settings. Ansible
// has hundreds of keys; the ones runbook has a meaning for are mapped, and every other key is a
// warning naming file:line, so a setting the user relies on is never dropped without a word.
import type { SourceLoc } from '../core/types.js';
import { parseIni } from './ini.js';
import { applySetting, bool, type RunbookConfig, type SettingKey } from './settings.js';

/** [section] key -> runbook's setting. */
const MAPPED: Record<string, Record<string, SettingKey | undefined>> = {
  defaults: {
    roles_path: 'roles_path', library: 'library', inventory: 'inventory', remote_user: 'remote_user', forks: 'forks',
    private_key_file: 'private_key_file', vault_password_file: 'vault_password_file', timeout: 'timeout',
    host_key_checking: undefined, // handled below: it never turns checking off
  },
  privilege_escalation: { become: 'become', become_user: 'become_user', become_ask_pass: 'become_ask_pass', become_method: 'become_method', become_flags: 'become_flags' },
};

export function readAnsibleCfg(text: string, file: string, env: NodeJS.ProcessEnv): RunbookConfig {
  const config: RunbookConfig = { file };
  const warnings: string[] = [];
  const notices: { loc: SourceLoc; message: string }[] = [];
  const at = (loc: { line: number; col: number }): string => `${file}:${loc.line}:${loc.col}`;
  const warn = (loc: { line: number; col: number }, message: string): void => {
    warnings.push(`${at(loc)}: ${message}`);
    notices.push({ loc: { file, line: loc.line, col: loc.col }, message });
  };
  for (const [name, section] of parseIni(text, file)) {
    const known = MAPPED[name];
    for (const [key, e] of section.entries) {
      if (!known || !(key in known)) {
        warn(e.loc, `[${name}] ${key} is not supported by runbook and is ignored`);
        continue;
      }
      const setting = known[key];
      if (setting) {
        applySetting(config, setting, e, file, env);
      } else if (key === 'host_key_checking') {
        // Ansible projects often set this to skip the first-connect prompt; runbook has no such
        // prompt and turns checking off only when told so in its own runbook.cfg (docs/security.md).
        if (!bool(e, key)) {
          warn(e.valueLoc, `host_key_checking = ${e.value} is ignored: runbook always verifies host keys unless runbook.cfg turns checking off (see docs/security.md; add the hosts' keys to known_hosts with ssh-keyscan)`);
        }
      }
    }
  }
  config.warnings = warnings;
  config.notices = notices;
  return config;
}
