// The results page's share card: make a link that shows the radar and/or report without a
// key (the embed snippet holds its token, shown once), list the assessment's links and revoke
// them.
import { api } from './api.js';
import { h } from './dom.js';
import { showError } from './errors.js';
import { formatDateTime, getLang, t } from './i18n.js';
import { copyButton } from './copy.js';

const TTLS = [['share.day', 86400], ['share.week', 7 * 86400], ['share.month', 30 * 86400]];

// Absolute URLs: the server gives paths unless it knows its public address.
function absolute(url) {
  return new URL(url, location.origin).toString();
}

export function embedSnippet(link) {
  const lang = getLang();
  const lines = [];
  if (link.views.includes('radar')) {
    lines.push(`<img src="${absolute(link.radarUrl)}?lang=${lang}" alt="SOC maturity radar" width="480">`);
  }
  if (link.views.includes('report')) {
    lines.push(`<iframe src="${absolute(link.reportUrl)}?format=html&amp;lang=${lang}" title="SOC maturity report" `
      + 'width="100%" height="800" loading="lazy"></iframe>');
  }
  return lines.join('\n');
}

function linkTable(orgId, asId, links, reload) {
  if (!links.length) return h('p', { class: 'empty', id: 'share-empty' }, t('share.none'));
  const now = Date.now();
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'share-links' },
    h('caption', { class: 'visually-hidden' }, t('share.links')),
    h('thead', {}, h('tr', {}, [t('share.views'), t('share.expires'), t('share.by'), ''].map((l) => h('th', { scope: 'col' }, l)))),
    h('tbody', {}, links.map((link) => {
      const slot = h('div', { class: 'row-alert' });
      const expired = new Date(link.expireTime).getTime() <= now;
      const revoke = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, t('share.revoke'));
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t('share.confirmRevoke'))) return;
        try {
          await api.revokeShareLink(orgId, asId, link.id);
          reload();
        } catch (err) { showError(slot, err); }
      });
      return h('tr', { dataset: { shareLink: link.id } },
        h('td', {}, (link.views || []).map((v) => t(`share.${v}`)).join(', ')),
        h('td', {}, formatDateTime(link.expireTime), expired ? h('span', { class: 'overdue-chip' }, t('share.expired')) : null),
        h('td', {}, link.createdBy || ''),
        h('td', { class: 'actions' }, revoke, slot));
    }))));
}

export function shareCard(orgId, asId) {
  const slot = h('div', { class: 'form-alert' });
  const listSlot = h('div', { 'aria-busy': 'true' });
  const snippetSlot = h('div', {});
  const reload = async () => {
    try {
      const links = (await api.listShareLinks(orgId, asId)).shareLinks || [];
      listSlot.replaceChildren(linkTable(orgId, asId, links, reload));
    } catch (err) {
      showError(listSlot, err);
    } finally {
      listSlot.removeAttribute('aria-busy');
    }
  };
  const ttl = h('select', { id: 'share-ttl' }, TTLS.map(([label, seconds]) => h('option', { value: String(seconds) }, t(label))));
  ttl.value = String(7 * 86400);
  const radar = h('input', { type: 'checkbox', id: 'share-radar', checked: true });
  const report = h('input', { type: 'checkbox', id: 'share-report', checked: true });
  const create = h('button', { type: 'submit', class: 'btn btn-primary', id: 'share-create' }, t('share.create'));
  const form = h('form', { class: 'form form-inline', id: 'share-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'share-ttl' }, t('share.ttl')), ttl),
    h('fieldset', { class: 'inline-checks' }, h('legend', {}, t('share.views')),
      h('label', { class: 'check', for: 'share-radar' }, radar, ' ', t('share.radar')),
      h('label', { class: 'check', for: 'share-report' }, report, ' ', t('share.report'))),
    h('div', { class: 'button-row' }, create), slot);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    slot.replaceChildren();
    create.disabled = true;
    try {
      const views = [radar.checked && 'radar', report.checked && 'report'].filter(Boolean);
      const link = await api.createShareLink(orgId, asId, { ttlSeconds: Number(ttl.value), views });
      const snippet = embedSnippet(link);
      snippetSlot.replaceChildren(h('div', { class: 'snippet', id: 'share-snippet', role: 'status' },
        h('h3', {}, t('share.embed')), h('p', { class: 'help' }, t('share.embedHelp')),
        h('pre', {}, h('code', {}, snippet)), copyButton(snippet, 'copy-snippet')));
      reload();
    } catch (err) {
      showError(slot, err);
    } finally {
      create.disabled = false;
    }
  });
  reload();
  return h('div', { class: 'card no-print', id: 'share' }, h('h2', {}, t('share.title')),
    h('p', { class: 'help' }, t('share.lead')), form, snippetSlot,
    h('h3', {}, t('share.links')), listSlot);
}
