// Webhooks (a tenant-wide admin's): the list with a form that registers one and shows its
// secret once, and one webhook's delivery log with its test event.
import { api } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showError, showFormErrors } from './errors.js';
import { formatDateTime, t } from './i18n.js';
import { go } from './nav.js';
import { copyButton } from './copy.js';
import { refusedPage } from './refused.js';

const EVENTS = ['assessment.created', 'assessment.submitted', 'assessment.approved', 'assessment.reopened',
  'campaign.created'];

export const webhooksHref = () => '#/webhooks';
export const webhookHref = (id) => `#/webhooks/${encodeURIComponent(id)}`;

function deliveryBadge(status) {
  return h('span', { class: `badge badge-wh-${String(status || '').toLowerCase()}` }, t(`whs.${status}`));
}

function secretCard(hook) {
  return h('div', { class: 'card secret-card', id: 'webhook-secret', role: 'status' },
    h('h2', {}, t('wh.secretTitle')),
    h('p', {}, t('wh.secretOnce')),
    h('div', { class: 'copy-row' }, h('code', { class: 'secret' }, hook.secret), copyButton(hook.secret, 'copy-secret')));
}

function registerForm(ctx, onCreated) {
  const slot = h('div', { class: 'form-alert' });
  const url = h('input', { id: 'wh-url', type: 'url', required: true, maxlength: '2048', 'data-field': 'url',
    placeholder: 'https://portal.example.com/hooks/soc-maturity' });
  const boxes = EVENTS.map((e) => h('input', { type: 'checkbox', value: e, id: `wh-ev-${e.replace('.', '-')}`,
    checked: e !== 'assessment.created' }));
  const events = h('fieldset', { class: 'org-picks', 'data-field': 'events' }, h('legend', {}, t('wh.events')),
    h('div', { class: 'org-pick-list' }, EVENTS.map((e, i) => h('label', { class: 'check', for: boxes[i].id },
      boxes[i], ' ', h('code', {}, e)))));
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wh-register' }, t('wh.register'));
  const form = h('form', { class: 'form', novalidate: true, id: 'webhook-form' },
    h('div', { class: 'field' }, h('label', { for: 'wh-url' }, t('wh.url'), h('span', { class: 'req' }, ' *')), url,
      h('p', { class: 'help' }, t('wh.urlHelp'))),
    events, slot, h('div', { class: 'button-row' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    button.disabled = true;
    try {
      const hook = await api.createWebhook({ url: url.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value) });
      if (!ctx.current()) return;
      url.value = '';
      onCreated(hook);
    } catch (err) {
      showFormErrors(form, slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', {}, t('wh.newTitle')), form);
}

function hookTable(hooks, ctx) {
  if (!hooks.length) return h('p', { class: 'empty', id: 'wh-empty' }, t('wh.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'webhook-list' },
    h('caption', { class: 'visually-hidden' }, t('wh.title')),
    h('thead', {}, h('tr', {}, [t('wh.url'), t('wh.events'), t('wh.created'), ''].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, hooks.map((hook) => {
      const slot = h('div', { class: 'row-alert' });
      const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, t('wh.delete'));
      remove.addEventListener('click', async () => {
        if (!window.confirm(t('wh.confirmDelete', { url: hook.url }))) return;
        try {
          await api.deleteWebhook(hook.id);
          ctx.reload();
        } catch (err) { showError(slot, err); }
      });
      return h('tr', { dataset: { webhook: hook.id } },
        h('th', { scope: 'row' }, h('a', { href: webhookHref(hook.id), class: 'url-cell' }, hook.url)),
        h('td', {}, (hook.events || []).map((e) => h('code', { class: 'event-chip' }, e))),
        h('td', {}, formatDateTime(hook.createTime)),
        h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: webhookHref(hook.id) }, t('wh.deliveries')),
          ' ', remove, slot));
    }))));
}

export async function webhooksView(ctx) {
  ctx.crumbs([{ label: t('wh.title') }]);
  let hooks;
  try {
    hooks = (await api.listWebhooks()).webhooks || [];
  } catch (err) {
    return refusedPage(err, 'wh.title', 'wh.needAdmin');
  }
  const secretSlot = h('div', {});
  const list = h('div', { class: 'card' }, h('h2', {}, t('wh.listTitle', { n: hooks.length })), hookTable(hooks, ctx));
  const page = h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('wh.title')), h('p', { class: 'lead' }, t('wh.lead'))),
    secretSlot, list,
    registerForm(ctx, async (hook) => {
      // The secret is in this answer only: keep it on screen above the refreshed list.
      const fresh = (await api.listWebhooks()).webhooks || [];
      list.replaceChildren(h('h2', {}, t('wh.listTitle', { n: fresh.length })), hookTable(fresh, ctx));
      secretSlot.replaceChildren(secretCard(hook));
      secretSlot.scrollIntoView({ block: 'start' });
    }));
  return page;
}

