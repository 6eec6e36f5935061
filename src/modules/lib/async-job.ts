// Jobs started with `async:` and `poll: 0`: the task's steps run detached on the host (setsid,
// nohup) and leave a job file under the remote user's ~/.ansible_async, as Ansible's async_wrapper
// does; async_status reads it. The job file is JSON; the output is kept beside it (JID.out, JID.err).
import { randomInt } from 'node:crypto';
import { shQuote } from '../../core/shell.js';
import type { Vars } from '../../core/types.js';
import type { Step } from '../types.js';

export const ASYNC_DIR = '"$HOME"/.ansible_async';

/** A job id in Ansible's shape (j + digits . controller pid), safe in a path. */
export function newJobId(): string {
  return `j${randomInt(100000000, 999999999)}${randomInt(100, 999)}.${process.pid}`;
}

export const jobIdPattern = /^[A-Za-z0-9_.-]+$/;

/** The job file's path as a shell word (the directory expands on the host). */
export function jobPath(jid: string): string {
  return `${ASYNC_DIR}/${shQuote(jid)}`;
}

function b64(text: string | Buffer): string {
  return (typeof text === 'string' ? Buffer.from(text) : text).toString('base64').replace(/.{1,76}/g, '$&\n');
}

/** A file written from base64 in a quoted here-document: any bytes, no quoting to get wrong. */
function fileFrom(path: string, content: string | Buffer): string {
  return `base64 -d > ${path} <<'@@runbook-b64@@' || exit 1\n${b64(content)}@@runbook-b64@@`;
}

export interface JobLaunch {
  jid: string;
  /** Seconds the job may run; the host's `timeout` stops it after that. */
  timeout: number;
  steps: Step[];
  /** Keys every result of the job carries (cmd), merged into the job file. */
  data: Vars;
  /** A command-like module: a non-zero exit is "non-zero return code"; otherwise a step's code outside its ok codes fails it. */
  commandLike: boolean;
}

/**
 * One script that writes the job's files and starts the runner detached, printing `pid=N`.
 * The runner runs the steps in order (stopping at one that fails), then replaces the job file
 * with the finished result.
 */
export function launchScript(job: JobLaunch): string {
  const j = '"$j"';
  const head = JSON.stringify({ ansible_job_id: job.jid, ...job.data }).slice(0, -1);
  const lines = [
    'umask 077',
    `mkdir -p ${ASYNC_DIR} || exit 1`,
    `j=${jobPath(job.jid)}`,
    `printf '%s\\n' ${shQuote(JSON.stringify({ started: 1, finished: 0, ansible_job_id: job.jid, results_file: '@@' }))} | sed "s|@@|$j|" > ${j} || exit 1`,
    fileFrom(`${j}.head`, head),
  ];
  const run: string[] = ['j=$1', `: > "$j.out"; : > "$j.err"`, 'rc=0; failed=0; msg='];
  job.steps.forEach((step, i) => {
    lines.push(fileFrom(`${j}.s${i}`, step.script));
    lines.push(fileFrom(`${j}.i${i}`, step.stdin ?? ''));
    const ok = (step.okCodes ?? [0]).join('|');
    run.push(
      `if [ $failed = 0 ]; then timeout ${job.timeout} /bin/sh "$j.s${i}" < "$j.i${i}" >> "$j.out" 2>> "$j.err"; rc=$?`,
      `  if [ $rc = 124 ]; then failed=1; msg="Job reached maximum time limit of ${job.timeout} seconds."`,
      ...(job.commandLike ? [`  elif [ $rc != 0 ]; then failed=1; msg='non-zero return code'`] : []),
      `  else case $rc in ${ok}) ;; *) failed=1; msg="command failed with exit code $rc";; esac; fi`,
      'fi',
    );
  });
  run.push(
    `{ cat "$j.head"; printf ', "started": 1, "finished": 1, "changed": true, "rc": %s, "failed": %s, "msg": "%s"}\\n' "$rc" "$failed" "$msg"; } > "$j.tmp" && mv -f "$j.tmp" "$j"`,
    `rm -f "$j.head" "$j".s[0-9]* "$j".i[0-9]* "$j.run"`,
  );
  lines.push(fileFrom(`${j}.run`, run.join('\n')));
  // setsid: the job leaves the SSH session's process group, so closing the connection does not end it.
  lines.push(`if command -v setsid >/dev/null 2>&1; then s=setsid; else s=; fi`);
  lines.push(`$s nohup /bin/sh "$j.run" "$j" </dev/null >/dev/null 2>&1 &`);
  lines.push('echo "pid=$!"');
  return lines.join('\n');
}

/** A job that had nothing to do (the plan changed nothing): its job file says finished at once. */
export function finishedJobScript(jid: string, result: Vars): string {
  const body = JSON.stringify({ started: 1, finished: 1, ansible_job_id: jid, changed: false, failed: false, ...result });
  return ['umask 077', `mkdir -p ${ASYNC_DIR} || exit 1`, `printf '%s\\n' ${shQuote(body)} > ${jobPath(jid)}`].join('\n');
}
