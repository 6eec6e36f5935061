// What the terminal shows under the recap of a run that stopped: the hosts it never ran, and the
// exact command that picks the rollout up again (never shortened: it must be copied whole).
import type { ResumeHint } from '../executor/events.js';
import type { Palette } from './colors.js';

export function resumeLines(notRun: readonly string[], hint: ResumeHint | undefined, p: Palette): string[] {
  const lines: string[] = [];
  if (notRun.length > 0) lines.push(p.failed(`NOT RUN (aborted): ${notRun.join(', ')}`));
  if (hint) {
    if (hint.command !== undefined) {
      lines.push(`To resume on the ${hint.hosts.length} host${hint.hosts.length === 1 ? '' : 's'} that did not finish, run${hint.cwd ? ` (in ${hint.cwd})` : ''}:`);
      lines.push(`  ${hint.command}`);
    } else {
      lines.push(`To resume, run again with --limit ${hint.hosts.join(',')}${hint.startAtTask !== undefined ? ` --start-at-task '${hint.startAtTask}'` : ''}`);
    }
    for (const note of hint.notes ?? []) lines.push(p.warning(`  note: ${note}`));
  }
  return lines;
}
