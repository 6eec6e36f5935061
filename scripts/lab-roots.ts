// Builds the lab roots the tests boot (the base root and the variants with Ansible's python3) before the
// tests start, so no test's before-all hook spends its timeout waiting for a first-time root build
// (several minutes on a fresh, busy machine). Cached: a no-op when the roots are current.
import { ensureRoot } from '../src/lab/root.js';
import { MONITORING_PACKAGES } from '../test/integration/support/monitoring-host.js';

/**
 * The variants test/integration asks for: jinja-role.test.ts (python3), differential.test.ts (python3,
 * python3-apt), rabbitmq.test.ts (rabbitmq-server, fetched from the mirror: it is not in the offline repo).
 */
const VARIANTS: readonly (readonly string[])[] = [[], ['python3'], ['python3', 'python3-apt'], ['rabbitmq-server'], ['postgresql'], MONITORING_PACKAGES];

const log = (line: string): void => console.log(`  [lab] ${line}`);
for (const extra of VARIANTS) {
  const started = Date.now();
  const root = await ensureRoot(log, extra);
  console.log(`lab root${extra.length ? ` with ${extra.join(', ')}` : ''}: ${root} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
