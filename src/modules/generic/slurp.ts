// slurp: reads a file on the host and returns its bytes base64-encoded, as Ansible 2.14's slurp does.
// The content is data from the host: registered results are host data (core/host-data.ts), so a
// `{{` in the file stays text even after b64decode, and is never rendered.
import { shQuote } from '../../core/shell.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';
import type { ExecResult } from '../../transport/types.js';

export const slurpSpec = defineSpec({
  description: 'Reads a file on the host and returns its content base64-encoded (for register:); never changes anything.',
  args: {
    src: { type: 'str', required: true, aliases: ['path'], description: 'The file on the host to read. A link is followed, as Ansible does.' },
  },
  examples: `- name: Read the application's generated secret
  slurp:
    src: /etc/app/secret.key
  register: key

- name: Use it
  debug:
    msg: "{{ key.content | b64decode }}"`,
  returns: {
    content: 'The file\'s bytes, base64-encoded.',
    encoding: "Always 'base64'.",
    source: 'The path that was read (src).',
  },
});

export type SlurpArgs = ArgsOf<typeof slurpSpec>;

/** One read: the verdict on the first line, then the content as one base64 line. */
export function slurpProbe(a: SlurpArgs): string {
  const p = shQuote(a.src);
  return [
    `if [ -d ${p} ]; then echo dir`,
    `elif [ ! -e ${p} ]; then echo missing`,
    `elif [ ! -r ${p} ]; then echo unreadable`,
    `else echo ok && base64 -w 0 < ${p}; fi`,
  ].join('\n');
}

export function planSlurp(a: SlurpArgs, probe: ExecResult): Plan {
  const nl = probe.stdout.indexOf('\n');
  const verdict = nl < 0 ? probe.stdout.trim() : probe.stdout.slice(0, nl);
  const fail = (msg: string): Plan => ({ changes: [], steps: [], failure: { msg } });
  // Ansible's messages, word for word, so playbooks that test failed_when on msg keep working.
  if (verdict === 'missing') return fail(`file not found: ${a.src}`);
  if (verdict === 'dir') return fail('source is a directory and must be a file');
  if (verdict === 'unreadable') return fail(`file is not readable: ${a.src}`);
  if (verdict !== 'ok' || probe.code !== 0) return fail(`unable to slurp file: ${probe.stderr.trim() || `exit code ${probe.code}`}`);
  const content = probe.stdout.slice(nl + 1).trim();
  return { changes: [], steps: [], data: { content, encoding: 'base64', source: a.src } };
}

export const slurpModule: RemoteModule<SlurpArgs> = {
  kind: 'remote',
  name: 'slurp',
  ...specFields(slurpSpec),
  parse: (raw, loc) => parseSpec('slurp', slurpSpec, raw, loc).args,
  probe: (a) => ({ script: slurpProbe(a) }),
  plan: (a, probe) => planSlurp(a, probe),
};
