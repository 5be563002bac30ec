// Campaigns: one round of the same assessment over many organisations. The
// list with each campaign's progress, the form that starts one (the filters
// of the portfolio, or organisations picked by hand), and one campaign's page:
// where each organisation stands, with its sheet one click away.
import { api, randomKey } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showFormErrors } from './errors.js';
import { formatDate, getLang, localized, t } from './i18n.js';
import { campaignHref, go, hashQuery, orgHref, resultsHref, sheetHref } from './nav.js';
import { statusBadge } from './badges.js';
import { learnNotAdmin } from './session.js';
import { sortableTable } from './tables.js';

const STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED'];

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function countsOf(c) {
  const counts = c.counts || {};
  const total = (c.assessments || []).length;
  return { total, ...Object.fromEntries(STATUSES.map((s) => [s, counts[s] || 0])) };
}

// Approved of all, as a bar split by status.
function progressBar(c) {
  const n = countsOf(c);
  const part = (status) => h('span', { class: `seg seg-${status.toLowerCase()}`, dataset: { n: String(n[status]) } });
  const bar = h('span', { class: 'status-bar', role: 'img',
    'aria-label': STATUSES.map((s) => `${t(`status.${s}`)} ${n[s]}`).join(', ') }, STATUSES.map(part));
  // Widths through CSSOM: the Content-Security-Policy allows no style attributes.
  for (const seg of bar.children) seg.style.flexGrow = seg.dataset.n;
  return h('span', { class: 'campaign-progress' }, bar,
    h('span', { class: 'progress-text' }, t('camp.approvedOf', { n: n.APPROVED, total: n.total })));
}

function overdue(c, n) {
  return c.dueOn && c.dueOn < today() && n.APPROVED < n.total;
}

function campaignTable(campaigns) {
  if (!campaigns.length) return h('p', { class: 'empty', id: 'camp-empty' }, t('camp.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'campaign-list' },
    h('caption', { class: 'visually-hidden' }, t('camp.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('as.title')),
      h('th', { scope: 'col' }, t('as.catalogue')),
      h('th', { scope: 'col' }, t('as.assessedOn')),
      h('th', { scope: 'col' }, t('camp.dueOn')),
      h('th', { scope: 'col', class: 'num' }, t('camp.organizations')),
      h('th', { scope: 'col' }, t('camp.progress')))),
    h('tbody', {}, campaigns.map((c) => {
      const n = countsOf(c);
      return h('tr', { dataset: { campaign: c.id } },
        h('th', { scope: 'row' }, h('a', { href: campaignHref(c.id) }, c.title || c.id)),
        h('td', {}, `${c.catalogueId} ${c.catalogueVersion || ''}`),
        h('td', {}, c.assessedOn || '—'),
        h('td', {}, c.dueOn || '—', overdue(c, n) ? h('span', { class: 'overdue-chip' }, t('camp.overdue')) : null),
        h('td', { class: 'num' }, String(n.total)),
        h('td', {}, progressBar(c)));
    }))));
}

// Organisations the filters pick, as the server picks them: every filter given
// must match (industry and label exactly; none: everyone the key may see).
function matching(orgs, { ids, industry, label }) {
  const [key, ...rest] = label.split('=');
  const value = rest.join('=');
  return orgs.filter((o) => (!ids.length || ids.includes(o.id))
    && (!industry || o.industry === industry)
    && (!label || (o.labels && o.labels[key] === value)));
}

