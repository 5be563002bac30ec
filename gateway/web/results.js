// Results of one assessment: radar, function table, strengths and weaknesses,
// report downloads, the organisation's trend and the tenant's peer benchmark.
import { api } from './api.js';
import { h } from './dom.js';
import { errorBox, showError } from './errors.js';
import { saveResponse } from './files.js';
import { benchmarkChart, trendChart } from './charts.js';
import { formatScore, getLang, localized, policyLabel, t } from './i18n.js';
import { orgHref, sheetHref } from './nav.js';
import { statusBadge } from './badges.js';
import { savesSettled } from './saves.js';
import { scoreScale, toneOf } from './shape.js';
import { shareCard } from './share.js';

const FORMATS = [['pdf', 'PDF'], ['html', 'HTML'], ['xlsx', 'Excel (XLSX)'], ['csv', 'CSV'], ['json', 'JSON']];

const signed = (x) => (x > 0 ? `+${formatScore(x)}` : formatScore(x));
const has = (x) => typeof x === 'number' && !Number.isNaN(x);

function stat(label, value, sub, text = false) {
  return h('div', { class: 'stat card' }, h('p', { class: 'stat-label' }, label),
    h('p', { class: text ? 'stat-value stat-text' : 'stat-value' }, value), sub ? h('p', { class: 'stat-sub' }, sub) : null);
}

// Proto3 JSON leaves a 0 out: a band without maxLevel ends at 0.
function adviceFor(cat, level, lang) {
  const band = (cat.levelAdvice || []).find((b) => (b.minLevel ?? 0) <= level && level <= (b.maxLevel ?? 0));
  return band ? localized(band.advice, lang) : '';
}

function levelPill(level, scale) {
  const n = level ?? 0;
  return h('span', { class: `level-pill level-${n} tone-${toneOf(n, scale)}`, dataset: { level: String(n) } }, String(n));
}

function highlights(kind, codes, score, cat, lang, scale) {
  const byCode = new Map((score.functions || []).map((f) => [f.code, f]));
  const catByCode = new Map((cat.functions || []).map((f) => [f.code, f]));
  const items = (codes || []).map((code) => {
    const f = byCode.get(code) || { code };
    const cf = catByCode.get(code);
    const narrative = cf && cf.narrative ? localized(kind === 'strengths' ? cf.narrative.achieved : cf.narrative.missing, lang) : '';
    const advice = has(f.level) || has(f.score) ? adviceFor(cat, f.level ?? 0, lang) : '';
    const level = f.level ?? 0;
    return h('li', { class: 'highlight', dataset: { code } },
      h('p', { class: 'highlight-head' }, h('span', { class: 'fn-code' }, code), ' ',
        h('span', { class: 'fn-name' }, f.name || (cf ? localized(cf.name, lang) : code)), ' ',
        h('span', { class: 'level-chip' }, `${formatScore(f.score)} · ${t('level.short')} ${level}/${scale.highest}`)),
      narrative ? h('p', {}, narrative) : null,
      advice ? h('p', { class: 'advice' }, advice) : null);
  });
  return h('div', { class: `highlights ${kind}`, id: kind },
    h('h3', {}, t(`results.${kind}`)),
    items.length ? h('ul', {}, items) : h('p', { class: 'empty' }, t('results.none')));
}

// The sourcing view (catalogues rated in-source and out-source): how many
// counted roles take their level from a provider, the function's score with
// every out-source answer ignored, and the difference, the levels the
// function owes its providers.
function sourcingCells(f) {
  const s = f.sourcing;
  if (!s) return [h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, '—')];
  const roles = s.outSourcedRoles || [];
  return [
    h('td', { class: 'num out-sourced', title: roles.length ? t('results.outSourcedList', { codes: roles.join(', ') }) : null },
      String(roles.length)),
    h('td', { class: 'num in-source-only' }, has(s.inSourceOnlyScore) ? formatScore(s.inSourceOnlyScore) : '—'),
    h('td', { class: has(s.dependency) && s.dependency > 0 ? 'num dependency owes' : 'num dependency' },
      has(s.dependency) ? signed(s.dependency) : '—'),
  ];
}

