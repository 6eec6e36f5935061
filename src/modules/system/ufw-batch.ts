// ufw's changes applied by one python3 process that imports ufw's own library: each `ufw …` command
// costs Python's start and ufw's imports (most of its time), so a loop of rules pays them once, not per rule.
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { Step } from '../types.js';

const MARK = 'rb-ufw-item';

/**
 * Reads a JSON list on stdin: per item, the ufw command lines (the words after `ufw`). Runs each
 * line as /usr/sbin/ufw's main does (parse_command, a UFWFrontend, do_action) under ufw's own
 * lock, in order, and prints `rb-ufw-item N ok` on the real stdout after item N; the first failure
 * stops the run (exit 1) so nothing is applied past a rule that did not go in.
 * ufw's messages go to stderr: stdout is dup'ed away before ufw binds sys.stdout as msg()'s default.
 * Without an importable ufw (another packaging), the same lines go to the ufw command instead.
 */
const PROGRAM = `
import json, os, shutil, subprocess, sys
# ufw checks the ownership and mode of the program it runs as (argv[0]): that is the ufw command here.
sys.argv = [shutil.which("ufw") or "/usr/sbin/ufw"]
out = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
items = json.load(sys.stdin)
def mark(i):
    out.write("${MARK} %d ok\\n" % i)
    out.flush()
try:
    import gettext
    import ufw.common, ufw.frontend, ufw.util
    gettext.install(ufw.common.programName)
except ImportError:
    for i, lines in enumerate(items):
        for words in lines:
            if subprocess.call(["ufw"] + words) != 0:
                sys.exit(1)
        mark(i)
    sys.exit(0)
# A frontend reads the configuration, the application profiles and the netfilter capabilities (a dozen
# iptables runs) when made: rule after rule reuse one, as set_rule keeps its rules current in memory.
# Any other command (default, logging, enable, reset) gets a fresh one and leaves none behind.
ui = None
def run(words):
    global ui
    pr = ufw.frontend.parse_command(["ufw"] + words)
    is_rule = "rule" in pr.data
    if ui is None or not is_rule:
        ui = ufw.frontend.UFWFrontend(pr.dryrun)
    try:
        if is_rule:
            res = ui.do_action(pr.action, pr.data["rule"], pr.data["iptype"], pr.force)
        else:
            res = ui.do_action(pr.action, "", "", pr.force)
    finally:
        if not is_rule:
            ui = None
    if res:
        ufw.util.msg(res)
lockfile = "/run/ufw.lock"
if os.getuid() != 0 or "TESTSTATE" in os.environ:
    lockfile = os.path.join(ufw.common.state_dir, "ufw.lock")
create_lock = getattr(ufw.util, "create_lock", None)
lock = create_lock(lockfile=lockfile, dryrun=False) if create_lock else None
try:
    for i, lines in enumerate(items):
        for words in lines:
            try:
                run(words)
            except ufw.common.UFWError as e:
                sys.stderr.write("ERROR: %s\\n" % e.value)
                sys.exit(1)
            except ValueError:
                sys.stderr.write("ERROR: ufw did not accept: ufw %s\\n" % " ".join(words))
                sys.exit(1)
        mark(i)
finally:
    if lock is not None:
        ufw.util.release_lock(lock)
`;

/** One step applying `items` (per item, its ufw command lines) in order. */
export function ufwBatchStep(items: readonly (readonly string[][])[]): Step {
  return { script: `export LC_ALL=C\npython3 -c ${shQuote(PROGRAM)}`, stdin: JSON.stringify(items) };
}

/** How many items the step applied (it stops at the first failure), and why the next did not go in. */
export function ufwBatchApplied(result: ExecResult, count: number): { count: number; failed?: string } {
  const done = new Set<number>();
  for (const line of result.stdout.split('\n')) {
    const m = new RegExp(`^${MARK} (\\d+) ok$`).exec(line.trim());
    if (m) done.add(Number(m[1]));
  }
  let applied = 0;
  while (applied < count && done.has(applied)) applied++;
  if (applied === count && result.code === 0) return { count };
  const detail = result.stderr.trimEnd().split('\n').slice(-20).join('\n');
  return { count: applied, failed: `ufw failed with exit code ${result.code}${detail ? `: ${detail}` : ''}` };
}
