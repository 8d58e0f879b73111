// The right-hand panel of the Keys page: view one key, edit or create it, delete it.

import { api, revisionOf } from '../api.js';
import { confirmDialog, copyText, h, replace, toast } from '../dom.js';
import { byteLength, humanBytes, scanValue } from '../format.js';
import { valueView } from './value-view.js';

function errorBox(e, extra) {
  return h('div', { class: 'inline-error', dataset: { testid: 'detail-error' } }, e.message ?? String(e), extra);
}

function metaChip(label, value, testid) {
  return value == null ? null
    : h('span', { class: 'meta-chip', dataset: { testid } }, h('span', { class: 'muted' }, label), ` ${value}`);
}

/**
 * onChanged(key, deleted) is called after a successful write or delete, so the list can refresh.
 * Returns { el, show(key), edit(entry|null, key?), clear() }.
 */
export function keyDetail({ onChanged }) {
  const el = h('section', { class: 'card detail', dataset: { testid: 'key-detail' } });
  let controller = null;

  function fresh() {
    controller?.abort();
    controller = new AbortController();
    return controller.signal;
  }

  function empty() {
    replace(el, h('div', { class: 'empty' },
      h('div', { class: 'empty-title' }, 'No key selected'),
      h('p', { class: 'subtle' }, 'Pick a key from the list, find one by name, or create a new one.'),
      h('button', { class: 'btn btn-primary', type: 'button', onclick: () => edit(null) }, 'New key')));
  }

  async function show(key) {
    const signal = fresh();
    replace(el, h('div', { class: 'subtle' }, h('span', { class: 'spinner' }), ` Reading ${key} …`));
    try {
      const { body, headers } = await api.get(key, { signal });
      const entry = {
        key,
        value: typeof body.value === 'string' ? body.value : JSON.stringify(body.value ?? ''),
        revision: revisionOf(body, headers),
        createRevision: body.createRevision ?? body.create_revision ?? null,
        version: body.version ?? null,
      };
      renderEntry(entry);
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e.isNotFound) {
        replace(el, h('div', { class: 'empty', dataset: { testid: 'key-missing' } },
          h('div', { class: 'empty-title' }, 'Not found'),
          h('p', { class: 'subtle' }, 'There is no key named ', h('code', { class: 'key-code' }, key), '.'),
          h('button', { class: 'btn btn-primary', type: 'button', onclick: () => edit(null, key) }, 'Create it')));
      } else {
        replace(el, h('h2', {}, 'Could not read the key'), errorBox(e,
          h('div', {}, h('button', { class: 'btn btn-small', type: 'button', onclick: () => show(key) }, 'Try again'))));
      }
    }
  }

  function renderEntry(entry) {
    el.dataset.key = entry.key;
    el.dataset.revision = entry.revision ?? '';
    replace(el,
      h('div', { class: 'detail-head' },
        h('div', { class: 'detail-title' },
          h('div', { class: 'eyebrow' }, 'Key'),
          h('h2', { class: 'key-code', dataset: { testid: 'detail-key' } }, entry.key)),
        h('div', { class: 'detail-actions' },
          h('button', { class: 'btn', type: 'button', dataset: { testid: 'copy-value' }, onclick: async () => {
            toast((await copyText(entry.value)) ? 'Value copied to the clipboard' : 'Copy failed', 'ok');
          } }, 'Copy value'),
          h('button', { class: 'btn', type: 'button', dataset: { testid: 'edit-key' }, onclick: () => edit(entry) }, 'Edit'),
          h('button', { class: 'btn btn-danger-ghost', type: 'button', dataset: { testid: 'delete-key' }, onclick: () => remove(entry.key) }, 'Delete'))),
      h('div', { class: 'meta-row' },
        metaChip('revision', entry.revision, 'detail-revision'),
        metaChip('created at', entry.createRevision, 'detail-create-revision'),
        metaChip('version', entry.version, 'detail-version'),
        h('button', { class: 'link', type: 'button', onclick: () => show(entry.key) }, 'Reload')),
      valueView(entry.value));
  }

  async function remove(key) {
    const ok = await confirmDialog({
      title: 'Delete this key?',
      message: h('span', {}, 'The key ', h('code', { class: 'key-code' }, key), ' and its value will be removed from the cluster.'),
      confirmLabel: 'Delete', danger: true,
    });
    if (!ok) return;
    try {
      await api.delete(key, { signal: fresh() });
      toast(`Deleted ${key}`, 'ok');
      empty();
      onChanged?.(key, true);
    } catch (e) {
      if (e.name !== 'AbortError') el.append(errorBox(e));
    }
  }

  /** entry null means a new key (optionally with `key` filled in); otherwise update with If-Match. */
  function edit(entry, key = '') {
    fresh();
    delete el.dataset.key;
    const updating = entry != null;
    const keyInput = h('input', { class: 'input mono', id: 'edit-key', value: updating ? entry.key : key,
      readOnly: updating, required: true, placeholder: 'e.g. users/42/name', autocomplete: 'off', spellcheck: false,
      dataset: { testid: 'edit-key-input' } });
    const valueInput = h('textarea', { class: 'input mono value-input', id: 'edit-value', rows: 8, spellcheck: false,
      placeholder: 'Value (any text)', dataset: { testid: 'edit-value-input' } });
    valueInput.value = updating ? entry.value : '';
    const counter = h('span', { class: 'subtle' });
    const countNow = () => {
      const { escapes } = scanValue(valueInput.value);
      counter.textContent = `${[...valueInput.value].length} chars · ${humanBytes(byteLength(valueInput.value))}`
        + (escapes ? ` · ${escapes} non-printable (kept as they are unless you delete them)` : '');
    };
    valueInput.addEventListener('input', countNow);
    countNow();
    const createOnly = h('input', { type: 'checkbox', id: 'create-only', checked: !updating, disabled: updating,
      dataset: { testid: 'create-only' } });
    const status = h('div', { 'aria-live': 'polite' });
    const save = h('button', { class: 'btn btn-primary', type: 'submit', dataset: { testid: 'save-key' } }, updating ? 'Save changes' : 'Create');

    async function submit(ev) {
      ev.preventDefault();
      const k = keyInput.value;
      if (!k) { replace(status, errorBox(new Error('A key cannot be empty.'))); return; }
      save.disabled = true;
      replace(status, h('div', { class: 'subtle' }, h('span', { class: 'spinner' }), ' Saving …'));
      try {
        const { body } = await api.put(k, valueInput.value, {
          createOnly: !updating && createOnly.checked,
          ifRevision: updating ? entry.revision : null,
          signal: fresh(),
        });
        toast(`Saved ${k}${body.revision != null ? ` at revision ${body.revision}` : ''}`, 'ok');
        onChanged?.(k, false);
        show(k);
      } catch (e) {
        if (e.name === 'AbortError') return;
        save.disabled = false;
        if (e.isPreconditionFailed && updating) {
          replace(status, h('div', { class: 'inline-error', dataset: { testid: 'conflict' } },
            h('strong', {}, 'Changed since you read it. '),
            `Someone wrote ${entry.key} after revision ${entry.revision}; your edit was not saved.`,
            h('div', { class: 'inline-actions' },
              h('button', { class: 'btn btn-small', type: 'button', onclick: () => show(entry.key) }, 'Load the latest value'))));
        } else if (e.isPreconditionFailed) {
          replace(status, h('div', { class: 'inline-error', dataset: { testid: 'conflict' } },
            h('strong', {}, 'That key already exists. '), 'Untick "Create only" to overwrite it, or open it to edit.',
            h('div', { class: 'inline-actions' },
              h('button', { class: 'btn btn-small', type: 'button', onclick: () => show(k) }, 'Open it'))));
        } else {
          replace(status, errorBox(e));
        }
      }
    }

    replace(el,
      h('form', { class: 'editor', onsubmit: submit, dataset: { testid: 'key-editor' } },
        h('div', { class: 'eyebrow' }, updating ? 'Edit key' : 'New key'),
        h('label', { class: 'label', for: 'edit-key' }, 'Key'),
        keyInput,
        h('label', { class: 'label', for: 'edit-value' }, 'Value'),
        valueInput,
        h('div', { class: 'editor-meta' }, counter),
        updating
          ? h('p', { class: 'hint' }, `Saves only if the key is still at revision ${entry.revision ?? '?'} (If-Match), so you never overwrite a change you did not see.`)
          : h('label', { class: 'check' }, createOnly, ' Create only — fail if the key already exists'),
        status,
        h('div', { class: 'form-actions' },
          save,
          h('button', { class: 'btn', type: 'button', onclick: () => (updating ? renderEntry(entry) : empty()) }, 'Cancel'))));
    (updating ? valueInput : keyInput.value ? valueInput : keyInput).focus();
  }

  empty();
  return { el, show, edit, clear: empty, dispose: () => controller?.abort() };
}
