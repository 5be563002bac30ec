// Inline SVG charts built with DOM calls (no markup strings): the trend of the
// overall score, and the peer benchmark as one box plot per function. Both
// are drawn on the catalogue's scale (min..max; ISOG-J 0..5 by default).
import { svg } from './dom.js';
import { formatScore } from './i18n.js';

// The axis range: whole levels, at least one apart.
function axisRange(min, max) {
  const lo = Number.isInteger(min) ? min : 0;
  const hi = Number.isInteger(max) && max > lo ? max : Math.max(lo + 1, 5);
  return { lo, hi };
}

// A value drawn within the axis, so that nothing off the scale leaves the chart.
const clamp = (v, { lo, hi }) => Math.min(hi, Math.max(lo, v));

function yAxis(group, x0, x1, yOf, { lo, hi }) {
  for (let v = lo; v <= hi; v += 1) {
    const y = yOf(v);
    group.append(svg('line', { x1: x0, x2: x1, y1: y, y2: y, class: v === lo ? 'axis' : 'grid' }));
    group.append(svg('text', { x: x0 - 8, y: y + 4, class: 'tick', 'text-anchor': 'end' }, String(v)));
  }
}

function shorten(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

// points: [{id, label, sub, score}] in time order; score may be undefined.
export function trendChart(points, { currentId, label, min, max }) {
  const range = axisRange(min, max);
  const width = 760;
  const height = 260;
  const m = { l: 44, r: 24, t: 18, b: 56 };
  const pad = 56; // room for the first and last date labels
  const innerW = width - m.l - m.r - 2 * pad;
  const yOf = (v) => m.t + (height - m.t - m.b) * (1 - (clamp(v, range) - range.lo) / (range.hi - range.lo));
  const xOf = (i) => m.l + pad + (points.length === 1 ? innerW / 2 : (innerW * i) / (points.length - 1));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart trend-chart', role: 'img', 'aria-label': label },
    svg('title', {}, label));
  const grid = svg('g', {});
  yAxis(grid, m.l, width - m.r, yOf, range);
  root.append(grid);
  const scored = points.map((p, i) => ({ ...p, i })).filter((p) => typeof p.score === 'number');
  if (scored.length > 1) {
    root.append(svg('polyline', {
      class: 'trend-line', fill: 'none',
      points: scored.map((p) => `${xOf(p.i).toFixed(1)},${yOf(p.score).toFixed(1)}`).join(' '),
    }));
  }
  points.forEach((p, i) => {
    const x = xOf(i);
    root.append(svg('text', { x, y: height - m.b + 20, class: 'tick', 'text-anchor': 'middle' }, p.sub || ''));
    root.append(svg('text', { x, y: height - m.b + 36, class: 'tick tick-title', 'text-anchor': 'middle' }, shorten(p.label || '', 18)));
    if (typeof p.score !== 'number') return;
    const current = p.id === currentId;
    const dot = svg('circle', { cx: x, cy: yOf(p.score), r: current ? 7 : 5, class: current ? 'trend-dot current' : 'trend-dot' },
      svg('title', {}, `${p.label} ${p.sub}: ${formatScore(p.score)}`));
    root.append(dot);
    root.append(svg('text', { x, y: yOf(p.score) - 12, class: 'value', 'text-anchor': 'middle' }, formatScore(p.score)));
  });
  return root;
}

// rows: [{code, name, count, min, p25, median, p75, max, mine}]
export function benchmarkChart(rows, { label, mineLabel, min, max }) {
  const range = axisRange(min, max);
  const width = 760;
  const rowH = 28;
  const m = { l: 56, r: 24, t: 12, b: 30 };
  const height = m.t + m.b + rowH * rows.length;
  const innerW = width - m.l - m.r;
  const xOf = (v) => m.l + (innerW * (clamp(v, range) - range.lo)) / (range.hi - range.lo);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart bench-chart', role: 'img', 'aria-label': label },
    svg('title', {}, label));
  for (let v = range.lo; v <= range.hi; v += 1) {
    root.append(svg('line', { x1: xOf(v), x2: xOf(v), y1: m.t, y2: height - m.b, class: v === range.lo ? 'axis' : 'grid' }));
    root.append(svg('text', { x: xOf(v), y: height - m.b + 18, class: 'tick', 'text-anchor': 'middle' }, String(v)));
  }
  rows.forEach((r, i) => {
    const y = m.t + rowH * i + rowH / 2;
    root.append(svg('text', { x: m.l - 12, y: y + 4, class: 'tick fn-label', 'text-anchor': 'end' }, r.code,
      svg('title', {}, r.name)));
    const g = svg('g', { class: 'box' },
      svg('title', {}, `${r.code} ${r.name}: min ${formatScore(r.min)}, p25 ${formatScore(r.p25)}, median ${formatScore(r.median)}, p75 ${formatScore(r.p75)}, max ${formatScore(r.max)}`));
    g.append(svg('line', { x1: xOf(r.min ?? 0), x2: xOf(r.max ?? 0), y1: y, y2: y, class: 'whisker' }));
    g.append(svg('rect', { x: xOf(r.p25 ?? 0), y: y - 8, width: Math.max(1, xOf(r.p75 ?? 0) - xOf(r.p25 ?? 0)), height: 16, class: 'iqr' }));
    g.append(svg('line', { x1: xOf(r.median ?? 0), x2: xOf(r.median ?? 0), y1: y - 8, y2: y + 8, class: 'median' }));
    root.append(g);
    if (typeof r.mine === 'number') {
      root.append(svg('circle', { cx: xOf(r.mine), cy: y, r: 5, class: 'mine' },
        svg('title', {}, `${mineLabel}: ${formatScore(r.mine)}`)));
    }
  });
  return root;
}
