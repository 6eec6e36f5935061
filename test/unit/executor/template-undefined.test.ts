// An undefined variable in a template is found per host, while planning, before that host's file
// is written: the real templater and template module, over /bin/sh on this machine.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { templateModule } from '../../../src/modules/generic/template.js';
import { createTemplater } from '../../../src/template/index.js';
import type { ExecResult, Transport } from '../../../src/transport/types.js';
import { tempDir } from '../modules/lib/local.js';
import { harness, inventory, play, recapOf, task } from './harness.js';

function shTransport(host: string, scripts: string[]): Transport {
  return {
    host,
    async exec(script, options): Promise<ExecResult> {
      scripts.push(script);
      const r = spawnSync('sh', ['-c', script], { input: options?.stdin ?? '' });
      return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), code: r.status };
    },
    forward: () => Promise.reject(new Error('no forwarding')),
    close: () => Promise.resolve(),
  };
}

describe('executor: an undefined variable in a template', () => {
  it('fails only the host that lacks it, naming template:line:col and the variable, before its file is written', async () => {
    const t = tempDir();
    try {
      mkdirSync(t.path('templates'));
      writeFileSync(t.path('templates/motd.hbs'), '# managed\nowner: {{motd_owner}}\nhost: {{inventory_hostname}}\n');
      writeFileSync(t.path('web2.motd'), 'old web2\n');
      const hosts = ['web1', 'web2'];
      const h = harness([play([task('template', { src: 'motd.hbs', dest: `${t.dir}/{{inventory_hostname}}.motd` }, { name: 'motd' })])], hosts, {}, [], [templateModule]);
      h.ctx.templating = createTemplater();
      h.ctx.inventory = inventory(hosts, {}, { web1: { motd_owner: 'ops' } });
      h.ctx.playbook = { ...h.ctx.playbook, dir: t.dir };
      const scripts: Record<string, string[]> = { web1: [], web2: [] };
      h.ctx.connections = { get: async (host) => shTransport(host, scripts[host]!), closeAll: async () => {} };

      expect(await runPlaybook(h.ctx)).to.equal(2);
      expect(readFileSync(t.path('web1.motd'), 'utf8')).to.equal('# managed\nowner: ops\nhost: web1\n');
      expect(readFileSync(t.path('web2.motd'), 'utf8')).to.equal('old web2\n');
      const fail = h.events.find((e) => e.type === 'host_result' && e.host === 'web2');
      expect(fail && fail.type === 'host_result' ? fail.msg : '').to.match(new RegExp(`^${join(t.dir, 'templates/motd.hbs')}:2:\\d+: undefined variable 'motd_owner'`));
      // web2 only read its file: no write step reached it.
      expect(scripts.web2!.some((s) => s.includes('.runbook-tmp.'))).to.equal(false);
      expect(scripts.web1!.some((s) => s.includes('.runbook-tmp.'))).to.equal(true);
      expect(recapOf(h).hosts.web1).to.include({ ok: 1, changed: 1, failed: 0 });
      expect(recapOf(h).hosts.web2).to.include({ failed: 1, changed: 0 });
    } finally {
      t.cleanup();
    }
  });
});
