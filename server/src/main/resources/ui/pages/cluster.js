// Cluster page: every member's role, voter or learner, term, indexes, lag and last contact, polled once
// a second; transfer leadership to a member or remove it (each after a confirmation); the cluster's
// erasure-coding parameters with a form that changes them through the log, and the repair scrub's
// progress (values below full redundancy, the last pass); and a link that downloads
// a backup of the member this UI talks to.

import { api, addressToBase, getBase, request } from '../api.js';
import { confirmDialog, h, replace, toast } from '../dom.js';
import { formatAgo, formatNumber } from '../format.js';

const POLL_MS = 1000;
const PROBE_TIMEOUT_MS = 1500;

const lower = (s) => String(s ?? '').toLowerCase();
/** Numbers from the API; negatives mean "not known by this node" (only the leader tracks progress). */
const num = (v) => (v == null || v === '' || !Number.isFinite(Number(v)) || Number(v) < 0 ? null : Number(v));

/** Fetches /cluster from our base, the leader's view of progress, and /health from each member. */
async function snapshot(signal) {
  const base = getBase();
  const { body: cluster } = await api.cluster({ signal });
  const members = Array.isArray(cluster.members) ? cluster.members : [];
  const leaderMember = members.find((m) => lower(m.role) === 'leader')
    ?? members.find((m) => cluster.leader != null && String(m.id) === String(cluster.leader));
  const leaderBase = addressToBase(cluster.leaderAddress ?? leaderMember?.httpAddress);

  // Only the leader tracks matchIndex and contact times; ask it when we are not talking to it.
  let progress = cluster;
  if (leaderBase && leaderBase !== base) {
    progress = await request('/cluster', { base: leaderBase, signal, quiet: true, timeoutMs: PROBE_TIMEOUT_MS })
      .then((r) => r.body).catch(() => cluster);
  }
  const progressById = new Map((progress.members ?? []).map((m) => [String(m.id), m]));

  // The node we talk to is probed through our own base: its advertised address may not resolve here.
  const selfId = cluster.id != null ? String(cluster.id) : null;
  const probeBase = (m) => (selfId != null && String(m.id) === selfId ? base : addressToBase(m.httpAddress));
  const healths = await Promise.all(members.map((m) => {
    const b = probeBase(m);
    if (!b) return Promise.resolve(null);
    return request('/health', { base: b, signal, quiet: true, retry503: false, timeoutMs: PROBE_TIMEOUT_MS })
      .then((r) => r.body).catch(() => null);
  }));

  const rows = members.map((m, i) => {
    const p = progressById.get(String(m.id)) ?? m;
    const health = healths[i];
    const up = health != null;
    return {
      id: m.id,
      // Ids are random 64-bit numbers; people read "Node 2" better, the id stays in a tooltip.
      label: `Node ${i + 1}`,
      isSelf: probeBase(m) === base,
      leaderLostContact: up && (p.up === false || m.up === false),
      httpAddress: m.httpAddress,
      // A learner replicates but never votes or leads (older nodes do not say: they only had voters).
      voter: m.voter !== false,
      raftAddress: m.raftAddress,
      role: up ? lower(health.role ?? m.role) || 'unknown' : 'down',
      isLeader: up && (lower(health?.role) === 'leader' || m === leaderMember),
      up,
      term: num(health?.term),
      // A member that lost its data does not vote until a leader has caught it up.
      catchingUp: up && health?.catchingUp === true,
      commit: num(health?.commitIndex ?? health?.commit),
      applied: num(health?.appliedIndex ?? health?.applied),
      match: num(p.matchIndex ?? p.match),
      lastContactMs: num(p.msSinceLastContact ?? p.lastContactMs),
    };
  });
  const leaderRow = rows.find((r) => r.isLeader);
  const leaderIndex = leaderRow ? Math.max(leaderRow.commit ?? 0, leaderRow.match ?? 0) : null;
  for (const r of rows) {
    const own = r.isLeader ? leaderIndex : (r.match ?? r.commit);
    r.lag = leaderIndex != null && own != null ? Math.max(0, leaderIndex - own) : null;
  }
  let coding = await api.coding({ signal, quiet: true }).then((r) => r.body).catch(() => null);
  // Only the leader runs the repair scrub, so only its answer carries the repair figures.
  if (coding && coding.belowFullRedundancy == null && leaderBase && leaderBase !== base) {
    coding = await request('/cluster/coding', { base: leaderBase, signal, quiet: true, timeoutMs: PROBE_TIMEOUT_MS })
      .then((r) => r.body).catch(() => coding);
  }
  return { cluster, rows, leaderRow, base, coding };
}

