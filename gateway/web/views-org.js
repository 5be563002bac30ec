// One organisation: its assessments (status, progress, overall level) and the
// form that starts a new assessment.
import { api } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, errorBox, showFormErrors } from './errors.js';
import { formatDate, formatScore, getLang, localized, t } from './i18n.js';
import { go, resultsHref, sheetHref } from './nav.js';
import { statusBadge } from './badges.js';
import { hasOwnLabels, scaleOf } from './shape.js';

// Runs fn over items with at most `limit` calls at a time.
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      try { out[i] = { value: await fn(items[i]) }; } catch (error) { out[i] = { error }; }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function assessmentTable(orgId, list, scores) {
  if (!list.length) return h('p', { class: 'empty' }, t('org.noAssessments'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden' }, t('org.assessments')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('as.title')),
      h('th', { scope: 'col' }, t('as.assessedOn')),
      h('th', { scope: 'col' }, t('as.catalogue')),
      h('th', { scope: 'col' }, t('as.status')),
      h('th', { scope: 'col', class: 'num' }, t('as.progress')),
      h('th', { scope: 'col', class: 'num' }, t('as.overall')),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('as.actions'))))),
    h('tbody', {}, list.map((a, i) => {
      const s = scores[i];
      const score = s && s.value;
      return h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: sheetHref(orgId, a.id) }, a.title || a.id)),
        h('td', {}, a.assessedOn || '—'),
        h('td', {}, `${a.catalogueId} ${a.catalogueVersion || ''}`),
        h('td', {}, statusBadge(a.status)),
        h('td', { class: 'num' }, score ? `${score.completeness?.answered ?? 0} / ${score.completeness?.total ?? 0}` : '—'),
        h('td', { class: 'num' }, score && score.overall && score.overall.score !== undefined
          ? h('span', {}, formatScore(score.overall.score), ' ', h('span', { class: 'level-chip' }, `${t('level.short')} ${score.overall.level ?? 0}`))
          : (s && s.error ? h('span', { class: 'muted', title: s.error.apiMessage || '' }, t('err.short')) : '—')),
        h('td', { class: 'row-actions' },
          h('a', { class: 'btn btn-small', href: sheetHref(orgId, a.id) }, t('nav.sheet')),
          h('a', { class: 'btn btn-small', href: resultsHref(orgId, a.id) }, t('nav.results'))));
    }))));
}

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function createForm(orgId, catalogues) {
  const lang = getLang();
  const slot = h('div', { class: 'form-alert' });
  const catalogue = h('select', { id: 'as-catalogue', 'data-field': 'catalogueId' },
    catalogues.map((c) => h('option', { value: c.id }, `${localized(c.name, lang) || c.id} (${c.id})`)));
  const version = h('select', { id: 'as-version', 'data-field': 'catalogueVersion' });
  const title = h('input', { id: 'as-title', type: 'text', required: true, maxlength: '200', 'data-field': 'title' });
  const date = h('input', { id: 'as-date', type: 'date', required: true, value: today(), 'data-field': 'assessedOn' });
  const policy = h('select', { id: 'as-policy', 'data-field': 'scoringPolicy', 'aria-describedby': 'as-policy-help' },
    h('option', { value: 'COUNT_DECIDED_NOT_TO_AS_ZERO' }, t('policy.COUNT_DECIDED_NOT_TO_AS_ZERO')),
    h('option', { value: 'EXCLUDE_DECIDED_NOT_TO' }, t('policy.EXCLUDE_DECIDED_NOT_TO')));
  const targets = h('div', { class: 'targets-grid' });
  const targetsSlot = h('div', {});
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('org.create'));

  const fillVersions = () => {
    const c = catalogues.find((x) => x.id === catalogue.value);
    const versions = c ? (c.versions && c.versions.length ? c.versions : [c.latestVersion]) : [];
    version.replaceChildren(...versions.slice().reverse().map((v) => h('option', { value: v },
      v === c.latestVersion ? `${v} (${t('org.latest')})` : v)));
    if (c) version.value = c.latestVersion;
  };
  // Only the answer for the catalogue chosen last fills the targets.
  let fillCount = 0;
  const fillTargets = async () => {
    const mine = ++fillCount;
    targetsSlot.replaceChildren();
    if (!catalogue.value) return;
    try {
      const cat = await api.getCatalogue(catalogue.value, version.value, lang);
      if (mine !== fillCount) return;
      // Targets lie on the catalogue's scale.
      const scale = scaleOf(cat, lang);
      const labelled = hasOwnLabels(scale);
      const optionText = (n) => (labelled && scale.labels.get(n) ? `${n} — ${scale.labels.get(n)}` : String(n));
      targets.dataset.catalogue = `${catalogue.value}@${version.value}`;
      targets.replaceChildren(...(cat.functions || []).map((f) => {
        const id = `as-target-${f.code}`;
        return h('div', { class: 'field field-compact' },
          h('label', { for: id }, `${f.code}. ${localized(f.name, lang)}`),
          h('select', { id, 'data-code': f.code, 'data-field': `functionTargets.${f.code}` },
            h('option', { value: '' }, t('org.noTarget')),
            scale.levels.map((n) => h('option', { value: String(n) }, optionText(n)))));
      }));
    } catch (err) {
      if (mine !== fillCount) return;
      targets.replaceChildren();
      targetsSlot.replaceChildren(errorBox(err));
    }
  };
  catalogue.addEventListener('change', () => { fillVersions(); fillTargets(); });
  version.addEventListener('change', fillTargets);
  fillVersions();
  fillTargets();

  const form = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'as-catalogue' }, t('as.catalogue')), catalogue),
      h('div', { class: 'field' }, h('label', { for: 'as-version' }, t('as.version')), version),
      h('div', { class: 'field' }, h('label', { for: 'as-title' }, t('as.title'), h('span', { class: 'req' }, ' *')), title),
      h('div', { class: 'field' }, h('label', { for: 'as-date' }, t('as.assessedOn'), h('span', { class: 'req' }, ' *')), date),
      h('div', { class: 'field field-wide' }, h('label', { for: 'as-policy' }, t('as.policy')), policy,
        h('p', { class: 'help', id: 'as-policy-help' }, t('policy.help')))),
    h('fieldset', { class: 'fieldset' },
      h('legend', {}, t('org.targets')),
      h('p', { class: 'help' }, t('org.targetsHelp')),
      targets, targetsSlot),
    slot,
    h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {
      catalogueId: catalogue.value,
      catalogueVersion: version.value,
      title: title.value.trim(),
      assessedOn: date.value,
      scoringPolicy: policy.value,
    };
    const functionTargets = {};
    for (const select of targets.querySelectorAll('select')) {
      if (select.value !== '') functionTargets[select.dataset.code] = Number(select.value);
    }
    if (Object.keys(functionTargets).length) body.functionTargets = functionTargets;
    button.disabled = true;
    try {
      const created = await api.createAssessment(orgId, body);
      go(sheetHref(orgId, created.id));
    } catch (err) {
      if (err.status === 403) err.apiMessage = `${t('org.needAssessor')} ${err.apiMessage || ''}`.trim();
      showFormErrors(form, slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function orgView(ctx) {
  const [orgId] = ctx.params;
  const lang = getLang();
  const [org, list, catalogues] = await Promise.all([
    api.getOrganization(orgId), api.listAssessments(orgId), api.listCatalogues(lang)]);
  ctx.crumbs([{ label: t('nav.orgs'), href: '#/orgs' }, { label: org.displayName || org.id }]);
  const scores = await mapLimit(list, 4, (a) => api.score(orgId, a.id, lang));
  const facts = [
    org.industry ? [t('orgs.industry'), org.industry] : null,
    org.employeeCount ? [t('orgs.employees'), String(org.employeeCount)] : null,
    [t('orgs.created'), formatDate(org.createTime)],
  ].filter(Boolean);
  return h('section', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, org.displayName || org.id),
      h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))))),
    h('div', { class: 'card' }, h('h2', {}, t('org.assessments')), assessmentTable(orgId, list, scores)),
    h('div', { class: 'card' }, h('h2', {}, t('org.createTitle')),
      catalogues.length ? createForm(orgId, catalogues) : h('p', { class: 'empty' }, t('org.noCatalogues'))));
}
