// Users page: users and roles (root's work once auth is on), and any user's own password. Every change
// goes through /auth, so the node checks it; deletions and password resets ask for confirmation.

import { loggedInUser, request } from '../api.js';
import { confirmDialog, h, replace, toast } from '../dom.js';

const enc = (s) => encodeURIComponent(s);

/** "read pub/" or "readwrite app/" per line; the prefix is the rest of the line ("" = every key). */
export function parseGrants(text) {
  const grants = [];
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [access, ...rest] = line.split(/\s+/);
    if (access !== 'read' && access !== 'readwrite') {
      throw new Error(`"${line}": each line is "read PREFIX" or "readwrite PREFIX"`);
    }
    grants.push({ access, prefix: rest.join(' ') });
  }
  if (!grants.length) throw new Error('Give at least one line such as "read pub/"');
  return grants;
}

const grantsText = (perms) => perms.map((p) => `${p.access} ${p.prefix}`.trim()).join('\n');
const grantsLabel = (perms) => perms.map((p) => `${p.access}:${p.prefix || '(all keys)'}`).join('  ');

function input(testid, attrs = {}) {
  return h('input', { class: 'input', dataset: { testid }, ...attrs });
}

/** Runs one change, reports it in a toast, then reloads the tables. */
async function change(what, call, reload) {
  try {
    await call();
    toast(what, 'ok');
  } catch (e) {
    toast(`Failed: ${e.message}`, 'error');
  } finally {
    reload();
  }
}

function userRow(u, roles, reload) {
  const setRoles = async () => {
    const field = input('dialog-roles', { value: u.roles.join(', '), 'aria-label': 'Roles' });
    const ok = await confirmDialog({
      title: `Roles of ${u.name}`,
      message: h('span', {}, `Comma-separated, from: ${roles.join(', ')}. Replaces the ones ${u.name} has.`, field),
      confirmLabel: 'Set roles',
    });
    if (!ok) return;
    const list = field.value.split(',').map((s) => s.trim()).filter(Boolean);
    await change(`Roles of ${u.name} set`, () => request(`/auth/users/${enc(u.name)}/roles`,
      { method: 'PUT', json: { roles: list }, retry503: false }), reload);
  };
  const resetPassword = async () => {
    const field = input('dialog-password', { type: 'password', autocomplete: 'new-password', 'aria-label': 'New password' });
    const ok = await confirmDialog({
      title: `New password for ${u.name}`,
      message: h('span', {}, 'At least 8 characters. Their tokens stay valid until they expire.', field),
      confirmLabel: 'Set password', danger: true,
    });
    if (!ok) return;
    await change(`Password of ${u.name} set`, () => request(`/auth/users/${enc(u.name)}/password`,
      { method: 'PUT', json: { password: field.value }, retry503: false }), reload);
  };
  const remove = async () => {
    const ok = await confirmDialog({
      title: `Delete user ${u.name}?`,
      message: 'Their tokens stop working at once.', confirmLabel: 'Delete', danger: true,
    });
    if (ok) await change(`User ${u.name} deleted`, () => request(`/auth/users/${enc(u.name)}`, { method: 'DELETE', retry503: false }), reload);
  };
  return h('tr', { dataset: { testid: 'user-row', user: u.name } },
    h('td', {}, h('code', {}, u.name)),
    h('td', {}, u.roles.length ? u.roles.join(', ') : h('span', { class: 'subtle' }, 'none')),
    h('td', { class: 'actions' },
      h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'user-roles' }, onclick: setRoles }, 'Roles…'),
      h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'user-password' }, onclick: resetPassword }, 'Password…'),
      h('button', { class: 'btn btn-small btn-danger-ghost', type: 'button', dataset: { testid: 'user-delete' }, onclick: remove }, 'Delete')));
}

function roleRow(r, reload) {
  const root = r.name === 'root';
  const edit = async () => {
    const field = h('textarea', { class: 'input', rows: 4, dataset: { testid: 'dialog-grants' }, 'aria-label': 'Grants' },
      grantsText(r.permissions));
    const ok = await confirmDialog({
      title: `Grants of role ${r.name}`,
      message: h('span', {}, 'One per line: "read PREFIX" or "readwrite PREFIX". Its holders get them at once.', field),
      confirmLabel: 'Save',
    });
    if (!ok) return;
    await change(`Role ${r.name} updated`, async () => request(`/auth/roles/${enc(r.name)}`,
      { method: 'PUT', json: { permissions: parseGrants(field.value) }, retry503: false }), reload);
  };
  const remove = async () => {
    const ok = await confirmDialog({
      title: `Delete role ${r.name}?`,
      message: 'It is taken from every user who holds it.', confirmLabel: 'Delete', danger: true,
    });
    if (ok) await change(`Role ${r.name} deleted`, () => request(`/auth/roles/${enc(r.name)}`, { method: 'DELETE', retry503: false }), reload);
  };
  return h('tr', { dataset: { testid: 'role-row', role: r.name } },
    h('td', {}, h('code', {}, r.name)),
    h('td', {}, grantsLabel(r.permissions)),
    h('td', { class: 'actions' }, root ? h('span', { class: 'subtle' }, 'built in') : [
      h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'role-edit' }, onclick: edit }, 'Edit…'),
      h('button', { class: 'btn btn-small btn-danger-ghost', type: 'button', dataset: { testid: 'role-delete' }, onclick: remove }, 'Delete')]));
}