function functionTable(score, scale) {
  const functions = score.functions || [];
  const sourcing = functions.some((f) => f.sourcing);
  const head = (key, extra = {}) => h('th', { scope: 'col', class: 'num', ...extra }, t(key));
  const rowspan = sourcing ? '2' : null;
  const header = sourcing
    ? [h('tr', {},
      h('th', { scope: 'col', rowspan }, t('results.function')),
      ['results.score', 'results.level', 'results.target', 'results.gap', 'results.answered'].map((k) => head(k, { rowspan })),
      h('th', { scope: 'colgroup', colspan: '3', class: 'group-head', id: 'sourcing-head', title: t('results.sourcingHelp') },
        t('results.sourcing'))),
    h('tr', {},
      head('results.outSourcedRoles', { title: t('results.outSourcedTitle') }),
      head('results.inSourceOnly', { title: t('results.inSourceOnlyTitle') }),
      head('results.dependency', { title: t('results.dependencyTitle') }))]
    : [h('tr', {},
      h('th', { scope: 'col' }, t('results.function')),
      ['results.score', 'results.level', 'results.target', 'results.gap', 'results.answered'].map((k) => head(k)))];
  return h('div', { class: 'table-wrap' }, h('table', {
    class: sourcing ? 'table with-sourcing' : 'table', id: 'function-table',
    'aria-describedby': sourcing ? 'sourcing-help' : null,
  },
  h('caption', { class: 'visually-hidden' }, t('results.byFunction')),
  sourcing ? h('colgroup', { span: '6' }) : null,
  sourcing ? h('colgroup', { span: '3', class: 'sourcing-cols' }) : null,
  h('thead', {}, header),
  h('tbody', {}, functions.map((f) => h('tr', { class: has(f.gap) && f.gap > 0 ? 'below-target' : '', dataset: { code: f.code } },
    h('th', { scope: 'row' }, h('span', { class: 'fn-code' }, f.code), ' ', f.name || ''),
    h('td', { class: 'num' }, has(f.score) ? formatScore(f.score) : '—'),
    h('td', { class: 'num' }, has(f.score) ? levelPill(f.level, scale) : '—'),
    h('td', { class: 'num' }, has(f.target) ? formatScore(f.target) : '—'),
    h('td', { class: 'num' }, has(f.gap) ? signed(f.gap) : '—'),
    h('td', { class: 'num' }, `${f.answered ?? 0} / ${f.total ?? 0}`),
    sourcing ? sourcingCells(f) : null)))),
  sourcing ? h('p', { class: 'help sourcing-help', id: 'sourcing-help' }, t('results.sourcingHelp')) : null);
}

function radarCard(orgId, asId, lang, score, ctx, scale) {
  const slot = h('div', { class: 'radar-slot', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('results.loadingRadar')));
  const alt = `${t('results.radar')}: ${(score.functions || []).map((f) => `${f.code} ${has(f.score) ? f.level ?? 0 : '—'}/${scale.highest}`).join(', ')}`;
  api.radar(orgId, asId, lang).then(async (res) => {
    const blob = await res.blob();
    if (!ctx.current()) return;
    const url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: 'image/svg+xml' }));
    ctx.onLeave(() => URL.revokeObjectURL(url));
    slot.replaceChildren(h('img', { src: url, alt, class: 'radar', id: 'radar-img' }));
  }).catch((err) => slot.replaceChildren(errorBox(err))).finally(() => slot.removeAttribute('aria-busy'));
  return h('div', { class: 'card radar-card' }, h('h2', {}, t('results.radar')), slot);
}

function downloadsCard(orgId, asId, lang) {
  const slot = h('div', { class: 'download-status', role: 'status' });
  const buttons = FORMATS.map(([format, label]) => h('button', {
    type: 'button', class: 'btn', id: `download-${format}`,
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      showError(slot, null);
      slot.textContent = t('results.preparing', { label });
      try {
        const res = await api.report(orgId, asId, format, lang);
        const name = await saveResponse(res, `report-${asId}.${format}`);
        slot.textContent = t('results.downloaded', { name });
      } catch (err) {
        showError(slot, err);
      } finally {
        button.disabled = false;
      }
    },
  }, label));
  return h('div', { class: 'card no-print' }, h('h2', {}, t('results.downloads')),
    h('p', { class: 'help' }, t('results.downloadsHelp')),
    h('div', { class: 'button-row' }, buttons), slot);
}