function codingLabel(c) {
  if (!c) return '—';
  if (!c.on) return 'off';
  return `on · k≤${c.k} of ${c.voters} · ≥${formatNumber(c.threshold)} B${c.recorded ? '' : ' (not recorded yet)'}`;
}

/** The repair scrub's figures: values below full redundancy and how long ago its last pass finished. */
function repairLabel(c) {
  if (c?.belowFullRedundancy == null) return 'no pass yet';
  const at = Date.parse(c.lastScrubAt);
  const ago = Number.isFinite(at) ? ` · scrub ${formatAgo(Math.max(0, Date.now() - at))} ago` : '';
  return `${formatNumber(c.belowFullRedundancy)} below full redundancy${ago}`;
}

/** The cluster's coding parameters as a small form; Apply asks for confirmation, then PUTs (the leader answers). */
function codingForm() {
  const on = h('input', { type: 'checkbox', dataset: { testid: 'coding-on' } });
  const k = h('input', { type: 'number', min: '1', step: '1', class: 'input input-small', dataset: { testid: 'coding-k' } });
  const threshold = h('input', { type: 'number', min: '0', step: '1', class: 'input input-small', dataset: { testid: 'coding-threshold' } });
  const apply = h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'coding-apply' } }, 'Apply');
  let dirty = false;
  [on, k, threshold].forEach((el) => el.addEventListener('input', () => { dirty = true; }));
  apply.addEventListener('click', async () => {
    const change = { on: on.checked, k: Number(k.value), threshold: Number(threshold.value) };
    const ok = await confirmDialog({
      title: 'Change the coding parameters?',
      message: h('span', {}, `Coding ${change.on ? 'on' : 'off'}, k at most ${change.k}, threshold ${change.threshold} bytes,`,
        ' through the Raft log. Values already written keep their code.'),
      confirmLabel: 'Apply',
    });
    if (!ok) return;
    try {
      await api.setCoding(change, { retry503: false });
      dirty = false;
      toast('Coding parameters changed', 'ok');
    } catch (e) {
      toast(`Changing the coding failed: ${e.message}`, 'error');
    }
  });
  const el = h('section', { class: 'card coding-card', dataset: { testid: 'coding-form' } },
    h('strong', {}, 'Erasure coding'), ' ',
    h('label', {}, on, ' on'), ' ',
    h('label', {}, 'k at most ', k), ' ',
    h('label', {}, 'threshold (bytes) ', threshold), ' ', apply);
  return {
    el,
    /** Shows the cluster's values unless the operator is editing them. */
    show(c) {
      if (!c || dirty) return;
      on.checked = c.on === true;
      k.max = String(Math.max(1, c.voters - Math.floor((c.voters - 1) / 2)));
      k.value = String(c.k);
      threshold.value = String(c.threshold);
    },
  };
}

function replicationLabel(c) {
  const mode = c.replication ?? c.mode;
  if (!mode) return '—';
  return String(mode).toLowerCase() === 'coded' && c.k ? `coded · k=${c.k}` : String(mode).toLowerCase();
}

function stat(label, value, testid, extraClass = '') {
  return h('div', { class: `stat ${extraClass}`, dataset: { testid } },
    h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value));
}

function lagCell(lag) {
  if (lag == null) return h('td', { class: 'num muted' }, '—');
  const cls = lag === 0 ? 'lag-ok' : lag < 100 ? 'lag-warn' : 'lag-bad';
  return h('td', { class: `num ${cls}` }, lag === 0 ? 'in sync' : `${formatNumber(lag)} behind`);
}