function createForm(orgs, catalogues, lang, preset) {
  const slot = h('div', { class: 'form-alert' });
  const field = (id, label, input, required) => h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'req' }, ' *') : null), input);
  const title = h('input', { id: 'camp-title', type: 'text', required: true, maxlength: '200', 'data-field': 'title',
    value: t('camp.defaultTitle', { year: new Date().getFullYear() }) });
  const catalogue = h('select', { id: 'camp-catalogue', 'data-field': 'catalogueId' },
    catalogues.map((c) => h('option', { value: c.id }, localized(c.name, lang) || c.id)));
  catalogue.value = preset.catalogueId || catalogues[0]?.id || '';
  const assessedOn = h('input', { id: 'camp-assessed', type: 'date', required: true, 'data-field': 'assessedOn', value: today() });
  const dueOn = h('input', { id: 'camp-due', type: 'date', 'data-field': 'dueOn' });
  const industry = h('input', { id: 'camp-industry', type: 'text', maxlength: '100', 'data-field': 'industry',
    list: 'camp-industries', value: preset.industry || '' });
  const industries = [...new Set(orgs.map((o) => o.industry).filter(Boolean))].sort();
  const label = h('input', { id: 'camp-label', type: 'text', maxlength: '200', 'data-field': 'label', placeholder: 'tier=gold',
    value: preset.label || '' });
  const picks = orgs.map((o) => h('input', { type: 'checkbox', value: o.id, id: `camp-org-${o.id}` }));
  const pickList = h('fieldset', { class: 'org-picks', 'data-field': 'organizationIds' },
    h('legend', {}, t('camp.pick')),
    h('div', { class: 'org-pick-list' }, orgs.map((o, i) => h('label', { class: 'check', for: picks[i].id }, picks[i],
      ' ', o.displayName || o.id, o.industry ? h('span', { class: 'muted' }, ` · ${o.industry}`) : null))));
  const preview = h('p', { class: 'match-count', id: 'camp-match', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'camp-create' }, t('camp.create'));
  // One intent, one key: a double click or a retry after a lost answer creates one campaign.
  let intent = randomKey();
  const filters = () => ({
    ids: picks.filter((p) => p.checked).map((p) => p.value),
    industry: industry.value.trim(),
    label: label.value.trim(),
  });
  const update = () => {
    const n = matching(orgs, filters()).length;
    preview.textContent = t('camp.matches', { n });
    preview.classList.toggle('warn', n === 0);
  };
  for (const el of [industry, label, ...picks]) el.addEventListener('input', update);
  for (const el of [industry, label, catalogue, assessedOn, dueOn, title, ...picks]) {
    el.addEventListener('change', () => { intent = randomKey(); update(); });
  }
  update();

  const form = h('form', { class: 'form', novalidate: true, id: 'campaign-form' },
    h('div', { class: 'form-grid' },
      field('camp-title', t('as.title'), title, true),
      field('camp-catalogue', t('as.catalogue'), catalogue, true),
      field('camp-assessed', t('as.assessedOn'), assessedOn, true),
      field('camp-due', t('camp.dueOn'), dueOn)),
    h('p', { class: 'help' }, t('camp.filterHelp')),
    h('div', { class: 'form-grid' },
      field('camp-industry', t('orgs.industry'), industry),
      h('datalist', { id: 'camp-industries' }, industries.map((v) => h('option', { value: v }))),
      field('camp-label', t('pf.label'), label)),
    orgs.length ? h('details', { class: 'org-picker' }, h('summary', {}, t('camp.pickTitle')), pickList) : null,
    preview,
    h('div', { class: 'actions' }, button),
    slot);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const f = filters();
    const body = { title: title.value.trim(), catalogueId: catalogue.value, assessedOn: assessedOn.value };
    if (dueOn.value) body.dueOn = dueOn.value;
    if (f.ids.length) body.organizationIds = f.ids;
    if (f.industry) body.industry = f.industry;
    if (f.label) body.label = f.label;
    button.disabled = true;
    try {
      const created = await api.createCampaign(body, intent);
      go(campaignHref(created.id));
    } catch (err) {
      if (err.status === 403) learnNotAdmin();
      if (err.status === 403) err.apiMessage = `${t('camp.needAssessor')} ${err.apiMessage || ''}`.trim();
      showFormErrors(form, slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

async function allCampaigns() {
  const list = [];
  let token = '';
  for (let i = 0; i < 20; i += 1) {
    const page = await api.listCampaigns(token);
    list.push(...(page.campaigns || []));
    token = page.nextPageToken || '';
    if (!token) break;
  }
  return list;
}

export async function campaignsView(ctx) {
  const lang = getLang();
  const q = hashQuery();
  ctx.crumbs([{ label: t('nav.campaigns') }]);
  const [campaigns, orgs, catalogues] = await Promise.all([allCampaigns(), api.listOrganizations(),
    api.listCatalogues(lang)]);
  orgs.sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
  const preset = { catalogueId: q.get('catalogueId') || '', industry: q.get('industry') || '', label: q.get('label') || '' };
  const form = createForm(orgs, catalogues, lang, preset);
  const createCard = h('div', { class: 'card', id: 'campaign-create' }, h('h2', {}, t('camp.createTitle')),
    h('p', { class: 'help' }, t('camp.createHelp')), form);
  return h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('camp.title')), h('p', { class: 'lead' }, t('camp.lead'))),
    h('div', { class: 'card' }, h('h2', {}, t('camp.listTitle', { n: campaigns.length })), campaignTable(campaigns)),
    createCard);
}

