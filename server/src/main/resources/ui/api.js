// The one place the UI talks HTTP: base URL, timeouts, redirects to the leader and 503 retries.

const BASE_KEY = 'leifdb.apiBase';
const RECENT_KEY = 'leifdb.recentNodes';
// Session storage: the token dies with the tab, and other origins' pages cannot read it.
const TOKEN_KEY = 'leifdb.token';
export const TIMEOUT_MS = 3000;
const MAX_503_RETRIES = 5;

/**
 * Events: 'retrying' {id, reason, delayMs, attempt, max}, 'settled' {id} once a retried request ends,
 * 'failure' (an ApiError), 'success', and 'base' when the API base changes.
 */
export const apiEvents = new EventTarget();
let requestCounter = 0;

export class ApiError extends Error {
  /** kind is 'network', 'timeout' or 'http'; status and code are set for 'http'. */
  constructor(kind, message, { status = 0, code = '', url = '', retryAfterMs = 0 } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.url = url;
    this.retryAfterMs = retryAfterMs;
  }
  get isPreconditionFailed() { return this.kind === 'http' && this.status === 412; }
  get isNotFound() { return this.kind === 'http' && this.status === 404; }
  get isNoLeader() { return this.kind === 'http' && this.status === 503; }
}

/** Turns "host:port", "http://host:port/" or "https://h" into an origin; throws on nonsense. */
export function normalizeBase(input) {
  const raw = String(input ?? '').trim();
  if (!raw) throw new Error('Enter a node address such as localhost:8080');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${raw}" is not a host:port or http:// address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Only http:// and https:// are supported, not ${url.protocol}`);
  }
  if (!url.hostname) throw new Error(`"${raw}" has no host name`);
  const path = url.pathname.replace(/\/+$/, '');
  return url.origin + path;
}

function pageOrigin() {
  return location.protocol.startsWith('http') ? location.origin : 'http://localhost:8080';
}

export function defaultBase() { return pageOrigin(); }

export function getBase() {
  const saved = localStorage.getItem(BASE_KEY);
  return saved || pageOrigin();
}

export function isDefaultBase() { return !localStorage.getItem(BASE_KEY); }

export function setBase(base) {
  const norm = base ? normalizeBase(base) : null;
  if (norm && norm !== pageOrigin()) {
    localStorage.setItem(BASE_KEY, norm);
    rememberRecent(norm);
  } else {
    localStorage.removeItem(BASE_KEY);
  }
  apiEvents.dispatchEvent(new CustomEvent('base', { detail: getBase() }));
}

export function recentNodes() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]');
    return Array.isArray(list) ? list.filter((s) => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function rememberRecent(base) {
  const list = [base, ...recentNodes().filter((b) => b !== base)].slice(0, 6);
  localStorage.setItem(RECENT_KEY, JSON.stringify(list));
}

/** Member addresses come as "host:port" or full URLs; give back an origin or null. */
export function addressToBase(address) {
  if (!address) return null;
  try {
    return normalizeBase(address);
  } catch {
    return null;
  }
}

function abortableDelay(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
  });
}

/** Node ids are 64-bit; keep integers past 2^53 exact as strings where the browser gives the source text. */
function keepBigIntegers(key, value, context) {
  return typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
    ? context.source : value;
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text, keepBigIntegers);
  } catch {
    return { text };
  }
}

function retryAfterMs(response, attempt) {
  const header = Number(response.headers.get('Retry-After'));
  const backoff = Math.min(250 * 2 ** attempt, 3000);
  return Number.isFinite(header) && header > 0 ? Math.min(header * 1000, 5000) : backoff;
}

