// Tables that many pages share: one sortable by any column (the header is a
// button; aria-sort says the order), and the heat shade of a score on a scale.
import { h } from './dom.js';
import { t } from './i18n.js';

// The shade of a score: one of eleven classes from the scale's lowest (red)
// to its highest (green). Classes, not inline styles: the UI's
// Content-Security-Policy allows no style attributes.
export function heatClass(score, scale) {
  if (typeof score !== 'number' || Number.isNaN(score)) return 'heat-none';
  const span = scale.highest - scale.lowest || 1;
  const f = Math.min(1, Math.max(0, (score - scale.lowest) / span));
  return `heat-${Math.round(f * 10)}`;
}

const collator = () => new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

// Empty values sort last in either direction.
function compare(a, b, numeric, cmp) {
  const emptyA = a === undefined || a === null || a === '';
  const emptyB = b === undefined || b === null || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  return numeric ? a - b : cmp.compare(String(a), String(b));
}

// columns: [{key, label, title?, value(row), numeric?, header?, sortable?, cell(row)? | td(row)?}]
// `cell` gives the content of a plain cell, `td` the whole cell; `header`
// makes the column's cells row headers.
export function sortableTable({ id, caption, columns, rows, rowKey, initial }) {
  const cmp = collator();
  const state = { key: initial.key, dir: initial.dir };
  const tbody = h('tbody', {});
  const buttons = new Map();
  const ths = columns.map((col) => {
    if (col.sortable === false) return h('th', { scope: 'col' }, col.label);
    const button = h('button', { type: 'button', class: 'sort', id: `${id}-sort-${col.key}`, title: col.title || null },
      col.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    buttons.set(col.key, button);
    const th = h('th', { scope: 'col', class: col.numeric ? 'num' : '' }, button);
    button.addEventListener('click', () => {
      state.dir = state.key === col.key && state.dir === 'asc' ? 'desc' : 'asc';
      state.key = col.key;
      draw();
    });
    return th;
  });

  function cellOf(col, row) {
    if (col.td) return col.td(row);
    const content = col.cell ? col.cell(row) : String(col.value(row) ?? '');
    return col.header ? h('th', { scope: 'row' }, content) : h('td', { class: col.numeric ? 'num' : '' }, content);
  }

  function draw() {
    const col = columns.find((c) => c.key === state.key) || columns[0];
    const sign = state.dir === 'asc' ? 1 : -1;
    const first = columns[0];
    const sorted = rows.slice().sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      const emptyA = va === undefined || va === null || va === '';
      const emptyB = vb === undefined || vb === null || vb === '';
      // Rows without a value stay at the bottom whichever way the column is sorted.
      if (emptyA || emptyB) {
        if (emptyA !== emptyB) return emptyA ? 1 : -1;
      } else {
        const c = compare(va, vb, col.numeric, cmp) * sign;
        if (c) return c;
      }
      return compare(first.value(a), first.value(b), first.numeric, cmp);
    });
    ths.forEach((th, i) => {
      const c = columns[i];
      if (c.sortable === false) return;
      const on = c.key === col.key;
      th.setAttribute('aria-sort', on ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      buttons.get(c.key).querySelector('.sort-mark').textContent = on ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '';
    });
    tbody.replaceChildren(...sorted.map((row) => h('tr', { dataset: { key: rowKey(row) } },
      columns.map((c) => cellOf(c, row)))));
  }
  draw();
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table sortable', id },
    h('caption', { class: 'visually-hidden' }, `${caption} (${t('table.sortHint')})`),
    h('thead', {}, h('tr', {}, ths)), tbody));
}