function renderRows(rows, base, actions) {
  return rows.map((r) => h('tr', {
    class: [r.isLeader ? 'is-leader' : '', r.up ? '' : 'is-down'].join(' ').trim(),
    dataset: { testid: 'member-row', role: r.role, up: String(r.up), id: String(r.id) },
  },
  h('td', {},
    h('div', { class: 'member-name' }, h('span', { class: `dot ${r.up ? (r.isLeader ? 'dot-leader' : 'dot-ok') : 'dot-down'}` }),
      h('strong', { title: `id ${r.id}` }, r.label),
      r.isSelf ? h('span', { class: 'chip', title: 'The node this UI talks to' }, 'you') : null,
      r.leaderLostContact ? h('span', { class: 'badge badge-warn', title: 'It answers here, but the leader has not heard from it lately' },
        'no contact with leader') : null),
    h('div', { class: 'member-addr' }, r.httpAddress ?? '', r.raftAddress ? h('span', { class: 'muted raft-addr' }, ` · raft ${r.raftAddress}`) : null)),
  h('td', {}, h('span', { class: `badge role-${r.role}`, dataset: { testid: 'member-role' } }, r.role),
    h('span', { class: 'chip', dataset: { testid: 'member-kind' } }, r.voter ? 'voter' : 'learner'),
    r.catchingUp ? h('span', { class: 'badge badge-warn catching-up', title: 'Lost its data: does not vote until a leader has caught it up', dataset: { testid: 'member-catching-up' } }, 'catching up') : null),
  h('td', { class: 'num' }, formatNumber(r.term)),
  h('td', { class: 'num' }, formatNumber(r.commit)),
  h('td', { class: 'num' }, formatNumber(r.applied)),
  h('td', { class: 'num' }, formatNumber(r.match)),
  lagCell(r.up ? r.lag : null),
  h('td', { class: 'num' }, r.isLeader ? h('span', { class: 'muted' }, 'self') : formatAgo(r.lastContactMs)),
  h('td', { class: 'actions' },
    !r.voter && r.up ? h('button', {
      class: 'btn btn-small', type: 'button', dataset: { testid: 'promote-member' },
      title: 'Make this learner a voter once it has caught up', onclick: () => actions.promote(r),
    }, 'Promote') : null,
    r.voter && r.up && !r.isLeader ? h('button', {
      class: 'btn btn-small', type: 'button', dataset: { testid: 'make-leader' },
      title: 'Hand leadership to this member', onclick: () => actions.transfer(r),
    }, 'Make leader') : null,
    h('button', {
      class: 'btn btn-small btn-danger-ghost', type: 'button', dataset: { testid: 'remove-member' },
      title: 'Remove this member from the cluster', onclick: () => actions.remove(r),
    }, 'Remove'))));
}

/** The operator actions, each behind a confirmation; the next poll shows their effect. */
function memberActions() {
  async function run(what, call) {
    try {
      await call();
      toast(what, 'ok');
    } catch (e) {
      toast(`${what} failed: ${e.message}`, 'error');
    }
  }
  /**
   * A voter change; refused as coded (409 coded: erasure-coded values need coding off from an even voter
   * count), it offers the server's codingOffFirst steps behind a second confirmation.
   */
  async function voterChange(what, call) {
    try {
      await call(false);
      toast(what, 'ok');
      return;
    } catch (e) {
      if (e.code !== 'coded') {
        toast(`${what} failed: ${e.message}`, 'error');
        return;
      }
      const ok = await confirmDialog({
        title: 'Turn coding off for this change?',
        message: h('span', { dataset: { testid: 'coded-refusal' } }, e.message, h('br'),
          'The leader can turn erasure coding off, wait until every value is stored whole on every voter',
          ' (up to two minutes), make the change and turn coding on again.'),
        confirmLabel: 'Coding off, then change',
      });
      if (!ok) return;
    }
    toast('Coding off; waiting until every value is whole on every voter…', 'info');
    await run(`${what} (coding was off meanwhile and is on again)`, () => call(true));
  }
  return {
    async transfer(r) {
      const ok = await confirmDialog({
        title: `Make ${r.label} the leader?`,
        message: h('span', {}, 'Leadership moves to ', h('code', {}, r.httpAddress || String(r.id)),
          '. Writes pause for a moment while it takes over.'),
        confirmLabel: 'Make leader',
      });
      if (ok) await run(`${r.label} leads now`, () => api.transferLeader(r.id, { retry503: false }));
    },
    async promote(r) {
      const behind = r.lag == null ? 'its lag is unknown here' : r.lag === 0 ? 'it is in sync' : `it is ${formatNumber(r.lag)} entries behind`;
      const ok = await confirmDialog({
        title: `Promote ${r.label} to voter?`,
        message: h('span', {}, 'Learner ', h('code', {}, String(r.id)), ` becomes a voter (${behind}).`,
          ' It then counts toward every quorum; the leader refuses while it is far behind.'),
        confirmLabel: 'Promote',
      });
      if (ok) await voterChange(`${r.label} is a voter`, (codingOffFirst) => api.promoteMember(r.id, { retry503: false, codingOffFirst }));
    },
    async remove(r) {
      const ok = await confirmDialog({
        title: `Remove ${r.label} from the cluster?`,
        message: h('span', {}, 'Member ', h('code', {}, String(r.id)),
          ' leaves the configuration through the log. Its process keeps running but takes no part;',
          ' to bring it back it must join again with an empty data directory.'),
        confirmLabel: 'Remove', danger: true,
      });
      if (ok) await voterChange(`${r.label} removed`, (codingOffFirst) => api.removeMember(r.id, { retry503: false, codingOffFirst }));
    },
  };
}

