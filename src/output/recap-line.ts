// One PLAY RECAP line, spaced exactly as Ansible prints it, so tools that read Ansible's recap read ours.
import type { HostCounters } from '../executor/events.js';
import type { Palette, Paint } from './colors.js';

function field(name: string, n: number, paint: Paint): string {
  const text = `${name}=${String(n).padEnd(4)}`;
  return n === 0 ? text : paint(text);
}

export function recapLine(host: string, c: HostCounters, p: Palette): string {
  const hostPaint = c.failed > 0 || c.unreachable > 0 ? p.failed : c.changed > 0 ? p.changed : p.ok;
  const name = hostPaint(host) + ' '.repeat(Math.max(0, 26 - host.length));
  return [
    `${name} :`,
    field('ok', c.ok, p.ok),
    field('changed', c.changed, p.changed),
    field('unreachable', c.unreachable, p.unreachable),
    field('failed', c.failed, p.failed),
    field('skipped', c.skipped, p.skipped),
    field('rescued', c.rescued, p.ok),
    field('ignored', c.ignored, p.ignored),
  ].join(' ');
}
