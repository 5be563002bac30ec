// An assessment's status as a badge, styled by status, the same on every page
// that shows it.
import { h } from './dom.js';
import { statusLabel } from './i18n.js';

export function statusBadge(status) {
  return h('span', { class: `badge badge-${String(status || '').toLowerCase()}` }, statusLabel(status));
}