export async function campaignView(ctx) {
  const [id] = ctx.params;
  const [campaign, orgs] = await Promise.all([api.getCampaign(id), api.listOrganizations()]);
  ctx.crumbs([{ label: t('nav.campaigns'), href: '#/campaigns' }, { label: campaign.title || campaign.id }]);
  const names = new Map(orgs.map((o) => [o.id, o]));
  const n = countsOf(campaign);
  const stat = (label, value, sid) => h('div', { class: 'card stat', id: sid },
    h('p', { class: 'stat-label' }, label), h('p', { class: 'stat-value' }, String(value)));
  const rows = (campaign.assessments || []).map((a) => ({ ...a, org: names.get(a.organizationId) }));
  const nameOf = (r) => (r.org && r.org.displayName) || r.organizationId;
  const columns = [
    { key: 'org', label: t('orgs.name'), header: true, value: nameOf,
      cell: (r) => h('a', { href: orgHref(r.organizationId) }, nameOf(r)) },
    { key: 'industry', label: t('orgs.industry'), value: (r) => (r.org && r.org.industry) || '' },
    { key: 'status', label: t('as.status'), value: (r) => STATUSES.indexOf(r.status || 'DRAFT'),
      cell: (r) => statusBadge(r.status || 'DRAFT') },
    { key: 'answered', label: t('as.progress'), numeric: true, value: (r) => (r.total ? (r.answered || 0) / r.total : 0),
      td: (r) => h('td', { class: 'num' },
        h('progress', { max: String(r.total || 1), value: String(r.answered || 0), 'aria-hidden': 'true' }), ' ',
        `${r.answered || 0} / ${r.total || 0}`) },
    { key: 'open', label: t('as.actions'), value: () => '', sortable: false,
      td: (r) => h('td', { class: 'row-actions' },
        h('a', { class: 'btn btn-small', href: sheetHref(r.organizationId, r.assessmentId) }, t('camp.openSheet')),
        h('a', { class: 'btn btn-small', href: resultsHref(r.organizationId, r.assessmentId) }, t('nav.results'))) },
  ];
  const filtersSaid = [
    campaign.industry ? `${t('orgs.industry')}: ${campaign.industry}` : '',
    campaign.label ? `${t('pf.label')}: ${campaign.label}` : '',
    (campaign.organizationIds || []).length ? t('camp.pickedN', { n: campaign.organizationIds.length }) : '',
  ].filter(Boolean).join(' · ') || t('camp.everyone');
  return h('section', { class: 'page campaign' },
    h('div', { class: 'page-head' },
      h('div', { class: 'title-row' }, h('h1', {}, campaign.title || campaign.id),
        overdue(campaign, n) ? h('span', { class: 'overdue-chip', id: 'camp-overdue' }, t('camp.overdue')) : null),
      h('p', { class: 'meta' }, [`${campaign.catalogueId} ${campaign.catalogueVersion || ''}`,
        `${t('as.assessedOn')} ${campaign.assessedOn || '—'}`,
        campaign.dueOn ? `${t('camp.dueOn')} ${campaign.dueOn}` : '',
        campaign.createTime ? `${t('camp.created')} ${formatDate(campaign.createTime)}` : ''].filter(Boolean).join(' · ')),
      h('p', { class: 'meta' }, t('camp.filters'), ' ', filtersSaid),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'btn', id: 'camp-refresh', onclick: () => ctx.reload() }, t('camp.refresh')))),
    h('div', { class: 'stats stats-4' },
      stat(t('camp.organizations'), n.total, 'camp-total'),
      ...STATUSES.map((s) => stat(t(`status.${s}`), n[s], `camp-${s.toLowerCase()}`))),
    h('div', { class: 'card' }, h('h2', {}, t('camp.progress')), progressBar(campaign),
      rows.length ? sortableTable({ id: 'campaign-table', caption: campaign.title || campaign.id, columns, rows,
        rowKey: (r) => r.organizationId, initial: { key: 'org', dir: 'asc' } })
        : h('p', { class: 'empty' }, t('camp.noAssessments'))));
}
