// The shell: hash router, header with the node's status, and the banner for failures and retries.

import { api, apiEvents, getBase, isDefaultBase } from './api.js';
import { replace, h } from './dom.js';
import * as clusterPage from './pages/cluster.js';
import * as keysPage from './pages/keys.js';
import * as connectPage from './pages/connect.js';
import * as metricsPage from './pages/metrics.js';
import * as loginPage from './pages/login.js';
import * as usersPage from './pages/users.js';

const routes = { cluster: clusterPage, keys: keysPage, metrics: metricsPage, users: usersPage, connect: connectPage, login: loginPage };
const HEALTH_POLL_MS = 2000;

const view = document.getElementById('view');
let current = null; // { name, dispose }

/** "#/keys?prefix=a" -> { name: 'keys', params: URLSearchParams('prefix=a') } */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [name, query = ''] = raw.split('?');
  return { name: routes[name] ? name : 'cluster', params: new URLSearchParams(query) };
}

function route() {
  const { name, params } = parseHash();
  if (current?.name === name && current.update) {
    current.update(params);
    return;
  }
  current?.dispose?.();
  for (const a of document.querySelectorAll('.tabs a')) {
    a.classList.toggle('active', a.dataset.route === name);
    if (a.dataset.route === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  replace(view);
  document.title = `LeifDB · ${name[0].toUpperCase()}${name.slice(1)}`;
  const page = routes[name].mount(view, params) ?? {};
  current = { name, dispose: page.dispose, update: page.update };
  document.body.dataset.page = name;
}

// ---- banner: network failures stay until something succeeds; 503 retries until their request ends.
const banner = document.getElementById('banner');
const retrying = new Map(); // request id -> detail
let failure = null;

function renderBanner() {
  if (retrying.size) {
    const d = [...retrying.values()].at(-1);
    banner.className = 'banner banner-warn';
    banner.dataset.state = 'retrying';
    replace(banner, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('strong', {}, 'No leader, retrying'),
      h('span', {}, ` — ${/no leader/i.test(d.reason) ? '' : `${d.reason}; `}attempt ${d.attempt} of ${d.max}, next in ${(d.delayMs / 1000).toFixed(1)} s`));
    banner.hidden = false;
  } else if (failure) {
    banner.className = 'banner banner-error';
    banner.dataset.state = 'error';
    replace(banner, h('strong', {}, failure.kind === 'http' ? `Server error ${failure.status}` : 'Connection problem'),
      h('span', {}, ` — ${failure.message}`),
      failure.kind !== 'http' && location.hash !== '#/connect' ? h('a', { href: '#/connect', class: 'banner-link' }, 'Connect to another node') : null,
      h('button', { class: 'banner-close', 'aria-label': 'Dismiss', onclick: () => { failure = null; renderBanner(); } }, '×'));
    banner.hidden = false;
  } else {
    banner.hidden = true;
    banner.dataset.state = 'ok';
  }
}

apiEvents.addEventListener('retrying', (e) => { retrying.set(e.detail.id, e.detail); renderBanner(); });
apiEvents.addEventListener('settled', (e) => { retrying.delete(e.detail.id); renderBanner(); });
apiEvents.addEventListener('failure', (e) => { failure = e.detail; renderBanner(); });
apiEvents.addEventListener('success', () => { if (failure) { failure = null; renderBanner(); } });

// ---- header: which node we talk to, its role, term and leader.
const dot = document.getElementById('node-dot');
const baseEl = document.getElementById('node-base');
const metaEl = document.getElementById('node-meta');
let healthTimer = null;
let healthAbort = null;

function showBase() {
  const base = getBase();
  baseEl.textContent = base.replace(/^https?:\/\//, '');
  baseEl.title = isDefaultBase() ? `${base} (this page's node)` : `${base} (chosen on Connect)`;
}

async function pollHealth() {
  clearTimeout(healthTimer);
  healthAbort?.abort();
  healthAbort = new AbortController();
  try {
    const { body } = await api.health({ signal: healthAbort.signal });
    const role = String(body.role ?? 'unknown').toLowerCase();
    const leader = body.leader ?? body.leaderId;
    const noLeader = leader == null || leader === '' || Number(leader) <= 0;
    dot.className = `dot ${noLeader ? 'dot-warn' : 'dot-ok'}`;
    replace(metaEl,
      h('span', { class: `badge role-${role}`, dataset: { testid: 'header-role' } }, role),
      body.term != null ? h('span', {}, `term ${body.term}`) : null,
      h('span', { dataset: { testid: 'header-leader' }, title: noLeader ? null : `leader id ${leader}` },
        noLeader ? 'no leader' : `leader ${body.leaderAddress ?? leader}`));
  } catch (e) {
    if (e.name === 'AbortError') return;
    dot.className = 'dot dot-down';
    replace(metaEl, h('span', { class: 'badge role-down' }, 'unreachable'));
  }
  healthTimer = setTimeout(pollHealth, HEALTH_POLL_MS);
}

apiEvents.addEventListener('base', () => {
  showBase();
  failure = null;
  renderBanner();
  pollHealth();
});

// Auth is on and the tab holds no valid token: the login form, then back where the user was.
apiEvents.addEventListener('unauthorized', () => {
  if (!location.hash.startsWith('#/login')) {
    const back = location.hash.replace(/^#\/?/, '').split('?')[0] || 'cluster';
    location.hash = `#/login?next=${encodeURIComponent(back)}`;
  }
});

window.addEventListener('hashchange', route);
showBase();
pollHealth();
route();