/** One fetch bounded by a timeout; the caller's signal still cancels it early. */
async function fetchOnce(url, init, timeoutMs, outerSignal) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), timeoutMs);
  const onOuterAbort = () => controller.abort(outerSignal.reason);
  outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await fetch(url, { ...init, signal: controller.signal, cache: 'no-store', redirect: 'follow' });
  } catch (e) {
    if (outerSignal?.aborted) throw e;
    if (controller.signal.aborted) {
      throw new ApiError('timeout', `${new URL(url).host} did not answer within ${timeoutMs / 1000} s`, { url });
    }
    throw new ApiError('network', `Cannot reach ${new URL(url).host} (${e.message || 'network error'})`, { url });
  } finally {
    clearTimeout(timer);
    outerSignal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Finds the leader's HTTP origin by asking `base`; null when none is known.
 * Used when a browser refuses to follow a write's cross-origin 307 itself.
 */
export async function findLeaderBase(base, signal) {
  const r = await fetchOnce(`${base}/cluster`, { method: 'GET' }, TIMEOUT_MS, signal);
  if (!r.ok) return null;
  const c = await readBody(r);
  if (c?.leaderAddress) return addressToBase(c.leaderAddress);
  const members = Array.isArray(c?.members) ? c.members : [];
  const leader = members.find((m) => String(m.role ?? '').toLowerCase() === 'leader')
    ?? members.find((m) => c.leader != null && String(m.id) === String(c.leader));
  return addressToBase(leader?.httpAddress ?? leader?.clientAddress ?? leader?.address);
}

/**
 * Sends one API request and resolves to {status, body, headers, url}.
 * Throws ApiError for non-2xx answers (after retrying 503s), timeouts and network failures.
 */
export async function request(path, opts = {}) {
  const { method = 'GET', json, headers = {}, signal, timeoutMs = TIMEOUT_MS, retry503 = true, quiet = false } = opts;
  let base = opts.base ?? getBase();
  // X-Requested-With: the node then leaves Basic out of its 401 challenge, so the browser shows no password prompt of its own.
  const init = { method, headers: { Accept: 'application/json', 'X-Requested-With': 'leifdb-ui', ...authHeader(), ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  }
  const id = ++requestCounter;
  let retried = false;
  try {
    return await send();
  } finally {
    if (retried) apiEvents.dispatchEvent(new CustomEvent('settled', { detail: { id } }));
  }

  async function send() {
    let triedLeaderLookup = false;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetchOnce(base + path, init, timeoutMs, signal);
      } catch (e) {
        // A write the browser would not redirect across origins: ask for the leader and go there.
        if (e instanceof ApiError && e.kind === 'network' && method !== 'GET' && !triedLeaderLookup) {
          triedLeaderLookup = true;
          const leaderBase = await findLeaderBase(base, signal).catch(() => null);
          if (leaderBase && leaderBase !== base) {
            base = leaderBase;
            continue;
          }
        }
        if (!quiet && e instanceof ApiError) apiEvents.dispatchEvent(new CustomEvent('failure', { detail: e }));
        throw e;
      }
      if ((response.status === 307 || response.status === 308) && response.headers.get('Location')) {
        // Only reached if the redirect was not followed; the Location names the leader.
        const loc = new URL(response.headers.get('Location'), base + path);
        base = loc.origin;
        if (attempt < MAX_503_RETRIES) continue;
      }
      const body = await readBody(response);
      if (response.status === 503 && retry503 && attempt < MAX_503_RETRIES) {
        const delayMs = retryAfterMs(response, attempt);
        retried = true;
        apiEvents.dispatchEvent(new CustomEvent('retrying', {
          detail: { id, reason: body?.error || 'no leader', delayMs, attempt: attempt + 1, max: MAX_503_RETRIES },
        }));
        await abortableDelay(delayMs, signal);
        continue;
      }
      if (response.status === 401 && !headers.Authorization) {
        sessionStorage.removeItem(TOKEN_KEY);
        apiEvents.dispatchEvent(new CustomEvent('unauthorized', { detail: body?.error || 'log in' }));
      }
      if (!response.ok) {
        const plain = body?.text ? body.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160) : '';
        const err = new ApiError('http', body?.error || plain || `HTTP ${response.status}`, {
          status: response.status, code: body?.code || '', url: response.url,
          retryAfterMs: response.status === 503 ? retryAfterMs(response, attempt) : 0,
        });
        if (!quiet && (response.status >= 500)) apiEvents.dispatchEvent(new CustomEvent('failure', { detail: err }));
        throw err;
      }
      if (!quiet) apiEvents.dispatchEvent(new CustomEvent('success'));
      return { status: response.status, body: body ?? {}, headers: response.headers, url: response.url };
    }
  }
}

const enc = (key) => encodeURIComponent(key);
/** The server waits up to 120 s for storedK 1; the browser waits a little longer for its answer. */
const CODED_CHANGE_TIMEOUT_MS = 150000;
/** "?a=true&b=true" for the flags that are set, or "". */
const query = (flags) => {
  const set = Object.entries(flags).filter(([, v]) => v).map(([k]) => `${k}=true`);
  return set.length ? `?${set.join('&')}` : '';
};

function authHeader() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function loggedInUser() {
  return sessionStorage.getItem(`${TOKEN_KEY}.user`);
}

