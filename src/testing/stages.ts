// The stages of `runbook test` that --only names, in the order they run.
export const STAGES = ['check', 'converge', 'idempotence', 'verify'] as const;
export type StageName = (typeof STAGES)[number];
