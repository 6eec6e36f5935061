// cron: one named job (or crontab variable) in a user's crontab or in an /etc/cron.d file, as Ansible
// 2.14's cron module manages it: the `#Ansible: NAME` marker line above the job identifies it, so
// crontabs Ansible wrote are taken over as they are. The crontab is read with `crontab -l` and
// installed with `crontab -` (its text on stdin), the way cron's own tools expect.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { locateLines } from '../lib/host-path.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { FileDiff, HostThing, ModuleContext, Plan, RemoteModule, Step } from '../types.js';
import { absentEnv, absentJob, envNames, isEmpty, jobLine, jobNames, presentEnv, presentJob, readCrontab, renderCrontab, type EditOutcome } from './cron-edit.js';

const timeField = (what: string) => ({ type: 'str', default: '*', description: what }) as const;

export const cronSpec = defineSpec({
  description: "Manages one named job (or environment variable) in a user's crontab or an /etc/cron.d file, found by Ansible's `#Ansible: NAME` marker.",
  args: {
    name: { type: 'str', required: true, description: "The job's description, written as the `#Ansible: NAME` line above it; with env, the variable's name. Keep it unique: another name makes another job." },
    job: { type: 'str', aliases: ['value'], description: 'The command (one line); with env, the value of the variable. Needed with state=present.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the job (or variable) is there as given; absent: it is not.' },
    user: { type: 'str', description: "Whose crontab (crontab -u USER); without it, the crontab of the user the task runs as. With cron_file, the user the job runs as (the file's sixth field)." },
    cron_file: {
      type: 'str',
      description:
        "Use this file instead of a user's crontab: a bare name is a file in /etc/cron.d (letters, digits, '_' and '-' only, or Debian's cron ignores it); an absolute path is used as it is, never /etc/crontab. The module owns the file: a file left without jobs is removed.",
    },
    minute: timeField('Minute (0-59, *, */2, ...).'),
    hour: timeField('Hour (0-23, *, */2, ...).'),
    day: { ...timeField('Day of the month (1-31, *, */2, ...).'), aliases: ['dom'] },
    month: timeField('Month (1-12, *, */2, ...).'),
    weekday: { ...timeField('Day of the week (0-6 for Sunday-Saturday, *, ...).'), aliases: ['dow'] },
    special_time: { type: 'str', choices: ['annually', 'daily', 'hourly', 'monthly', 'reboot', 'weekly', 'yearly'], description: 'A nickname (@daily, @reboot, ...) instead of the five time fields.' },
    disabled: { type: 'bool', default: false, description: 'Keep the job, commented out (state=present only).' },
    env: { type: 'bool', default: false, description: 'Manage the variable NAME="JOB" instead of a job; a new one goes on top of the crontab.' },
    insertafter: { type: 'str', description: 'With env: a new variable goes after the declaration of this variable.' },
    insertbefore: { type: 'str', description: 'With env: a new variable goes before the declaration of this variable.' },
    backup: { type: 'bool', default: false, description: 'Before a change, keep a copy of the old crontab in a temporary file on the host (its path is returned as backup_file).' },
  },
  mutuallyExclusive: [['insertafter', 'insertbefore']],
  examples: `- name: Nightly cleanup at 02:30
  cron:
    name: app cleanup
    minute: "30"
    hour: "2"
    job: /srv/app/bin/cleanup >/dev/null 2>&1

- name: A job in /etc/cron.d, run as www-data
  cron:
    name: app queue
    cron_file: app-queue
    user: www-data
    minute: "*/5"
    job: /srv/app/bin/drain-queue

- name: PATH for the crontab's jobs
  cron:
    name: PATH
    env: yes
    job: /usr/local/bin:/usr/bin:/bin

- name: An old job gone
  cron:
    name: legacy report
    state: absent`,
  returns: {
    jobs: "Names of the jobs the crontab holds under Ansible's markers, after the task.",
    envs: 'Names of the variables the crontab sets, after the task.',
    cron_file: 'The cron_file, as given.',
    backup_file: 'With backup: where the old crontab was kept (only when it changed).',
  },
  diff: 'The crontab (or cron file) before and after; the header is `crontab for user "NAME"` or the file.',
});