/** Trades a user name and password for a token (POST /auth/token) and keeps it for this tab. */
export async function login(user, password) {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)));
  const { body } = await request('/auth/token', { method: 'POST', headers: { Authorization: `Basic ${basic}` }, quiet: true });
  sessionStorage.setItem(TOKEN_KEY, body.token);
  sessionStorage.setItem(`${TOKEN_KEY}.user`, user);
  apiEvents.dispatchEvent(new CustomEvent('login', { detail: user }));
}

export function logout() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(`${TOKEN_KEY}.user`);
  apiEvents.dispatchEvent(new CustomEvent('unauthorized', { detail: 'logged out' }));
}

/** Revision fields have had several names; take whichever is there. */
export function revisionOf(body, headers) {
  const r = body?.modRevision ?? body?.revision ?? body?.mod_revision ?? body?.modIndex;
  if (r != null) return String(r);
  const etag = headers?.get?.('ETag');
  return etag ? etag.replace(/^W\//, '').replace(/"/g, '') : null;
}

/**
 * Follows GET /watch for the keys under prefix, calling onChange(event) for each put, delete or expire, until
 * signal aborts or the stream ends; resolves then. Read through fetch rather than EventSource, which
 * cannot send the Authorization header. Retries the connection (from the last revision) after a pause.
 */
export async function watch(prefix, onChange, signal, onReady = () => {}) {
  let from = null;
  while (!signal.aborted) {
    const q = new URLSearchParams({ prefix });
    if (from != null) q.set('fromRevision', from);
    try {
      const response = await fetch(`${getBase()}/watch?${q}`, {
        headers: { Accept: 'text/event-stream', 'X-Requested-With': 'leifdb-ui', ...authHeader() }, signal, cache: 'no-store',
      });
      if (!response.ok || !response.body) return; // a node without /watch, or no read access: no live updates
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let name = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) {
            const data = JSON.parse(line.slice(6));
            if (name === 'ready') { if (from == null) from = String(data.revision); onReady(); }
            if (name === 'put' || name === 'delete' || name === 'expire') { from = String(data.revision); onChange(data); }
            if (name === 'end' && data.code === 'watch_compacted') from = null;
          }
        }
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
    }
    await abortableDelay(1000, signal).catch(() => {});
  }
}

export const api = {
  health: (o) => request('/health', o),
  cluster: (o) => request('/cluster', o),
  /** Ids pass 2^53, so they travel as strings. Both answer once done; a follower's 307 leads to the leader. */
  // codingOffFirst: the leader turns coding off, waits (at most 120 s) for storedK 1, changes, turns coding on.
  removeMember: (id, { force = false, codingOffFirst = false, ...o } = {}) =>
    request(`/cluster/members/${enc(String(id))}${query({ force, codingOffFirst })}`,
      { ...o, method: 'DELETE', timeoutMs: codingOffFirst ? CODED_CHANGE_TIMEOUT_MS : 10000 }),
  promoteMember: (id, { codingOffFirst = false, ...o } = {}) =>
    request(`/cluster/members/${enc(String(id))}/promote${query({ codingOffFirst })}`,
      { ...o, method: 'POST', timeoutMs: codingOffFirst ? CODED_CHANGE_TIMEOUT_MS : 10000 }),
  transferLeader: (id, o = {}) =>
    request('/cluster/leader', { ...o, method: 'POST', json: id == null ? {} : { to: String(id) }, timeoutMs: 10000 }),
  /** CRaft's coding parameters, the cluster's (recorded in its log); set answers once applied on the leader. */
  coding: (o) => request('/cluster/coding', o),
  setCoding: (change, o = {}) => request('/cluster/coding', { ...o, method: 'PUT', json: change, timeoutMs: 10000 }),
  get: (key, o = {}) => request(`/db/${enc(key)}${o.stale ? '?consistency=stale' : ''}`, o),
  /** mode: {createOnly:true} sends If-None-Match: *, {ifRevision:n} sends If-Match: "n". */
  put(key, value, { createOnly = false, ifRevision = null, ...o } = {}) {
    const headers = {};
    if (createOnly) headers['If-None-Match'] = '*';
    else if (ifRevision != null) headers['If-Match'] = `"${ifRevision}"`;
    return request(`/db/${enc(key)}`, { ...o, method: 'PUT', json: { value }, headers });
  },
  delete: (key, o) => request(`/db/${enc(key)}`, { ...o, method: 'DELETE' }),
  list({ prefix = '', limit = 50, after = null } = {}, o) {
    const q = new URLSearchParams({ prefix, limit: String(limit) });
    if (after != null) q.set('after', after);
    return request(`/db?${q}`, o);
  },
};