function addUserForm(reload) {
  const name = input('new-user-name', { placeholder: 'name', autocomplete: 'off' });
  const password = input('new-user-password', { type: 'password', placeholder: 'password', autocomplete: 'new-password' });
  const roles = input('new-user-roles', { placeholder: 'roles, comma-separated' });
  const submit = (e) => {
    e.preventDefault();
    const list = roles.value.split(',').map((s) => s.trim()).filter(Boolean);
    change(`User ${name.value} added`, async () => {
      await request('/auth/users', { method: 'POST', json: { name: name.value, password: password.value, roles: list }, retry503: false });
      name.value = ''; password.value = ''; roles.value = '';
    }, reload);
  };
  return h('form', { class: 'inline-form', onsubmit: submit, dataset: { testid: 'add-user-form' } }, name, password, roles,
    h('button', { class: 'btn btn-primary', type: 'submit', dataset: { testid: 'add-user' } }, 'Add user'));
}

function addRoleForm(reload) {
  const name = input('new-role-name', { placeholder: 'name', autocomplete: 'off' });
  const grants = h('textarea', { class: 'input', rows: 2, placeholder: 'read pub/\nreadwrite app/', dataset: { testid: 'new-role-grants' } });
  const submit = (e) => {
    e.preventDefault();
    change(`Role ${name.value} added`, async () => {
      await request('/auth/roles', { method: 'POST', json: { name: name.value, permissions: parseGrants(grants.value) }, retry503: false });
      name.value = ''; grants.value = '';
    }, reload);
  };
  return h('form', { class: 'inline-form', onsubmit: submit, dataset: { testid: 'add-role-form' } }, name, grants,
    h('button', { class: 'btn btn-primary', type: 'submit', dataset: { testid: 'add-role' } }, 'Add role'));
}

/** Any logged-in user: their own password, which the node changes only with the current one. */
function ownPasswordForm(user) {
  const old = input('own-old-password', { type: 'password', placeholder: 'current password', autocomplete: 'current-password' });
  const next = input('own-new-password', { type: 'password', placeholder: 'new password', autocomplete: 'new-password' });
  const submit = (e) => {
    e.preventDefault();
    change('Your password changed', async () => {
      await request(`/auth/users/${enc(user)}/password`, { method: 'PUT', json: { password: next.value, oldPassword: old.value }, retry503: false });
      old.value = ''; next.value = '';
    }, () => {});
  };
  return h('section', { class: 'card' }, h('h2', {}, `Your password (${user})`),
    h('form', { class: 'inline-form', onsubmit: submit, dataset: { testid: 'own-password-form' } }, old, next,
      h('button', { class: 'btn', type: 'submit', dataset: { testid: 'own-password' } }, 'Change')));
}

export function mount(container) {
  const users = h('tbody', { dataset: { testid: 'user-rows' } });
  const roles = h('tbody', { dataset: { testid: 'role-rows' } });
  const error = h('div', { class: 'inline-error', hidden: true, dataset: { testid: 'users-error' } });
  let stopped = false;

  async function reload() {
    try {
      const [u, r] = await Promise.all([request('/auth/users', { quiet: true }), request('/auth/roles', { quiet: true })]);
      if (stopped) return;
      error.hidden = true;
      const roleNames = r.body.roles.map((x) => x.name);
      replace(users, u.body.users.map((x) => userRow(x, roleNames, reload)));
      replace(roles, r.body.roles.map((x) => roleRow(x, reload)));
    } catch (e) {
      if (stopped) return;
      error.hidden = false;
      replace(error, h('strong', {}, 'Cannot list users and roles: '),
        e.status === 403 ? 'this needs the root role.' : e.message);
    }
  }

  const table = (testid, head, body) => h('div', { class: 'table-scroll' },
    h('table', { class: 'table', dataset: { testid } }, h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))), body));
  const user = loggedInUser();
  container.append(
    h('section', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Users'),
      h('p', { class: 'subtle' }, 'Users, their roles and what each role grants; replicated through the log, so every member enforces them.'))),
    error,
    h('section', { class: 'card table-card' }, h('h2', {}, 'Users'), table('users-table', ['User', 'Roles', ''], users), addUserForm(reload)),
    h('section', { class: 'card table-card' }, h('h2', {}, 'Roles'), table('roles-table', ['Role', 'Grants', ''], roles), addRoleForm(reload)),
    user ? ownPasswordForm(user) : null);
  reload();
  return { dispose() { stopped = true; } };
}