type Parsed = ArgsOf<typeof cronSpec>;
export interface CronArgs extends Parsed {
  /** cron_file as a full path (a bare name is under /etc/cron.d). */
  cronPath?: string;
}

const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/;
const CRON_D_NAME = /^[A-Za-z0-9_-]+$/;

export function parseCronArgs(raw: Record<string, unknown>, loc: SourceLoc): CronArgs {
  const { args, reader } = parseSpec('cron', cronSpec, raw, loc);
  const present = args.state === 'present';
  if (args.user !== undefined && !USER.test(args.user)) throw reader.error(`'${args.user}' is not a user name`);
  let cronPath: string | undefined;
  if (args.cron_file !== undefined) {
    const f = args.cron_file;
    if (f === '/etc/crontab') throw reader.error('will not manage /etc/crontab via cron_file', 'cron_file is for files the module owns whole: give a name in /etc/cron.d, or leave cron_file out for the user\'s crontab');
    if (f.startsWith('/')) cronPath = f;
    else if (!CRON_D_NAME.test(f)) throw reader.error(`cron_file '${f}' would be ignored by cron`, "a file in /etc/cron.d is read only when its name has letters, digits, '_' and '-' alone");
    else cronPath = `/etc/cron.d/${f}`;
    if (present && args.user === undefined) throw reader.error('To use cron_file=... parameter you must specify user=... as well', 'the user the job runs as');
  }
  const times = [args.minute, args.hour, args.day, args.month, args.weekday];
  if (args.special_time !== undefined && times.some((t) => t !== '*')) throw reader.error('You must specify time and date fields or special time.', 'special_time replaces minute, hour, day, month and weekday');
  for (const t of times) if (/\s/.test(t) || t === '') throw reader.error(`'${t}' is not a crontab time field`, 'one word: 0-59, *, */2, 1,15, ...');
  if (present) {
    if (args.job === undefined) throw reader.error("You must specify 'job' to install a new cron job or variable");
    if (/[\r\n]/.test(args.job.replace(/^[\r\n]+|[\r\n]+$/g, ''))) throw reader.error('the job must be one line', 'a crontab entry cannot span lines: put the commands in a script');
    if ((args.insertafter !== undefined || args.insertbefore !== undefined) && !args.env) throw reader.error('Insertafter and insertbefore parameters are valid only with env=yes');
  }
  if (args.env && /\s/.test(args.name)) throw reader.error('Invalid name for environment variable');
  if (/[\r\n]/.test(args.name)) throw reader.error('the name must be one line');
  return { ...args, cronPath };
}

/** Runs crontab for the task's user: with -u only for another user, as Ansible does (crontab -u needs root). */
function crontabFunction(user: string | undefined): string {
  if (user === undefined) return 'rb_ct() { crontab "$@"; }';
  const u = shQuote(user);
  return `rb_ct() { if [ "$(id -un)" = ${u} ]; then crontab "$@"; else crontab -u ${u} "$@"; fi; }`;
}

export function cronProbe(a: CronArgs): string {
  const tools = ['command -v crontab >/dev/null 2>&1 && echo crontab=yes', ...(a.user !== undefined ? [`id -u ${shQuote(a.user)} >/dev/null 2>&1 && echo user=yes`] : [])].join('\n');
  if (a.cronPath !== undefined) return sectionsScript({ tools, ...fileStateSections('file', a.cronPath, { content: 'always' }) });
  // A trailing marker keeps the crontab's own last newlines through $( ).
  const tab = [
    crontabFunction(a.user),
    'if command -v crontab >/dev/null 2>&1; then',
    `  rb_c=$(rb_ct -l 2>/dev/null; printf 'rc=%s.' "$?")`,
    '  rb_rc=${rb_c##*rc=}; rb_rc=${rb_rc%.}',
    '  printf "rc=%s\\n" "$rb_rc"',
    '  case $rb_rc in',
    `    0) printf '%s' "\${rb_c%rc=*}" | base64 ;;`,
    // 1 is "no crontab for USER" (and Ansible reads it as an empty crontab); anything else is said.
    '    1) ;;',
    `    *) printf 'error=%s\\n' "$(rb_ct -l 2>&1 >/dev/null | head -n 3 | tr '\\n' ' ')" ;;`,
    '  esac',
    'fi',
  ].join('\n');
  return sectionsScript({ tools, tab });
}