export function mount(container) {
  const coding = codingForm();
  const stats = h('div', { class: 'stats', dataset: { testid: 'cluster-stats' } });
  const tbody = h('tbody', { dataset: { testid: 'member-rows' } });
  const updated = h('span', { class: 'live', dataset: { testid: 'cluster-updated' } }, 'loading…');
  const error = h('div', { class: 'inline-error', hidden: true, dataset: { testid: 'cluster-error' } });
  container.append(
    h('section', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Cluster'), h('p', { class: 'subtle' }, 'Members, their roles and how far each one trails the leader; promote a learner, move leadership or remove a member.')),
      h('div', {},
        // GET /backup answers with Content-Disposition: attachment, so the browser saves the archive.
        h('a', { class: 'btn btn-small', href: `${getBase()}/backup`, download: '', dataset: { testid: 'download-backup' },
          title: 'A consistent backup of this member\'s applied state (ZIP); restore it with ./leifdb restore' },
        'Download backup'),
        ' ', updated)),
    error,
    stats,
    coding.el,
    h('section', { class: 'card table-card' },
      h('div', { class: 'table-scroll' },
        h('table', { class: 'table', dataset: { testid: 'members-table' } },
          h('thead', {}, h('tr', {},
            h('th', {}, 'Member'), h('th', {}, 'Role'), h('th', { class: 'num' }, 'Term'),
            h('th', { class: 'num' }, 'Commit'), h('th', { class: 'num' }, 'Applied'),
            h('th', { class: 'num', title: "Highest log index the leader knows this member holds" }, 'Match'),
            h('th', { class: 'num' }, 'Lag'), h('th', { class: 'num', title: 'Since the leader last heard from it' }, 'Last contact'),
            h('th', {}, ''))),
          tbody))));

  let stopped = false;
  let timer = null;
  let controller = null;
  let lastOk = null;
  const actions = memberActions();

  async function tick() {
    controller = new AbortController();
    try {
      const s = await snapshot(controller.signal);
      if (stopped) return;
      lastOk = Date.now();
      error.hidden = true;
      const upCount = s.rows.filter((r) => r.up).length;
      const leader = s.leaderRow;
      replace(stats,
        stat('Leader', leader ? leader.label : 'none', 'stat-leader', leader ? 'stat-good' : 'stat-warn'),
        stat('Term', formatNumber(s.cluster.term ?? leader?.term), 'stat-term'),
        stat('Commit index', formatNumber(leader?.commit), 'stat-commit'),
        stat('Members up', `${upCount} / ${s.rows.length}`, 'stat-up', upCount === s.rows.length ? 'stat-good' : 'stat-warn'),
        stat('Replication', replicationLabel(s.cluster), 'stat-mode'),
        stat('Coding', codingLabel(s.coding), 'stat-coding'),
        stat('Repair', repairLabel(s.coding), 'stat-repair',
          s.coding?.belowFullRedundancy > 0 ? 'stat-warn' : s.coding?.belowFullRedundancy === 0 ? 'stat-good' : ''));
      coding.show(s.coding);
      replace(tbody, renderRows(s.rows, s.base, actions));
      container.dataset.members = String(s.rows.length);
      container.dataset.leaders = String(s.rows.filter((r) => r.isLeader).length);
    } catch (e) {
      if (stopped || e.name === 'AbortError') return;
      error.hidden = false;
      replace(error, h('strong', {}, 'Cannot load the cluster: '), e.message);
    } finally {
      if (!stopped) {
        updated.textContent = lastOk ? `live · updated ${new Date(lastOk).toLocaleTimeString()}` : 'waiting for the node…';
        updated.classList.toggle('stale', !lastOk || Date.now() - lastOk > 3000);
        timer = setTimeout(tick, POLL_MS);
      }
    }
  }
  tick();

  return {
    dispose() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
