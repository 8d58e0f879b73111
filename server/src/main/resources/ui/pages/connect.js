// Connect page: pick which node the UI talks to; the choice is remembered in localStorage.

import { addressToBase, api, defaultBase, getBase, isDefaultBase, normalizeBase, recentNodes, request, setBase } from '../api.js';
import { h, replace, toast } from '../dom.js';

function healthCard(base, body) {
  const leader = body.leader ?? body.leaderId;
  const row = (k, v, testid) => h('div', { class: 'kv-row' }, h('dt', {}, k), h('dd', { dataset: { testid } }, v ?? '—'));
  return h('div', { class: 'health-result ok', dataset: { testid: 'health-result' } },
    h('div', { class: 'health-title' }, h('span', { class: 'dot dot-ok' }), h('strong', {}, base), ' answers'),
    h('dl', { class: 'kv' },
      row('Status', String(body.status ?? '—'), 'health-status'),
      row('Version', body.version, 'health-version'),
      row('Role', body.role != null ? String(body.role).toLowerCase() : null, 'health-role'),
      row('Leader', leader == null || leader === '' || Number(leader) <= 0 ? 'none known'
        : (body.leaderAddress ?? `id ${leader}`), 'health-leader'),
      row('Term', body.term != null ? String(body.term) : null, 'health-term'),
      row('Commit / applied', body.commitIndex != null ? `${body.commitIndex} / ${body.appliedIndex ?? '—'}` : null, 'health-indexes')));
}

export function mount(container) {
  const input = h('input', {
    type: 'text', id: 'connect-address', class: 'input', placeholder: 'localhost:8081 or http://host:port',
    autocomplete: 'off', spellcheck: false, dataset: { testid: 'connect-input' },
  });
  const result = h('div', { class: 'connect-result', 'aria-live': 'polite' });
  const current = h('div', { class: 'current-base' });
  const recent = h('div', { class: 'chips' });
  const members = h('div', { class: 'chips' });
  let controller = null;

  function showCurrent() {
    replace(current,
      h('span', { class: 'subtle' }, 'Talking to '),
      h('code', { dataset: { testid: 'current-base' } }, getBase()),
      isDefaultBase() ? h('span', { class: 'chip' }, "this page's node")
        : h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'reset-base' },
          onclick: () => { setBase(null); toast(`Back to ${defaultBase()}`); refresh(); } }, "Use this page's node"));
    const list = recentNodes().filter((b) => b !== getBase());
    replace(recent, list.length ? list.map((b) => h('button', {
      class: 'chip chip-button', type: 'button', onclick: () => { input.value = b; check(true); },
    }, b)) : h('span', { class: 'subtle' }, 'None yet.'));
  }

  async function showMembers() {
    try {
      const { body } = await api.cluster({ quiet: true, retry503: false });
      const list = (body.members ?? []).map((m, i) => ({ label: `Node ${i + 1}`, base: addressToBase(m.httpAddress), role: m.role }))
        .filter((m) => m.base);
      replace(members, list.length ? list.map((m) => h('button', {
        class: `chip chip-button${m.base === getBase() ? ' chip-current' : ''}`, type: 'button',
        dataset: { testid: 'member-chip' }, onclick: () => { input.value = m.base; check(true); },
      }, `${m.label} · ${m.base.replace(/^https?:\/\//, '')}`)) : h('span', { class: 'subtle' }, 'No members listed.'));
    } catch (e) {
      replace(members, h('span', { class: 'subtle' }, `Could not list members: ${e.message}`));
    }
  }

  function refresh() { showCurrent(); showMembers(); }

  /** Checks /health at the typed address; when `use` is set and it answers, switches to it. */
  async function check(use) {
    let base;
    try {
      base = normalizeBase(input.value);
    } catch (e) {
      replace(result, h('div', { class: 'inline-error', dataset: { testid: 'connect-error' } }, e.message));
      return;
    }
    controller?.abort();
    controller = new AbortController();
    replace(result, h('div', { class: 'subtle' }, h('span', { class: 'spinner' }), ` Checking ${base}/health …`));
    try {
      const { body } = await request('/health', { base, signal: controller.signal, quiet: true, retry503: false });
      replace(result, healthCard(base, body));
      if (use) {
        setBase(base);
        toast(`Now using ${base}`, 'ok');
        refresh();
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(result, h('div', { class: 'inline-error', dataset: { testid: 'connect-error' } },
        h('strong', {}, `${base} did not answer: `), e.message,
        h('div', { class: 'subtle' }, 'Check the address and port, and that the node is running. The UI was not switched.')));
    }
  }

  const form = h('form', { class: 'connect-form', onsubmit: (e) => { e.preventDefault(); check(true); } },
    h('label', { for: 'connect-address', class: 'label' }, 'Node address'),
    h('div', { class: 'input-row' },
      input,
      h('button', { type: 'button', class: 'btn', dataset: { testid: 'connect-check' }, onclick: () => check(false) }, 'Check'),
      h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'connect-use' } }, 'Connect')),
    h('p', { class: 'hint' }, 'Any member will do: reads are served by the node you pick, writes find their way to the leader.'));

  container.append(
    h('section', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Connect'), h('p', { class: 'subtle' }, 'Choose the node this UI sends its requests to.'))),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Node'), current, form, result),
      h('div', { class: 'stack' },
        h('section', { class: 'card' }, h('h2', {}, 'Members of this cluster'), members),
        h('section', { class: 'card' }, h('h2', {}, 'Recently used'), recent))));
  refresh();
  input.focus();

  return { dispose() { controller?.abort(); } };
}
