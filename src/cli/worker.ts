// `runbook worker`: reads its own settings (queue address and password, vault password, SSH key),
// then serves jobs. Needs no project folder: every run brings its own bundle.
import { hostname, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { choosePasswordSource } from '../vault/password.js';
import { parseQueueUrl, passwordSources } from '../queue/url.js';
import { maskError } from './mask-error.js';
import { SecretSet } from '../secrets/mask.js';

export async function workerCommand(opts: Record<string, unknown>): Promise<number> {
  const addr = parseQueueUrl(String(opts.queue), passwordSources(process.env, opts.queuePasswordFile as string | undefined));
  const name = (opts.name as string | undefined) ?? `${hostname()}:${process.pid}`;
  if (!/^[\w.:@-]{1,100}$/.test(name)) throw new InputError(`--name '${name.slice(0, 100)}': use letters, digits and . _ : @ - only`);
  const cacheDir = resolve((opts.cacheDir as string | undefined) ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'runbook', 'bundles'));
  const vaultFile = opts.vaultPasswordFile as string | undefined;
  const vaultPassword = choosePasswordSource({ ...(vaultFile ? { cliFile: resolve(vaultFile) } : {}), interactive: false });
  const { runWorker } = await import('../queue/worker.js');
  const secrets = new SecretSet();
  if (addr.password) secrets.add(addr.password);
  try {
    return await runWorker({
      addr, name, cacheDir,
      concurrency: (opts.concurrency as number | undefined) ?? 4,
      drivers: (opts.drivers as number | undefined) ?? 4,
      stallSeconds: (opts.stallSeconds as number | undefined) ?? 10,
      ...(vaultPassword ? { vaultPassword } : {}),
      ...(opts.privateKey ? { privateKeyFile: resolve(String(opts.privateKey)) } : {}),
      ...(opts.knownHosts ? { knownHostsFile: resolve(String(opts.knownHosts)) } : {}),
      log: (line) => process.stderr.write(`${secrets.mask(line)}\n`),
    });
  } catch (err) {
    maskError(err, secrets);
    throw err;
  }
}