interface CronHost {
  hasCrontab: boolean;
  userExists: boolean;
  /** The crontab's text; null: none (no crontab yet, no cron file). */
  text: string | null;
  /** The cron file's mode, owner and group, to keep them. */
  attrs?: { mode: string; owner: string; group: string };
  error?: string;
  /** With error: what an earlier task may create that would let this one run. */
  needs?: HostThing[];
}

export function readCronHost(a: CronArgs, probe: ExecResult): CronHost {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { hasCrontab: false, userExists: false, text: null, error: parsed.error };
  const tools = keyValues(parsed.sections.tools);
  const host: CronHost = { hasCrontab: tools.crontab === 'yes', userExists: a.user === undefined || tools.user === 'yes', text: null };
  if (a.cronPath !== undefined) {
    const st = parseFileState(parsed.sections, 'file', a.cronPath);
    if (st.refused) return { ...host, error: st.refused };
    if (st.exists && st.type !== 'file') return { ...host, error: `${a.cronPath} is not a regular file` };
    if (st.exists && st.content === undefined) return { ...host, error: `cannot read ${a.cronPath} on the host (permission denied?)` };
    if (!st.exists && st.parent !== 'dir') {
      // /etc/cron.d comes with cron: a task that installs it first satisfies a check-mode forecast.
      const cronD = a.cronPath.startsWith('/etc/cron.d/');
      return { ...host, error: `the directory of ${a.cronPath} does not exist${cronD ? ' (install the cron package)' : ''}`, needs: cronD ? [{ kind: 'package', name: 'cron' }] : [{ kind: 'path', path: a.cronPath.replace(/\/[^/]*$/, '') }] };
    }
    if (st.exists) host.attrs = { mode: (st.mode ?? 0o644).toString(8).padStart(4, '0'), owner: String(st.uid), group: String(st.gid) };
    return { ...host, text: st.content?.toString('utf8') ?? null };
  }
  const body = parsed.sections.tab ?? '';
  const rc = /^rc=(\d+)\n/.exec(body);
  if (!rc) return host;
  const kv = keyValues(body);
  if (rc[1] === '0') return { ...host, text: Buffer.from(body.slice(rc[0].length).replace(/\s+/g, ''), 'base64').toString('utf8') };
  if (rc[1] === '1') return host;
  return { ...host, error: `Unable to read crontab: ${kv.error?.trim() || `crontab -l exited ${rc[1]}`}` };
}

function edit(a: CronArgs, lines: string[]): EditOutcome {
  if (a.env) return a.state === 'present' ? presentEnv(lines, a.name, a.job!, a.insertafter, a.insertbefore) : absentEnv(lines, a.name);
  if (a.state === 'absent') return absentJob(lines, a.name);
  const line = jobLine({ minute: a.minute, hour: a.hour, day: a.day, month: a.month, weekday: a.weekday, job: a.job!, specialTime: a.special_time, disabled: a.disabled, fileUser: a.cronPath !== undefined ? a.user : undefined });
  return presentJob(lines, a.name, line);
}

function header(a: CronArgs): string {
  if (a.cronPath !== undefined) return a.cronPath;
  return a.user !== undefined ? `crontab for user "${a.user}"` : 'crontab';
}

/** Keeps the old crontab in a 0600 temporary file (Ansible's backup_file); its text comes on stdin. */
function backupStep(before: string): Step {
  return { script: `umask 077; b=$(mktemp "\${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$b" && printf 'backup_file=%s\\n' "$b"`, stdin: before };
}

