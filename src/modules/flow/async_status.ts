// async_status: reads (or erases) the job file a `poll: 0` task left on the host, so a task can
// wait for it with `until: job.finished`.
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { jobIdPattern, jobPath } from '../lib/async-job.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';
import type { ExecResult } from '../../transport/types.js';

export const asyncStatusSpec = defineSpec({
  description:
    "Reports on a job started with async: and poll: 0 (its job file under the remote user's ~/.ansible_async): finished 0 while it runs, then the job's result (rc, stdout, stderr). mode: cleanup erases the job's files.",
  args: {
    jid: { type: 'str', required: true, description: 'The job id: the ansible_job_id the async task registered.' },
    mode: { type: 'str', choices: ['status', 'cleanup'], default: 'status', description: "status: read the job's state; cleanup: remove its files." },
  },
  examples: `- name: Start the long import
  command: /usr/local/bin/import --all
  async: 600
  poll: 0
  register: import_job

- name: Wait for it
  async_status:
    jid: "{{ import_job.ansible_job_id }}"
  register: job
  until: job.finished
  retries: 60
  delay: 10`,
  returns: {
    ansible_job_id: 'The job id.',
    started: '1 once the job started.',
    finished: '1 once it ended, else 0.',
    results_file: 'The job file on the host.',
    erased: 'cleanup: the job file that was removed.',
    rc: 'Exit code of the job (when finished).',
    stdout: 'Its standard output.',
    stderr: 'Its standard error.',
  },
  checkMode: 'Reads in check mode too; cleanup removes nothing in check mode.',
});

export interface AsyncStatusArgs {
  jid: string;
  mode: 'status' | 'cleanup';
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

export function asyncStatusProbe(a: AsyncStatusArgs): string {
  const j = jobPath(a.jid);
  return sectionsScript({
    job: `if [ -f ${j} ]; then echo found=1; echo "path=$(printf '%s' ${j})"; else echo found=0; fi`,
    file: `cat ${j} 2>/dev/null`,
    out: `cat ${j}.out 2>/dev/null`,
    err: `cat ${j}.err 2>/dev/null`,
  });
}

export function planAsyncStatus(a: AsyncStatusArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const { sections } = parsed;
  const kv = keyValues(sections.job);
  if (kv.found !== '1') return { changes: [], steps: [], data: { ansible_job_id: a.jid, started: 0, finished: 0 }, failure: { msg: `could not find job ${a.jid} (no job file under ~/.ansible_async on the host: a job started with another become user has its file in that user's home)` } };
  if (a.mode === 'cleanup') {
    // Erasing is no change, as Ansible reports it; side steps still do not run in check mode.
    return { changes: [], steps: [], sideSteps: [{ script: `rm -f -- ${jobPath(a.jid)} ${jobPath(a.jid)}.out ${jobPath(a.jid)}.err` }], data: { ansible_job_id: a.jid, erased: kv.path } };
  }
  let job: Record<string, unknown>;
  try {
    job = JSON.parse(sections.file ?? '') as Record<string, unknown>;
  } catch {
    return { changes: [], steps: [], failure: { msg: `the job file ${kv.path} is not JSON: ${(sections.file ?? '').slice(0, 200)}` } };
  }
  const finished = Number(job.finished ?? 0) === 1;
  if (!finished) return { changes: [], steps: [], data: { ...job, ansible_job_id: a.jid, started: 1, finished: 0, results_file: kv.path } };
  const stdout = (sections.out ?? '').replace(/\n$/, '');
  const stderr = (sections.err ?? '').replace(/\n$/, '');
  const data = { ...job, ansible_job_id: a.jid, started: 1, finished: 1, results_file: kv.path, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) };
  delete (data as Record<string, unknown>).changed;
  delete (data as Record<string, unknown>).failed;
  if (job.failed === 1 || job.failed === true) return { changes: [], steps: [], data, failure: { msg: String(job.msg || 'the job failed') } };
  // A job that changed the host makes the finished status changed, as Ansible reports the job's result.
  return { changes: job.changed === true ? [`job ${a.jid} finished and changed the host`] : [], steps: [], data };
}

export const asyncStatusModule: RemoteModule<AsyncStatusArgs> = {
  kind: 'remote',
  name: 'async_status',
  ...specFields(asyncStatusSpec),
  parse(raw, loc) {
    const { args, reader } = parseSpec('async_status', asyncStatusSpec, raw, loc);
    if (!jobIdPattern.test(args.jid)) throw reader.error(`'${args.jid}' is not a job id`, 'pass the ansible_job_id the async task registered');
    return { jid: args.jid, mode: args.mode };
  },
  probeAhead: false,
  probe: (a) => ({ script: asyncStatusProbe(a) }),
  plan: (a, probe) => planAsyncStatus(a, probe),
};
