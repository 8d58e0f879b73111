// Metrics page: live charts of the node's last five minutes, drawn by uPlot (served by the node
// from its webjar). The node samples its meters every second (GET /metrics/history), so the page
// opens on the minutes before it and then asks each second for the points that are new.

import { getBase, request } from '../api.js';
import { h, replace } from '../dom.js';

const POLL_MS = 1000;
const WINDOW_S = 300;
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777'];

const CHARTS = [
  { id: 'throughput', title: 'Requests per second', unit: '/s', series: [['writes', 'writes'], ['reads', 'reads']] },
  { id: 'latency', title: 'Request latency', unit: 'ms',
    series: [['writeP50', 'write p50'], ['writeP99', 'write p99'], ['readP50', 'read p50'], ['readP99', 'read p99']] },
  { id: 'apply-lag', title: 'Commit-to-apply lag', unit: 'entries', series: [['applyLag', 'commit − applied']] },
  { id: 'fsync', title: 'WAL fsync latency', unit: 'ms', series: [['fsyncP50', 'p50'], ['fsyncP99', 'p99']] },
  { id: 'replication', title: 'Replication lag per member', unit: 'entries', perPeer: true },
];

/** Kept across visits to the page, so coming back asks only for what is new; reset when the base changes. */
let history = { base: null, points: [] };

function seriesOf(chart, points) {
  if (!chart.perPeer) return chart.series;
  const peers = [...new Set(points.flatMap((p) => Object.keys(p.lag)))].sort();
  return peers.map((peer) => [peer, peer]);
}

function valueOf(chart, p, key) {
  return (chart.perPeer ? p.lag[key] : p[key]) ?? null;
}

const format = (v, unit) => (v == null ? '–' : `${v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2)} ${unit}`);

export function mount(view) {
  let stopped = false;
  let timer = null;
  let uPlot = null;
  const cards = new Map(); // chart id -> { chart, body, latest, plot, keys }
  const status = h('p', { class: 'subtle', dataset: { testid: 'metrics-status' } }, 'Loading the charting library…');
  const hint = h('p', { class: 'hint', dataset: { testid: 'replication-hint' }, hidden: true },
    'This member is not the leader: only the leader knows how far each member is behind. Open this page on the leader.');

  for (const chart of CHARTS) {
    const body = h('div', { class: 'chart', dataset: { testid: `chart-${chart.id}` } });
    const latest = h('p', { class: 'chart-latest', dataset: { testid: `latest-${chart.id}` } }, '–');
    const card = h('section', { class: 'card chart-card' }, h('h2', {}, chart.title), latest, body,
      chart.perPeer ? hint : null);
    cards.set(chart.id, { chart, body, latest, card, plot: null, keys: '' });
  }
  replace(view,
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Metrics'), status),
      h('a', { class: 'btn btn-small', href: `${getBase()}/metrics`, target: '_blank', rel: 'noopener' }, 'Raw /metrics')),
    h('div', { class: 'chart-grid' }, [...cards.values()].map((c) => c.card)));
  addStyles();

  function draw() {
    const points = history.points;
    const xs = points.map((p) => p.t);
    for (const c of cards.values()) {
      const series = seriesOf(c.chart, points);
      const keys = series.map(([k]) => k).join('\n');
      const data = [xs, ...series.map(([k]) => points.map((p) => valueOf(c.chart, p, k)))];
      if (!c.plot || c.keys !== keys) {
        c.plot?.destroy();
        c.keys = keys;
        c.plot = new uPlot(options(c, series), data, c.body);
        c.body.uplot = c.plot; // for the browser test and the console: what the chart draws
      } else {
        c.plot.setData(data);
      }
      const last = points.at(-1);
      c.latest.textContent = last && series.length
        ? series.map(([k, label]) => `${label} ${format(valueOf(c.chart, last, k), c.chart.unit)}`).join(' · ')
        : c.chart.perPeer && points.length ? 'no other member' : 'no data yet';
    }
    hint.hidden = !points.length || points.at(-1).leader;
  }

  function options(c, series) {
    return {
      width: Math.max(280, c.body.clientWidth || 520),
      height: 200,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { size: 60, label: c.chart.unit, labelSize: 18 }],
      series: [{}, ...series.map(([, label], i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false,
        value: (u, v) => format(v, c.chart.unit),
      }))],
    };
  }

  function resize() {
    for (const c of cards.values()) c.plot?.setSize({ width: Math.max(280, c.body.clientWidth), height: 200 });
  }

  async function poll() {
    const base = getBase();
    if (history.base !== base) history = { base, points: [] };
    try {
      const after = history.points.at(-1)?.at;
      const { body } = await request(`/metrics/history${after ? `?after=${after}` : ''}`, { quiet: true, retry503: false });
      for (const p of body.points ?? []) history.points.push({ ...p, t: p.at / 1000 });
      const oldest = (history.points.at(-1)?.t ?? 0) - WINDOW_S;
      while (history.points.length && history.points[0].t < oldest) history.points.shift();
      status.textContent = `${base.replace(/^https?:\/\//, '')} · sampled by the node every ${body.intervalSeconds} s`
        + ` · last ${body.windowSeconds / 60} minutes`;
      status.classList.remove('inline-error');
    } catch (e) {
      status.textContent = `Cannot read ${base}/metrics/history: ${e.message}`;
      status.classList.add('inline-error');
    }
    if (stopped) return;
    draw();
    timer = setTimeout(poll, POLL_MS);
  }

  import('../vendor/uplot/uPlot.esm.js').then((m) => {
    uPlot = m.default;
    if (!stopped) poll();
  }).catch((e) => {
    status.textContent = `Cannot load the charting library: ${e.message}`;
    status.classList.add('inline-error');
  });
  window.addEventListener('resize', resize);

  return {
    dispose() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('resize', resize);
      for (const c of cards.values()) c.plot?.destroy();
    },
  };
}

/** uPlot's stylesheet and the page's own, once. */
function addStyles() {
  for (const href of ['vendor/uplot/uPlot.min.css', 'metrics.css']) {
    if (document.querySelector(`link[href="${href}"]`)) continue;
    document.head.append(h('link', { rel: 'stylesheet', href }));
  }
}