export function planCron(a: CronArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'diff' | 'keepPrevious'>): Plan {
  const host = readCronHost(a, probe);
  if (host.error) return { changes: [], steps: [], failure: { msg: host.error, ...(host.needs ? { needs: host.needs } : {}) } };
  const write = a.state === 'present';
  if (write && !host.hasCrontab) return { changes: [], steps: [], failure: { msg: 'crontab is not installed on this host (install the cron package)', needs: [{ kind: 'package', name: 'cron' }] } };
  if (write && !host.userExists) return { changes: [], steps: [], failure: { msg: `user ${a.user} does not exist on this host`, needs: [{ kind: 'user', name: a.user! }] } };
  if (!host.userExists || (!host.hasCrontab && a.cronPath === undefined)) {
    // Nothing can be scheduled for a user (or by a cron) that is not there: absent already holds.
    return { changes: [], steps: [], data: { jobs: [], envs: [] } };
  }
  const tab = readCrontab(host.text ?? '', a.cronPath === undefined);
  const result = edit(a, tab.lines);
  if (result.failure) return { changes: [], steps: [], failure: { msg: result.failure } };
  const what = a.env ? `variable ${a.name}` : `job '${a.name}'`;
  const where = a.cronPath ?? (a.user !== undefined ? `${a.user}'s crontab` : 'the crontab');
  const base = { jobs: jobNames(result.lines), envs: envNames(result.lines), ...(a.cron_file !== undefined ? { cron_file: a.cron_file } : {}) };

  // A cron file left without any line is the module's to remove, as Ansible does.
  if (a.cronPath !== undefined && a.state === 'absent' && result.changed && isEmpty(result.lines)) {
    return {
      changes: [`remove ${what} and the now empty ${a.cronPath}`],
      steps: [...(a.backup ? [backupStep(tab.text)] : []), { script: [...locateLines(a.cronPath, false), 'rm -f -- "$rb_name"'].join('\n') }],
      diffs: ctx.diff ? [{ path: a.cronPath, before: tab.text, after: '' }] : undefined,
      data: { cron_file: a.cron_file, state: 'absent' },
      afterApply: afterCron({ cron_file: a.cron_file, state: 'absent' }, a.backup, false),
    };
  }
  // An unchanged crontab without its last newline is rewritten, as Ansible does (cron may skip the last line).
  const changed = result.changed || (tab.text !== '' && !/[\r\n]$/.test(tab.text));
  if (!changed) return { changes: [], steps: [], data: base };

  const after = renderCrontab(result.lines);
  const verb = !result.changed ? 'end with a newline, keeping' : a.state === 'absent' ? 'remove' : 'set';
  const install: Step =
    a.cronPath !== undefined
      ? atomicWriteStep({ path: a.cronPath, content: after, mode: host.attrs?.mode ?? '0644', owner: host.attrs?.owner, group: host.attrs?.group, keepPrevious: ctx.keepPrevious })
      : { script: `${crontabFunction(a.user)}\nrb_ct -`, stdin: after };
  const diffs: FileDiff[] | undefined = ctx.diff ? [{ path: header(a), before: tab.text, after }] : undefined;
  return {
    changes: [`${verb} ${what} in ${where}`],
    steps: [...(a.backup ? [backupStep(tab.text)] : []), install],
    diffs,
    data: base,
    ...(a.cronPath !== undefined && host.text === null ? { provides: [{ kind: 'path' as const, path: a.cronPath }] } : {}),
    afterApply: afterCron(base, a.backup, a.cronPath !== undefined),
  };
}

function afterCron(data: Record<string, unknown>, backup: boolean, viaFile: boolean): Plan['afterApply'] {
  return (results) => {
    const backupFile = backup ? /^backup_file=(.*)$/m.exec(results[0]?.stdout ?? '')?.[1] : undefined;
    const last = results[results.length - 1];
    const out = { ...data, ...(backupFile ? { backup_file: backupFile } : {}) };
    if (!last || last.code === 0) return { data: out };
    const failed = viaFile ? writeOutcome(last).failed : `installing the crontab failed (exit ${last.code}): ${last.stderr.trim()}`;
    return { data: out, failed };
  };
}

export const cronModule: RemoteModule<CronArgs> = {
  kind: 'remote',
  name: 'cron',
  ...specFields(cronSpec),
  parse: parseCronArgs,
  probe: (a) => ({ script: cronProbe(a) }),
  plan: (a, probe, ctx) => planCron(a, probe, ctx),
};