function deliveryTable(deliveries) {
  if (!deliveries.length) return h('p', { class: 'empty', id: 'wh-log-empty' }, t('wh.logEmpty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'delivery-log' },
    h('caption', { class: 'visually-hidden' }, t('wh.deliveries')),
    h('thead', {}, h('tr', {}, [t('wh.event'), t('wh.status'), t('wh.attempts'), t('wh.code'), t('wh.error'),
      t('wh.when'), t('wh.next')].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, deliveries.map((d) => h('tr', { dataset: { delivery: d.id, status: d.status } },
      h('th', { scope: 'row' }, h('code', {}, d.type), h('div', { class: 'muted small' }, d.eventId)),
      h('td', {}, deliveryBadge(d.status)),
      h('td', { class: 'num' }, String(d.attempts || 0)),
      h('td', { class: 'num' }, d.lastResponseCode ? String(d.lastResponseCode) : '—'),
      h('td', { class: 'error-cell' }, d.lastError || ''),
      h('td', {}, formatDateTime(d.createTime)),
      h('td', {}, d.status === 'PENDING' ? formatDateTime(d.nextAttemptTime) : '—'))))));
}

export async function webhookView(ctx) {
  const [id] = ctx.params;
  let hooks;
  let log;
  try {
    [hooks, log] = await Promise.all([api.listWebhooks(), api.webhookDeliveries(id)]);
  } catch (err) {
    return refusedPage(err, 'wh.title', 'wh.needAdmin');
  }
  const hook = (hooks.webhooks || []).find((x) => x.id === id) || { id, url: id };
  ctx.crumbs([{ label: t('wh.title'), href: webhooksHref() }, { label: hook.url }]);
  const body = h('div', {}, deliveryTable(log.deliveries || []));
  const slot = h('div', { class: 'form-alert', role: 'status' });
  const refresh = async () => {
    try {
      const fresh = await api.webhookDeliveries(id);
      if (ctx.current()) body.replaceChildren(deliveryTable(fresh.deliveries || []));
    } catch (err) { showError(slot, err); }
  };
  const test = h('button', { type: 'button', class: 'btn btn-primary', id: 'wh-send-test' }, t('wh.test'));
  test.addEventListener('click', async () => {
    test.disabled = true;
    try {
      await api.testWebhook(id);
      slot.replaceChildren(h('p', { class: 'notice' }, t('wh.testSent')));
      await refresh();
      // The first attempt follows within a moment; show its outcome.
      setTimeout(() => { if (ctx.current()) refresh(); }, 1500);
    } catch (err) {
      showError(slot, err);
    } finally {
      test.disabled = false;
    }
  });
  const again = h('button', { type: 'button', class: 'btn', id: 'wh-refresh' }, t('wh.refresh'));
  again.addEventListener('click', refresh);
  return h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('wh.logTitle', { url: hook.url })),
      h('p', { class: 'meta' }, (hook.events || []).join(' · ')),
      h('div', { class: 'button-row' }, test, again, h('a', { class: 'btn', href: webhooksHref(),
        onclick: (e) => { e.preventDefault(); go(webhooksHref()); } }, t('wh.back')))),
    slot, h('div', { class: 'card' }, h('h2', {}, t('wh.deliveries')), body));
}
