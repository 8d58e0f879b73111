// Login page: shown when the node answers 401 (auth is on); the token lives in session storage only.

import { loggedInUser, login, logout } from '../api.js';
import { h, replace, toast } from '../dom.js';

export function mount(container, params) {
  const user = h('input', { type: 'text', id: 'login-user', class: 'input', autocomplete: 'username',
    dataset: { testid: 'login-user' } });
  const password = h('input', { type: 'password', id: 'login-password', class: 'input', autocomplete: 'current-password',
    dataset: { testid: 'login-password' } });
  const message = h('p', { class: 'form-error', role: 'alert', dataset: { testid: 'login-error' } });
  const button = h('button', { class: 'btn btn-primary', type: 'submit', dataset: { testid: 'login-submit' } }, 'Log in');
  const current = loggedInUser();

  async function submit(e) {
    e.preventDefault();
    button.disabled = true;
    replace(message);
    try {
      await login(user.value, password.value);
      toast(`Logged in as ${user.value}`);
      location.hash = `#/${params.get('next') || 'cluster'}`;
    } catch (err) {
      replace(message, err.status === 401 ? 'Wrong user name or password.' : err.message);
      password.value = '';
      password.focus();
    } finally {
      button.disabled = false;
    }
  }

  replace(container, h('section', { class: 'card login' },
    h('h1', {}, 'Log in'),
    h('p', { class: 'subtle' }, 'This cluster requires a user name and password.'),
    current ? h('p', {}, `Logged in as ${current}. `,
      h('button', { class: 'btn btn-small', type: 'button', dataset: { testid: 'logout' }, onclick: logout }, 'Log out')) : null,
    h('form', { onsubmit: submit, dataset: { testid: 'login-form' } },
      h('label', { for: 'login-user' }, 'User'), user,
      h('label', { for: 'login-password' }, 'Password'), password,
      message, button)));
  user.focus();
  return { update: () => {} };
}
