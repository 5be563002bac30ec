// A button that copies a secret shown once (a key, a webhook's secret, a share link).
import { h } from './dom.js';
import { t } from './i18n.js';

// Copies `text` and says so.
export function copyButton(text, id) {
  const button = h('button', { type: 'button', class: 'btn btn-small', id }, t('wh.copy'));
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = t('wh.copied');
    } catch { /* no clipboard here: the text is selectable */ }
  });
  return button;
}
