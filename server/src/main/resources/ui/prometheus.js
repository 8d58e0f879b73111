// Reads /metrics (the Prometheus text format) and turns two scrapes into rates and percentiles,
// the way Prometheus' rate() and histogram_quantile() do.

const number = (s) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

/** "name{a=\"x\"} 1.5" lines into [{ name, labels, value }]; comments and blank lines are skipped. */
export function parse(text) {
  const out = [];
  for (const line of String(text).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1], labels, value: number(m[3]) });
  }
  return out;
}

/** The sum of every series named `name` whose labels pass `keep`; null when there is none. */
export function sum(samples, name, keep = () => true) {
  let total = null;
  for (const s of samples) if (s.name === name && keep(s.labels)) total = (total ?? 0) + s.value;
  return total;
}

/** A histogram's cumulative counts by upper bound, summed over the series whose labels pass `keep`. */
export function buckets(samples, name, keep = () => true) {
  const byBound = new Map();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || !keep(s.labels)) continue;
    const le = number(s.labels.le);
    byBound.set(le, (byBound.get(le) ?? 0) + s.value);
  }
  return byBound;
}

/**
 * The q-quantile of what a histogram observed between two scrapes: the bucket that holds the rank,
 * interpolated linearly inside it. Null when nothing was observed (or the process restarted).
 */
export function quantile(before, after, q) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => after.get(b) - (before.get(b) ?? 0));
  const total = counts.at(-1);
  if (!(total > 0) || counts.some((c) => c < 0)) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] < rank) continue;
    const lower = i === 0 ? 0 : bounds[i - 1];
    if (bounds[i] === Infinity) return lower;
    const below = i === 0 ? 0 : counts[i - 1];
    const inside = counts[i] - below;
    return inside > 0 ? lower + (bounds[i] - lower) * ((rank - below) / inside) : bounds[i];
  }
  return null;
}
