// tempfile: a new temporary file (0600) or directory (0700) with an unpredictable name, made by
// mktemp on the host; changed on every run, as Ansible's, since each run makes a new one.
import { shQuote } from '../../core/shell.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const tempfileSpec = defineSpec({
  description: 'Creates a temporary file (mode 0600) or directory (0700) with a new unpredictable name, and returns its path. Every run creates another one.',
  args: {
    state: { type: 'str', choices: ['file', 'directory'], default: 'file', description: 'Create a file or a directory.' },
    path: { type: 'str', description: "The directory to create it in; default the host's temporary directory ($TMPDIR, else /tmp)." },
    prefix: { type: 'str', default: 'ansible.', description: 'The start of its name.' },
    suffix: { type: 'str', default: '', description: 'The end of its name.' },
  },
  examples: `- name: A scratch directory for the build
  tempfile:
    state: directory
    suffix: build
  register: build_dir

- name: Remove it again
  file:
    path: "{{ build_dir.path }}"
    state: absent
  when: build_dir.path is defined`,
  returns: { path: 'The file or directory created (not set in check mode).' },
  checkMode: 'Reports that it would create one, in which directory; nothing is created and path is not set (Ansible skips the task).',
});

export type TempfileArgs = ArgsOf<typeof tempfileSpec>;

/** The directory it goes in, and whether it is one: the only thing worth asking the host first. */
export function tempfileProbe(a: TempfileArgs): string {
  const dir = a.path === undefined ? '"${TMPDIR:-/tmp}"' : shQuote(a.path);
  return sectionsScript({ dir: `d=${dir}; printf 'dir=%s\\n' "$d"; if [ -d "$d" ]; then echo isdir=1; elif [ -e "$d" ]; then echo exists=1; fi` });
}

export function planTempfile(a: TempfileArgs, probe: { stdout: string; stderr: string; code: number | null }): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const kv = keyValues(parsed.sections.dir);
  const dir = kv.dir || '/tmp';
  if (!kv.isdir) {
    const msg = kv.exists ? `${dir} is not a directory` : `[Errno 2] No such file or directory: '${dir}'`;
    return { changes: [], steps: [], failure: { msg, ...(kv.exists ? {} : { needs: [{ kind: 'path', path: dir }] }) } };
  }
  const what = a.state === 'directory' ? 'directory' : 'file';
  // Python's mkstemp: prefix, 8 random characters, suffix. mktemp randomises the trailing Xs of its template.
  const script = `mktemp ${a.state === 'directory' ? '-d ' : ''}-p ${shQuote(dir)} --suffix=${shQuote(a.suffix)} ${shQuote(`${a.prefix}XXXXXXXX`)}`;
  return {
    changes: [`create a temporary ${what} ${dir.replace(/\/$/, '')}/${a.prefix}XXXXXXXX${a.suffix}`],
    steps: [{ script }],
    afterApply: (results) => {
      const r = results[0];
      if (!r || r.code !== 0) return { failed: `mktemp failed: ${r?.stderr.trim() || `exit ${r?.code}`}` };
      return { data: { path: r.stdout.trim() } };
    },
  };
}

export const tempfileModule: RemoteModule<TempfileArgs> = {
  kind: 'remote',
  name: 'tempfile',
  ...specFields(tempfileSpec),
  parse(raw, loc) {
    const { args, reader } = parseSpec('tempfile', tempfileSpec, raw, loc);
    for (const key of ['prefix', 'suffix'] as const) {
      if (args[key].includes('/')) throw reader.error(`'${key}' may not contain '/': give the directory as path`);
    }
    if (args.path === '') throw reader.error(`'path' is empty: leave it out for the host's temporary directory`);
    return args;
  },
  probe: (a) => ({ script: tempfileProbe(a) }),
  plan: (a, probe) => planTempfile(a, probe),
};
