// Rendering helpers: values that may be long or binary-looking, times and numbers.

import { h } from './dom.js';

const HEX_LIMIT_BYTES = 64 * 1024;
const encoder = new TextEncoder();

/** Characters we show as escapes: controls (bar newline and tab), DEL/C1, U+FFFD, bidi and zero-width marks. */
function isNonPrintable(cp) {
  if (cp === 0x0a || cp === 0x09) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff)
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
    || cp === 0xfeff;
}

function escapeFor(cp) {
  const named = { 0x00: '\\0', 0x0d: '\\r', 0x08: '\\b', 0x0c: '\\f', 0x0b: '\\v', 0x1b: '\\e' }[cp];
  if (named) return named;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/** Splits a string into runs of printable text and escapes; counts the escapes. */
export function scanValue(value) {
  const runs = [];
  let text = '';
  let escapes = 0;
  for (let i = 0; i < value.length; i++) {
    const cp = value.codePointAt(i);
    if (cp > 0xffff) i++;
    if (isNonPrintable(cp)) {
      if (text) runs.push({ text });
      text = '';
      runs.push({ escape: escapeFor(cp) });
      escapes++;
    } else {
      text += String.fromCodePoint(cp);
    }
  }
  if (text) runs.push({ text });
  return { runs, escapes };
}

export function byteLength(value) { return encoder.encode(value).length; }

export function humanBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** True when a value is mostly escapes, so hex is the friendlier default. */
export function looksBinary(value) {
  if (!value) return false;
  const { escapes } = scanValue(value.slice(0, 4096));
  return escapes / Math.min(value.length, 4096) > 0.1;
}

/** A <span> tree of the value with non-printables as highlighted escapes. */
export function renderEscaped(value) {
  const out = h('span', { class: 'value-text' });
  for (const run of scanValue(value).runs) {
    out.append(run.text != null ? document.createTextNode(run.text)
      : h('span', { class: 'esc', title: 'non-printable character' }, run.escape));
  }
  return out;
}

/** One line of preview for tables: newlines and non-printables escaped, cut at `max` characters. */
export function previewText(value, max = 80) {
  const s = String(value ?? '');
  let out = '';
  for (const run of scanValue(s.slice(0, max + 1)).runs) {
    out += run.text != null ? run.text.replace(/\n/g, '\\n').replace(/\t/g, '\\t') : run.escape;
  }
  return s.length > max ? `${out.slice(0, max)}…` : out;
}

/** Classic hex dump of the UTF-8 bytes: offset, 16 bytes, printable ASCII. */
export function hexDump(value) {
  const all = encoder.encode(value);
  const bytes = all.subarray(0, HEX_LIMIT_BYTES);
  const lines = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (all.length > bytes.length) lines.push(`… ${humanBytes(all.length - bytes.length)} more not shown`);
  return lines.join('\n');
}

export function formatAgo(ms) {
  if (ms == null || !Number.isFinite(Number(ms))) return '—';
  const n = Number(ms);
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(1)} s`;
  if (n < 3_600_000) return `${Math.floor(n / 60_000)} min`;
  return `${Math.floor(n / 3_600_000)} h`;
}

export function formatNumber(n) {
  return n == null || n === '' || !Number.isFinite(Number(n)) ? '—' : Number(n).toLocaleString('en-US');
}
