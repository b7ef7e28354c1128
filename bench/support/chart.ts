/**
 * The open loop as a picture: latency percentiles (p50, p99, p99.9; log scale) against offered
 * load, one line per variant, with the knee latency marked. Hand-written SVG: no dependency, and
 * any browser opens it. Written beside the JSON results.
 */
import { KNEE_MS, type OpenLoopFigures } from './open-loop-suite';

const PANEL_WIDTH = 320;
const PANEL_HEIGHT = 300;
const LEFT = 70;
/** Between panels: room for the next panel's latency labels. */
const GAP = 70;
const WIDTH = LEFT + 3 * PANEL_WIDTH + 2 * GAP + 30;
const TOP = 110;
/** Roughly the width of one character of the 12 px labels. */
const CHAR_PX = 7;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const PANELS = [
  { title: 'p50', pick: (p: { p50Ms: number }) => p.p50Ms },
  { title: 'p99', pick: (p: { p99Ms: number }) => p.p99Ms },
  { title: 'p99.9', pick: (p: { p999Ms: number }) => p.p999Ms },
] as const;

export function renderChart(figures: OpenLoopFigures, caption: string): string {
  const variants = Object.entries(figures.variants);
  const points = variants.flatMap(([, variant]) => variant.points);
  const rates = [...new Set(points.map((point) => point.offeredPerSecond))].sort((a, b) => a - b);
  const maxRate = Math.max(...rates, 1) * 1.05;
  const values = points
    .flatMap((point) => PANELS.map((panel) => panel.pick(point)))
    .filter((value) => Number.isFinite(value) && value > 0);
  const low = Math.min(0.1, ...values);
  const high = Math.max(100, ...values);
  const minExp = Math.floor(Math.log10(low));
  const maxExp = Math.ceil(Math.log10(high));
  const height = TOP + PANEL_HEIGHT + 90;

  const x = (rate: number) => (rate / maxRate) * PANEL_WIDTH;
  const y = (ms: number) => {
    const clamped = Math.min(Math.max(ms, 10 ** minExp), 10 ** maxExp);
    return PANEL_HEIGHT - ((Math.log10(clamped) - minExp) / (maxExp - minExp)) * PANEL_HEIGHT;
  };

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="28" font-size="17" font-weight="600">Open-loop latency against offered load (Poisson arrivals, latency from scheduled arrival)</text>`,
    `<text x="${LEFT}" y="48" fill="#555">${escape(caption)}</text>`,
  );
  // Legend: one entry after the other, as wide as its label.
  let lx = LEFT;
  variants.forEach(([, variant], index) => {
    const color = COLORS[index % COLORS.length]!;
    parts.push(
      `<line x1="${lx}" y1="72" x2="${lx + 24}" y2="72" stroke="${color}" stroke-width="2.5"/>`,
      `<circle cx="${lx + 12}" cy="72" r="3.5" fill="${color}"/>`,
      `<text x="${lx + 30}" y="76">${escape(variant.label)}</text>`,
    );
    lx += 30 + variant.label.length * CHAR_PX + 30;
  });

  PANELS.forEach((panel, panelIndex) => {
    const ox = LEFT + panelIndex * (PANEL_WIDTH + GAP);
    parts.push(`<g transform="translate(${ox},${TOP})">`);
    parts.push(
      `<text x="${PANEL_WIDTH / 2}" y="-10" text-anchor="middle" font-size="14" font-weight="600">${panel.title} latency</text>`,
      `<rect width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
    );
    for (let exp = minExp; exp <= maxExp; exp++) {
      const gy = y(10 ** exp).toFixed(1);
      parts.push(
        `<line x1="0" y1="${gy}" x2="${PANEL_WIDTH}" y2="${gy}" stroke="#e5e5e5"/>`,
        `<text x="-6" y="${gy}" dy="4" text-anchor="end" fill="#555">${msLabel(10 ** exp)}</text>`,
      );
    }
    let lastLabel = Number.NEGATIVE_INFINITY;
    for (const rate of rates) {
      const gx = x(rate);
      parts.push(
        `<line x1="${gx.toFixed(1)}" y1="0" x2="${gx.toFixed(1)}" y2="${PANEL_HEIGHT}" stroke="#f0f0f0"/>`,
      );
      // Rates too close to the last labelled one keep their grid line but no label.
      if (gx - lastLabel < String(rate).length * CHAR_PX + 6) continue;
      lastLabel = gx;
      parts.push(
        `<text x="${gx.toFixed(1)}" y="${PANEL_HEIGHT + 16}" text-anchor="middle" fill="#555">${rate}</text>`,
      );
    }
    const ky = y(KNEE_MS).toFixed(1);
    parts.push(
      `<line x1="0" y1="${ky}" x2="${PANEL_WIDTH}" y2="${ky}" stroke="#444" stroke-dasharray="5 4"/>`,
      `<text x="${PANEL_WIDTH - 4}" y="${ky}" dy="-4" text-anchor="end" fill="#444">${KNEE_MS} ms</text>`,
      `<text x="${PANEL_WIDTH / 2}" y="${PANEL_HEIGHT + 34}" text-anchor="middle" fill="#333">offered load (turns/s)</text>`,
    );
    if (panelIndex === 0) {
      parts.push(
        `<text transform="translate(-44,${PANEL_HEIGHT / 2}) rotate(-90)" text-anchor="middle" fill="#333">latency (ms, log scale)</text>`,
      );
    }
    variants.forEach(([, variant], index) => {
      const color = COLORS[index % COLORS.length]!;
      const drawn = variant.points.filter((point) => Number.isFinite(panel.pick(point)));
      const path = drawn.map(
        (point) => `${x(point.offeredPerSecond).toFixed(1)},${y(panel.pick(point)).toFixed(1)}`,
      );
      if (path.length > 1) {
        parts.push(`<polyline points="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="2.5"/>`);
      }
      for (const point of drawn) {
        const value = panel.pick(point);
        const note = point.saturated ? ' (saturated: replies fell behind arrivals)' : '';
        parts.push(
          `<circle cx="${x(point.offeredPerSecond).toFixed(1)}" cy="${y(value).toFixed(1)}" r="4" ` +
            `fill="${point.saturated ? '#ffffff' : color}" stroke="${color}" stroke-width="2">` +
            `<title>${escape(`${variant.label}: ${panel.title} ${value.toFixed(2)} ms at ${point.offeredPerSecond} turns/s offered, ${point.turns} turns${note}`)}</title></circle>`,
        );
      }
    });
    parts.push('</g>');
  });
  parts.push(
    `<text x="${LEFT}" y="${height - 16}" fill="#555">Hollow markers: the variant no longer kept up (replies under 90% of arrivals); higher rates were not driven. Values above the top of the scale are drawn on it.</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function msLabel(ms: number): string {
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${Number(ms.toPrecision(1))} ms`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
