// A value panel that stays readable for long and binary-looking values: escapes, length, text/hex toggle.

import { h, replace } from '../dom.js';
import { byteLength, hexDump, humanBytes, looksBinary, renderEscaped, scanValue } from '../format.js';

/** Returns an element showing `value`; the text/hex choice is kept per panel. */
export function valueView(value) {
  const text = String(value ?? '');
  const chars = [...text].length;
  const bytes = byteLength(text);
  const { escapes } = scanValue(text);
  let mode = looksBinary(text) ? 'hex' : 'text';

  const body = h('pre', { class: 'value-box', tabindex: '0', dataset: { testid: 'value-box' } });
  const textBtn = h('button', { type: 'button', class: 'seg', dataset: { testid: 'view-text' }, onclick: () => setMode('text') }, 'Text');
  const hexBtn = h('button', { type: 'button', class: 'seg', dataset: { testid: 'view-hex' }, onclick: () => setMode('hex') }, 'Hex');

  function setMode(m) {
    mode = m;
    textBtn.classList.toggle('active', m === 'text');
    hexBtn.classList.toggle('active', m === 'hex');
    textBtn.setAttribute('aria-pressed', String(m === 'text'));
    hexBtn.setAttribute('aria-pressed', String(m === 'hex'));
    body.classList.toggle('hex', m === 'hex');
    body.dataset.mode = m;
    if (m === 'hex') replace(body, hexDump(text));
    else replace(body, text ? renderEscaped(text) : h('span', { class: 'muted' }, '(empty value)'));
  }
  setMode(mode);

  return h('div', { class: 'value-view' },
    h('div', { class: 'value-meta' },
      h('span', { dataset: { testid: 'value-length' } },
        `${chars.toLocaleString('en-US')} ${chars === 1 ? 'char' : 'chars'} · ${humanBytes(bytes)}`),
      escapes ? h('span', { class: 'badge badge-warn', title: 'Shown as \\x.. escapes in text view' },
        `${escapes} non-printable`) : null,
      h('span', { class: 'spacer' }),
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Value view' }, textBtn, hexBtn)),
    body);
}
