// The seed job's apply command as the README's quick start gives it, shared by the test that converges it and the one that checks the README.

/** `runbook apply playbooks/site.yml` (relative to the repository root, where the CLI runs), before a test adds its own inventory. */
export const SEED_APPLY: readonly string[] = ['apply', 'playbooks/site.yml'];