// Each function's score in the last assessments (up to five, this one
// included), with the change since the one before: "better or worse than
// last year", function by function.
function functionTrendTable(points, asId, score) {
  const upTo = points.findIndex((p) => p.assessmentId === asId);
  const shown = points.slice(0, upTo < 0 ? points.length : upTo + 1).slice(-5);
  if (shown.length < 2) return null;
  const cell = (p, code) => {
    const value = (p.functionScores || {})[code];
    const delta = (p.functionDeltas || {})[code];
    return h('td', { class: 'num' }, has(value) ? formatScore(value) : '—',
      has(delta) && p !== shown[0] ? h('span', { class: `delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : 'same'}` },
        ` ${delta > 0 ? '▲' : delta < 0 ? '▼' : '='} ${signed(delta)}`) : null);
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', id: 'trend-functions' },
    h('caption', {}, t('results.trendByFunction')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('results.function')),
      shown.map((p) => h('th', { scope: 'col', class: ['num', p.assessmentId === asId ? 'current' : ''] },
        p.assessedOn || p.title || p.assessmentId)))),
    h('tbody', {}, (score.functions || []).map((f) => h('tr', {},
      h('th', { scope: 'row' }, h('span', { class: 'fn-code' }, f.code), ' ', f.name || ''),
      shown.map((p) => cell(p, f.code)))))));
}

function trendCard(orgId, asId, catalogueId, scale, score) {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('results.loading')));
  api.trend(orgId, catalogueId).then((data) => {
    const points = (data.points || []).map((p) => ({
      id: p.assessmentId, label: p.title || p.assessmentId, sub: p.assessedOn || '',
      score: p.overall && has(p.overall.score) ? p.overall.score : undefined,
    }));
    if (!points.length) {
      body.replaceChildren(h('p', { class: 'empty' }, t('results.noTrend')));
      return;
    }
    let previous;
    const rows = points.map((p) => {
      const delta = has(p.score) && has(previous) ? p.score - previous : undefined;
      if (has(p.score)) previous = p.score;
      return h('tr', { class: p.id === asId ? 'current' : '' },
        h('td', {}, p.sub), h('th', { scope: 'row' }, p.label),
        h('td', { class: 'num' }, has(p.score) ? formatScore(p.score) : '—'),
        h('td', { class: 'num' }, has(delta) ? signed(delta) : '—'));
    });
    body.replaceChildren(
      trendChart(points, { currentId: asId, label: t('results.trendLabel'), min: scale.lowest, max: scale.highest }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact' },
        h('caption', { class: 'visually-hidden' }, t('results.trend')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('as.assessedOn')), h('th', { scope: 'col' }, t('as.title')),
          h('th', { scope: 'col', class: 'num' }, t('as.overall')), h('th', { scope: 'col', class: 'num' }, t('results.delta')))),
        h('tbody', {}, rows))),
      functionTrendTable(data.points || [], asId, score));
  }).catch((err) => body.replaceChildren(errorBox(err))).finally(() => body.removeAttribute('aria-busy'));
  return h('div', { class: 'card', id: 'trend' }, h('h2', {}, t('results.trend')), body);
}

