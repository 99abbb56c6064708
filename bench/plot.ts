// Line charts (log x axis) and horizontal bar charts as SVG, rendered to PNG with @resvg/resvg-js (a native binary
// shipped inside the npm package; nothing is downloaded). Text uses the system's fonts (DejaVu Sans on Debian).
import { Resvg } from "@resvg/resvg-js";

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

export interface Line {
  label: string;
  y: number;
  color: string;
}

const FONT = 'font-family="DejaVu Sans, sans-serif"';

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

/** A chart of y (Tgas) against x on a log scale, with optional horizontal reference lines (goals, anchors). */
export function lineChart(opts: { title: string; xLabel: string; yLabel: string; series: Series[]; lines?: Line[] }) {
  const W = 760;
  const H = 440;
  const m = { l: 70, r: 220, t: 50, b: 60 };
  const xs = opts.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = [...opts.series.flatMap((s) => s.points.map((p) => p[1])), ...(opts.lines ?? []).map((l) => l.y)];
  const lx0 = Math.log10(Math.min(...xs));
  const lx1 = Math.log10(Math.max(...xs));
  const step = niceStep(Math.max(...ys) * 1.15, 6);
  const yMax = Math.ceil((Math.max(...ys) * 1.15) / step) * step;
  const px = (x: number) => m.l + ((Math.log10(x) - lx0) / (lx1 - lx0 || 1)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - (y / yMax) * (H - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - m.r / 2}" y="28" ${FONT} font-size="17" text-anchor="middle">${esc(opts.title)}</text>`,
  ];
  for (let y = 0; y <= yMax + 1e-9; y += step) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(y)}" y2="${py(y)}" stroke="#e3e3e3"/>`);
    const label = Number.isInteger(step) ? y.toFixed(0) : y.toFixed(1);
    out.push(`<text x="${m.l - 8}" y="${py(y) + 4}" ${FONT} font-size="12" text-anchor="end">${label}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${m.t}" y2="${H - m.b}" stroke="#efefef"/>`);
    const label = x.toLocaleString("en-US");
    out.push(`<text x="${px(x)}" y="${H - m.b + 18}" ${FONT} font-size="12" text-anchor="middle">${label}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  out.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 14}" ${FONT} font-size="13" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(20 ${(m.t + H - m.b) / 2}) rotate(-90)" ${FONT} font-size="13" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  );
  let legendY = m.t + 10;
  for (const l of opts.lines ?? []) {
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${py(l.y)}" y2="${py(l.y)}" stroke="${l.color}" stroke-dasharray="6 4"/>`,
    );
  }
  for (const s of opts.series) {
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="4" fill="${s.color}"/>`);
  }
  for (const s of opts.series) {
    const last = s.points[s.points.length - 1][1];
    out.push(
      `<line x1="${W - m.r + 16}" x2="${W - m.r + 40}" y1="${legendY}" y2="${legendY}" stroke="${s.color}" stroke-width="3"/>`,
    );
    out.push(
      `<text x="${W - m.r + 46}" y="${legendY + 4}" ${FONT} font-size="12">${esc(s.name)} (${last.toFixed(2)})</text>`,
    );
    legendY += 22;
  }
  for (const l of opts.lines ?? []) {
    out.push(
      `<line x1="${W - m.r + 16}" x2="${W - m.r + 40}" y1="${legendY}" y2="${legendY}" stroke="${l.color}" stroke-dasharray="6 4"/>`,
    );
    out.push(`<text x="${W - m.r + 46}" y="${legendY + 4}" ${FONT} font-size="12">${esc(l.label)}</text>`);
    legendY += 22;
  }
  out.push("</svg>");
  return out.join("\n");
}

/** Horizontal bars (Tgas) with dashed reference lines. */
export function barChart(opts: {
  title: string;
  bars: { label: string; value: number; color: string }[];
  lines: Line[];
}) {
  const W = 900;
  const barH = 22;
  const m = { l: 330, r: 40, t: 50, b: 70 };
  const H = m.t + m.b + opts.bars.length * (barH + 6);
  const max = Math.max(...opts.bars.map((b) => b.value), ...opts.lines.map((l) => l.y)) * 1.08;
  const px = (v: number) => m.l + (v / max) * (W - m.l - m.r);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="28" ${FONT} font-size="17" text-anchor="middle">${esc(opts.title)}</text>`,
  ];
  const step = niceStep(max, 8);
  for (let v = 0; v <= max; v += step) {
    out.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${m.t}" y2="${H - m.b}" stroke="#ececec"/>`);
    out.push(`<text x="${px(v)}" y="${H - m.b + 16}" ${FONT} font-size="11" text-anchor="middle">${v}</text>`);
  }
  opts.bars.forEach((b, i) => {
    const y = m.t + i * (barH + 6);
    out.push(`<rect x="${m.l}" y="${y}" width="${px(b.value) - m.l}" height="${barH}" fill="${b.color}"/>`);
    out.push(`<text x="${m.l - 8}" y="${y + 15}" ${FONT} font-size="12" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<text x="${px(b.value) + 4}" y="${y + 15}" ${FONT} font-size="11">${b.value.toFixed(2)}</text>`);
  });
  let lx = m.l;
  for (const l of opts.lines) {
    out.push(
      `<line x1="${px(l.y)}" x2="${px(l.y)}" y1="${m.t - 6}" y2="${H - m.b}" stroke="${l.color}" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${H - 22}" y2="${H - 22}" stroke="${l.color}" stroke-dasharray="6 4"/>`,
    );
    out.push(`<text x="${lx + 28}" y="${H - 18}" ${FONT} font-size="12">${esc(l.label)}</text>`);
    lx += 40 + l.label.length * 7;
  }
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 40}" ${FONT} font-size="12" text-anchor="middle">Tgas</text>`);
  out.push("</svg>");
  return out.join("\n");
}

export function toPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: 1.5 },
  });
  return Buffer.from(r.render().asPng());
}
