// The portfolio: every organisation the key may see with the latest assessment
// on one catalogue, as a heat map (one column per function, shaded by level),
// sortable by any column, filtered by industry and label, and downloadable as
// CSV or XLSX. The filters live in the hash, so a filtered view can be shared.
import { api } from './api.js';
import { h } from './dom.js';
import { errorBox, showError } from './errors.js';
import { formatScore, getLang, localized, t } from './i18n.js';
import { campaignsHref, go, hashQuery, orgHref, portfolioHref, resultsHref, sheetHref } from './nav.js';
import { statusBadge } from './badges.js';
import { saveResponse } from './files.js';
import { scaleOf } from './shape.js';
import { heatClass, sortableTable } from './tables.js';

const DEFAULT_CATALOGUE = 'isogj-soc-csirt';
const has = (x) => typeof x === 'number' && !Number.isNaN(x);

// Every page of the portfolio (1,000 organisations are two pages of 500).
async function loadAll(filters) {
  const organizations = [];
  let pageToken = '';
  for (let i = 0; i < 40; i += 1) {
    const page = await api.portfolio(filters, { pageSize: 500, pageToken });
    organizations.push(...(page.organizations || []));
    pageToken = page.nextPageToken || '';
    if (!pageToken) break;
  }
  return organizations;
}

function filterForm(filters, catalogues, lang) {
  const catalogue = h('select', { id: 'pf-catalogue', 'data-field': 'catalogueId' },
    catalogues.map((c) => h('option', { value: c.id }, `${localized(c.name, lang) || c.id}`)));
  catalogue.value = filters.catalogueId;
  const industry = h('input', { id: 'pf-industry', type: 'text', maxlength: '100', value: filters.industry || '' });
  const label = h('input', { id: 'pf-label', type: 'text', maxlength: '200', placeholder: 'tier=gold',
    value: filters.label || '' });
  const form = h('form', { class: 'form filter-row', role: 'search', 'aria-label': t('pf.filters') },
    h('div', { class: 'field' }, h('label', { for: 'pf-catalogue' }, t('as.catalogue')), catalogue),
    h('div', { class: 'field' }, h('label', { for: 'pf-industry' }, t('orgs.industry')), industry),
    h('div', { class: 'field' }, h('label', { for: 'pf-label' }, t('pf.label')), label),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'pf-apply' }, t('pf.apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(portfolioHref({ catalogueId: catalogue.value, industry: industry.value.trim(), label: label.value.trim() }));
  });
  return form;
}

function downloads(filters, lang) {
  const slot = h('div', {});
  const button = (format) => h('button', {
    type: 'button', class: 'btn', id: `pf-download-${format}`,
    onclick: async (event) => {
      const b = event.currentTarget;
      b.disabled = true;
      showError(slot, null);
      try {
        const res = await api.portfolioFile(filters, format, lang);
        await saveResponse(res, `portfolio.${format}`);
      } catch (err) {
        showError(slot, err);
      } finally {
        b.disabled = false;
      }
    },
  }, t(`pf.download.${format}`));
  return h('div', { class: 'button-row' }, button('csv'), button('xlsx'),
    h('a', { class: 'btn', id: 'pf-campaign', href: campaignsHref(filters) }, t('pf.startCampaign')), slot);
}

function summary(rows) {
  const assessed = rows.filter((r) => r.latestAssessment);
  const count = (status) => assessed.filter((r) => r.latestAssessment.status === status).length;
  const stat = (label, value, id) => h('div', { class: 'card stat', id },
    h('p', { class: 'stat-label' }, label), h('p', { class: 'stat-value' }, String(value)));
  return h('div', { class: 'stats stats-4' },
    stat(t('pf.organizations'), rows.length, 'pf-count'),
    stat(t('pf.notAssessed'), rows.length - assessed.length, 'pf-unassessed'),
    stat(t('status.SUBMITTED'), count('SUBMITTED'), 'pf-submitted'),
    stat(t('status.APPROVED'), count('APPROVED'), 'pf-approved'));
}