function benchmarkCard(org, score, catalogueId, scale) {
  const body = h('div', {});
  const industry = h('select', { id: 'bench-industry' },
    h('option', { value: '' }, t('results.allIndustries')),
    org.industry ? h('option', { value: org.industry }, t('results.sameIndustry', { industry: org.industry })) : null);
  const mine = new Map((score.functions || []).map((f) => [f.code, f]));
  const load = () => {
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(h('p', { class: 'muted' }, t('results.loading')));
    api.benchmark(catalogueId, industry.value).then((data) => {
      const rows = (data.functions || []).map((d) => ({ ...d, name: mine.get(d.code)?.name || '', mine: mine.get(d.code)?.score }));
      body.replaceChildren(
        h('p', { class: 'help' }, t('results.benchCount', { n: data.organizationCount ?? 0 })),
        benchmarkChart(rows, { label: t('results.benchmark'), mineLabel: t('results.thisAssessment'),
          min: scale.lowest, max: scale.highest }),
        h('p', { class: 'legend' }, h('span', { class: 'key key-iqr' }), t('results.legendIqr'), ' ',
          h('span', { class: 'key key-mine' }), t('results.thisAssessment')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact' },
          h('caption', { class: 'visually-hidden' }, t('results.benchmark')),
          h('thead', {}, h('tr', {}, [t('results.function'), t('results.thisAssessment'), 'n', 'min', 'p25', t('results.median'), 'p75', 'max']
            .map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
          h('tbody', {}, rows.map((r) => h('tr', {},
            h('th', { scope: 'row' }, h('span', { class: 'fn-code' }, r.code), ' ', r.name),
            [r.mine, r.count, r.min, r.p25, r.median, r.p75, r.max].map((v, i) => h('td', { class: 'num' },
              i === 1 ? String(v ?? 0) : has(v) ? formatScore(v) : '—'))))))));
    }).catch((err) => {
      const refused = err.status === 412 || err.status === 403;
      body.replaceChildren(errorBox(err, {
        tone: refused ? 'info' : 'error',
        extra: refused ? h('p', {}, t(err.status === 412 ? 'results.benchTooFew' : 'results.benchPinned')) : null,
      }));
    })
      .finally(() => body.removeAttribute('aria-busy'));
  };
  industry.addEventListener('change', load);
  load();
  return h('div', { class: 'card', id: 'benchmark' }, h('h2', {}, t('results.benchmark')),
    h('p', { class: 'help' }, t('results.benchmarkHelp')),
    h('div', { class: 'field field-inline no-print' }, h('label', { for: 'bench-industry' }, t('orgs.industry')), industry),
    body);
}

export async function resultsView(ctx) {
  const [orgId, asId] = ctx.params;
  const lang = getLang();
  await savesSettled();
  const [org, assessment, score] = await Promise.all([
    api.getOrganization(orgId), api.getAssessment(orgId, asId), api.score(orgId, asId, lang)]);
  const cat = await api.getCatalogue(assessment.catalogueId, assessment.catalogueVersion, lang);
  ctx.crumbs([{ label: t('nav.orgs'), href: '#/orgs' }, { label: org.displayName || org.id, href: orgHref(orgId) },
    { label: assessment.title || assessment.id, href: sheetHref(orgId, asId) }, { label: t('nav.results') }]);
  // The trend and the benchmark carry no scale: they share this score's.
  const scale = scoreScale(score, cat);
  const overall = score.overall || {};
  const done = score.completeness || {};
  const printButton = h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, t('results.print'));
  return h('section', { class: 'page results' },
    h('div', { class: 'page-head' },
      h('div', { class: 'title-row' }, h('h1', {}, `${t('results.title')}: ${assessment.title || assessment.id}`),
        statusBadge(assessment.status)),
      h('p', { class: 'meta' }, [org.displayName, assessment.assessedOn,
        `${localized(cat.name, lang)} ${assessment.catalogueVersion}`].filter(Boolean).join(' · ')),
      h('div', { class: 'button-row no-print' },
        h('a', { class: 'btn', href: sheetHref(orgId, asId) }, t('nav.sheet')), printButton)),
    h('div', { class: 'stats' },
      stat(t('results.overall'), has(overall.score) ? formatScore(overall.score) : '—',
        has(overall.score) ? `${t('level.short')} ${overall.level ?? 0} / ${scale.highest}` : t('results.noAnswers')),
      stat(t('results.completeness'), `${done.answered ?? 0} / ${done.total ?? 0}`,
        (done.answered ?? 0) < (done.total ?? 0) ? t('results.incomplete') : t('results.complete')),
      stat(t('as.policy'), policyLabel(score.policy || assessment.scoringPolicy), null, true)),
    radarCard(orgId, asId, lang, score, ctx, scale),
    h('div', { class: 'card' }, h('h2', {}, t('results.highlights')),
      h('div', { class: 'grid-2' },
        highlights('strengths', score.strengths, score, cat, lang, scale),
        highlights('weaknesses', score.weaknesses, score, cat, lang, scale))),
    h('div', { class: 'card' }, h('h2', {}, t('results.byFunction')), functionTable(score, scale)),
    downloadsCard(orgId, asId, lang),
    shareCard(orgId, asId),
    trendCard(orgId, asId, assessment.catalogueId, scale, score),
    benchmarkCard(org, score, assessment.catalogueId, scale));
}
