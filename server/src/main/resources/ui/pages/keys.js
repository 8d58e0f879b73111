// Keys page: find a key by name, browse by prefix a page at a time, and the detail panel.

import { api, revisionOf, watch } from '../api.js';
import { h, replace } from '../dom.js';
import { previewText } from '../format.js';
import { keyDetail } from './key-detail.js';

const PAGE_SIZES = [10, 25, 50, 100];

export function mount(container, params) {
  const detail = keyDetail({
    onChanged: (key, deleted) => {
      if (deleted && state.selected === key) { state.selected = null; syncHash(); }
      load();
    },
  });
  const state = { prefix: params.get('prefix') ?? '', limit: 25, cursors: [null], next: null, selected: null };
  let controller = null;
  let watching = null;
  let reloadTimer = null;

  /** Live updates: a change under the listed prefix reloads the page shown, at most about every 300 ms. */
  function watchPrefix() {
    watching?.abort();
    watching = new AbortController();
    delete tbody.dataset.live;
    watch(state.prefix, () => {
      if (reloadTimer == null) reloadTimer = setTimeout(() => { reloadTimer = null; load(); }, 300);
    }, watching.signal, () => { tbody.dataset.live = 'on'; });
  }

  const findInput = h('input', { class: 'input mono', type: 'search', id: 'find-key', placeholder: 'Exact key, e.g. users/42/name',
    autocomplete: 'off', spellcheck: false, dataset: { testid: 'find-input' } });
  const prefixInput = h('input', { class: 'input mono', type: 'search', id: 'prefix', placeholder: 'Prefix (empty lists all)',
    value: state.prefix, autocomplete: 'off', spellcheck: false, dataset: { testid: 'prefix-input' } });
  const sizeSelect = h('select', { class: 'input select', 'aria-label': 'Keys per page', onchange: () => {
    state.limit = Number(sizeSelect.value);
    restart();
  } }, PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === state.limit }, `${n} / page`)));
  const tbody = h('tbody', { dataset: { testid: 'key-rows' } });
  const listStatus = h('div', { class: 'list-status', 'aria-live': 'polite' });
  const pageLabel = h('span', { class: 'subtle', dataset: { testid: 'page-label' } });
  const prevBtn = h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'page-prev' }, onclick: () => {
    if (state.cursors.length > 1) { state.cursors.pop(); load(); }
  }, disabled: true }, '‹ Prev');
  const nextBtn = h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'page-next' }, onclick: () => {
    if (state.next != null) { state.cursors.push(state.next); load(); }
  }, disabled: true }, 'Next ›');

  /** Keeps prefix and selected key in the address, so a view can be bookmarked or shared. */
  function syncHash() {
    const q = new URLSearchParams();
    if (state.prefix) q.set('prefix', state.prefix);
    if (state.selected != null) q.set('key', state.selected);
    const qs = q.toString();
    history.replaceState(null, '', `#/keys${qs ? `?${qs}` : ''}`);
  }

  function restart() {
    state.cursors = [null];
    syncHash();
    load();
    watchPrefix();
  }

  function select(key) {
    state.selected = key;
    syncHash();
    for (const tr of tbody.children) tr.classList.toggle('selected', tr.dataset.key === key);
    detail.show(key);
    // Stacked layout: the detail sits under the list, so bring it into view.
    if (window.matchMedia('(max-width: 900px)').matches) detail.el.scrollIntoView({ block: 'start' });
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    replace(listStatus, h('span', { class: 'spinner' }), ' Loading …');
    listStatus.hidden = false;
    try {
      const after = state.cursors.at(-1);
      const { body } = await api.list({ prefix: state.prefix, limit: state.limit, after }, { signal: controller.signal });
      const items = Array.isArray(body.items) ? body.items : [];
      state.next = body.next ?? body.nextAfter ?? null;
      if (state.next === '') state.next = null;
      replace(tbody, items.map((it) => h('tr', {
        class: it.key === state.selected ? 'clickable selected' : 'clickable',
        dataset: { testid: 'key-row', key: it.key }, tabindex: '0',
        onclick: () => select(it.key),
        onkeydown: (e) => { if (e.key === 'Enter') select(it.key); },
      },
      h('td', { class: 'mono key-cell', title: it.key }, previewText(it.key, 60)),
      h('td', { class: 'mono value-cell muted' }, it.value != null ? previewText(it.value, 60) : ''),
      h('td', { class: 'num' }, revisionOf(it) ?? '—'))));
      listStatus.hidden = items.length > 0;
      if (!items.length) {
        replace(listStatus, state.prefix ? ['No keys start with ', h('code', {}, state.prefix), '.'] : 'The store is empty.');
      }
      const page = state.cursors.length;
      pageLabel.textContent = `Page ${page} · ${items.length} ${items.length === 1 ? 'key' : 'keys'}`;
      prevBtn.disabled = page <= 1;
      nextBtn.disabled = state.next == null;
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(listStatus, h('div', { class: 'inline-error', dataset: { testid: 'list-error' } },
        h('strong', {}, 'Cannot list keys: '), e.message,
        h('div', {}, h('button', { class: 'btn btn-small', type: 'button', onclick: () => load() }, 'Try again'))));
      listStatus.hidden = false;
    }
  }

  container.append(
    h('section', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Keys'), h('p', { class: 'subtle' }, 'Browse, read and change what the cluster stores.')),
      h('button', { class: 'btn btn-primary', type: 'button', dataset: { testid: 'new-key' }, onclick: () => detail.edit(null) }, '+ New key')),
    h('form', { class: 'card find-bar', onsubmit: (e) => {
      e.preventDefault();
      if (findInput.value) select(findInput.value);
    } },
    h('label', { for: 'find-key', class: 'label-inline' }, 'Find'),
    findInput,
    h('button', { class: 'btn btn-primary', type: 'submit', dataset: { testid: 'find-go' } }, 'Get')),
    h('div', { class: 'keys-layout' },
      h('section', { class: 'card list-card' },
        h('form', { class: 'list-toolbar', onsubmit: (e) => {
          e.preventDefault();
          state.prefix = prefixInput.value;
          restart();
        } },
        prefixInput,
        h('button', { class: 'btn', type: 'submit', dataset: { testid: 'prefix-go' } }, 'List'),
        sizeSelect),
        h('div', { class: 'table-scroll' },
          h('table', { class: 'table keys-table' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', { class: 'num' }, 'Rev'))),
            tbody)),
        listStatus,
        h('div', { class: 'pager' }, pageLabel, h('span', { class: 'spacer' }), prevBtn, nextBtn)),
      detail.el));

  load();
  watchPrefix();
  if (params.get('key') != null) select(params.get('key'));
  return {
    update(p) {
      const prefix = p.get('prefix') ?? '';
      if (prefix !== state.prefix) { state.prefix = prefix; prefixInput.value = prefix; restart(); }
      const key = p.get('key');
      if (key != null && key !== state.selected) select(key);
    },
    dispose() { controller?.abort(); watching?.abort(); clearTimeout(reloadTimer); detail.dispose(); },
  };
}
