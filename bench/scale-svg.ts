// Draws the scale curve (bench/scale.ts) as a small SVG: CPU per host-task, memory per host and wall time
// against hosts, log-scaled hosts, with the targets as dashed lines. Plain strings: no plotting dependency.

export type CurvePoint = { hosts: number; cpuMsPerHostTask: number; rssMbPerHost: number; wallS: number };
export type Curve = { label: string; colour: string; points: CurvePoint[] };

type Panel = { title: string; unit: string; pick: (p: CurvePoint) => number; target?: number };

const PANELS: Panel[] = [
  { title: 'controller CPU per host-task', unit: 'ms', pick: (p) => p.cpuMsPerHostTask, target: 0.5 },
  { title: 'peak RSS per host', unit: 'MB', pick: (p) => p.rssMbPerHost, target: 0.25 },
  { title: 'wall time', unit: 's', pick: (p) => p.wallS },
];

const W = 300;
const H = 220;
const M = { left: 46, right: 12, top: 28, bottom: 40 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** The SVG text: one panel per measure, side by side, a legend under them. */
export function scaleSvg(curves: readonly Curve[], title: string): string {
  const hosts = [...new Set(curves.flatMap((c) => c.points.map((p) => p.hosts)))].sort((a, b) => a - b);
  const lo = Math.log10(Math.min(...hosts));
  const hi = Math.log10(Math.max(...hosts));
  const width = W * PANELS.length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 30}" viewBox="0 0 ${width} ${H + 30}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${H + 30}" fill="#fff"/>`,
    `<text x="${width / 2}" y="14" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  PANELS.forEach((panel, i) => {
    const x0 = i * W + M.left;
    const x1 = (i + 1) * W - M.right;
    const y0 = H - M.bottom;
    const y1 = M.top;
    const values = curves.flatMap((c) => c.points.map(panel.pick)).filter(Number.isFinite);
    const top = niceMax(Math.max(...values, panel.target ?? 0) * 1.05);
    const sx = (h: number): number => (hi === lo ? (x0 + x1) / 2 : x0 + ((Math.log10(h) - lo) / (hi - lo)) * (x1 - x0));
    const sy = (v: number): number => y0 - (v / top) * (y0 - y1);
    out.push(`<text x="${(x0 + x1) / 2}" y="${M.top - 8}" text-anchor="middle" font-weight="bold">${esc(panel.title)} (${panel.unit})</text>`);
    for (let k = 0; k <= 4; k++) {
      const v = (top * k) / 4;
      out.push(`<line x1="${x0}" x2="${x1}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#e4e4e4"/>`);
      out.push(`<text x="${x0 - 4}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${num(v)}</text>`);
    }
    for (const h of hosts) {
      out.push(`<line x1="${sx(h).toFixed(1)}" x2="${sx(h).toFixed(1)}" y1="${y0}" y2="${y0 + 4}" stroke="#444"/>`);
      out.push(`<text x="${sx(h).toFixed(1)}" y="${y0 + 15}" text-anchor="middle">${h}</text>`);
    }
    out.push(`<text x="${(x0 + x1) / 2}" y="${y0 + 30}" text-anchor="middle">hosts (log scale)</text>`);
    out.push(`<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" stroke="#444"/><line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}" stroke="#444"/>`);
    if (panel.target !== undefined) {
      out.push(`<line x1="${x0}" x2="${x1}" y1="${sy(panel.target).toFixed(1)}" y2="${sy(panel.target).toFixed(1)}" stroke="#c00" stroke-dasharray="5,4"/>`);
      out.push(`<text x="${x1}" y="${(sy(panel.target) - 4).toFixed(1)}" text-anchor="end" fill="#c00">target ${panel.target}</text>`);
    }
    for (const c of curves) {
      const pts = c.points.filter((p) => Number.isFinite(panel.pick(p))).sort((a, b) => a.hosts - b.hosts);
      const path = pts.map((p) => `${sx(p.hosts).toFixed(1)},${sy(panel.pick(p)).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${path}" fill="none" stroke="${c.colour}" stroke-width="2"/>`);
      for (const p of pts) out.push(`<circle cx="${sx(p.hosts).toFixed(1)}" cy="${sy(panel.pick(p)).toFixed(1)}" r="3" fill="${c.colour}"><title>${esc(`${c.label}, ${p.hosts} hosts: ${num(panel.pick(p))} ${panel.unit}`)}</title></circle>`);
    }
  });
  curves.forEach((c, i) => {
    const x = M.left + i * 160;
    out.push(`<line x1="${x}" x2="${x + 20}" y1="${H + 14}" y2="${H + 14}" stroke="${c.colour}" stroke-width="2"/><text x="${x + 26}" y="${H + 18}">${esc(c.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