function heatTable(rows, functions, scale, lang) {
  const fnName = new Map(functions.map((f) => [f.code, localized(f.name, lang)]));
  const codes = functions.map((f) => f.code);
  const scoreOf = (row, code) => {
    const fns = (row.latestAssessment && row.latestAssessment.functions) || [];
    const f = fns.find((x) => x.code === code);
    return f && has(f.score) ? f.score : undefined;
  };
  const overallOf = (row) => {
    const o = row.latestAssessment && row.latestAssessment.overall;
    return o && has(o.score) ? o.score : undefined;
  };
  const heatCell = (score, title) => h('td', { class: ['num', 'heat', heatClass(score, scale)], title },
    has(score) ? formatScore(score) : '—');
  const columns = [
    { key: 'name', label: t('orgs.name'), value: (r) => r.displayName || r.organizationId, header: true,
      cell: (r) => h('a', { href: orgHref(r.organizationId) }, r.displayName || r.organizationId) },
    { key: 'industry', label: t('orgs.industry'), value: (r) => r.industry || '', cell: (r) => r.industry || '—' },
    { key: 'assessment', label: t('pf.latest'), value: (r) => (r.latestAssessment ? r.latestAssessment.title || '' : ''),
      cell: (r) => (r.latestAssessment
        ? h('a', { href: sheetHref(r.organizationId, r.latestAssessment.id) }, r.latestAssessment.title || r.latestAssessment.id)
        : h('span', { class: 'muted' }, t('pf.none'))) },
    { key: 'assessedOn', label: t('as.assessedOn'), value: (r) => (r.latestAssessment ? r.latestAssessment.assessedOn || '' : ''),
      cell: (r) => (r.latestAssessment ? r.latestAssessment.assessedOn || '—' : '—') },
    { key: 'status', label: t('as.status'), value: (r) => (r.latestAssessment ? r.latestAssessment.status : ''),
      cell: (r) => (r.latestAssessment ? statusBadge(r.latestAssessment.status) : '—') },
    { key: 'overall', label: t('as.overall'), value: overallOf, numeric: true,
      td: (r) => {
        const score = overallOf(r);
        const cell = heatCell(score, t('as.overall'));
        if (r.latestAssessment && has(score)) {
          cell.replaceChildren(h('a', { href: resultsHref(r.organizationId, r.latestAssessment.id) }, formatScore(score)));
        }
        return cell;
      } },
    ...codes.map((code) => ({
      key: `fn-${code}`, label: code, title: fnName.get(code) || code, value: (r) => scoreOf(r, code), numeric: true,
      td: (r) => heatCell(scoreOf(r, code), `${code} ${fnName.get(code) || ''}`),
    })),
  ];
  return sortableTable({ id: 'portfolio-table', caption: t('pf.title'), columns, rows,
    rowKey: (r) => r.organizationId, initial: { key: 'name', dir: 'asc' } });
}

function legend(scale) {
  return h('p', { class: 'legend heat-legend', 'aria-hidden': 'true' }, t('pf.legend'), ' ',
    scale.levels.map((n) => h('span', { class: ['heat-key', heatClass(n, scale)] }, String(n))),
    ' ', h('span', { class: 'heat-key heat-none' }, '—'), ' ', t('pf.legendNone'));
}

export async function portfolioView(ctx) {
  const lang = getLang();
  const q = hashQuery();
  const filters = { catalogueId: q.get('catalogueId') || DEFAULT_CATALOGUE, industry: q.get('industry') || '',
    label: q.get('label') || '' };
  ctx.crumbs([{ label: t('nav.portfolio') }]);
  const catalogues = await api.listCatalogues(lang);
  if (!catalogues.some((c) => c.id === filters.catalogueId)) {
    catalogues.push({ id: filters.catalogueId, name: filters.catalogueId });
  }
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('pf.title')), h('p', { class: 'lead' }, t('pf.lead')));
  const controls = h('div', { class: 'card no-print' }, filterForm(filters, catalogues, lang), downloads(filters, lang));
  let rows;
  let cat;
  try {
    [rows, cat] = await Promise.all([loadAll(filters), api.getCatalogue(filters.catalogueId, '', lang)]);
  } catch (err) {
    return h('section', { class: 'page' }, head, controls, errorBox(err));
  }
  const scale = scaleOf(cat, lang);
  const body = rows.length
    ? [summary(rows), h('div', { class: 'card' }, h('h2', {}, t('pf.heatTitle', { name: localized(cat.name, lang) })),
      legend(scale), heatTable(rows, cat.functions || [], scale, lang))]
    : [h('div', { class: 'card' }, h('p', { class: 'empty', id: 'pf-empty' }, t('pf.empty')))];
  return h('section', { class: 'page portfolio' }, head, controls, ...body);
}
