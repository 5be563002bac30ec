// The shape of a catalogue: its scale (lowest..highest, a label per level) and
// its dimensions (the ladders a role is rated on, e.g. ISOG-J's inSource and
// outSource, or one "level"). Pages read the shape from here instead of
// assuming two ladders of 0..5. Proto3 JSON leaves zero values out, so a
// missing `lowest` or `level` is 0. A catalogue from an older server has no
// `dimensions`: it is ISOG-J's first form (two ladders, 0..5).
import { localized, t } from './i18n.js';

// The two ISOG-J dimensions keep the element ids the sheet always had.
export const IN_SOURCE = 'inSource';
export const OUT_SOURCE = 'outSource';
// A scale never has more levels than this (the server allows 0..10).
const MAX_LEVELS = 21;

const isInt = (x) => Number.isInteger(x);

function range(lowest, highest) {
  const out = [];
  for (let n = lowest; n <= highest && out.length < MAX_LEVELS; n += 1) out.push(n);
  return out;
}

function texts(list, field, lang) {
  const map = new Map();
  for (const item of list || []) {
    const text = localized(item[field], lang);
    if (text) map.set(item.level ?? 0, text);
  }
  return map;
}

// {lowest, highest, levels: [lowest..highest], labels: Map(level -> label)}.
export function scaleOf(cat, lang) {
  const s = (cat && cat.scale) || {};
  let lowest = isInt(s.lowest) ? s.lowest : 0;
  let highest = isInt(s.highest) ? s.highest : 5;
  if (highest < lowest) { lowest = 0; highest = 5; }
  return { lowest, highest, levels: range(lowest, highest), labels: texts(s.levels, 'label', lang) };
}

// True when a scale label only repeats its number (the server labels ISOG-J's
// first form that way); such labels are not shown twice.
export function hasOwnLabels(scale) {
  for (const [n, label] of scale.labels) if (label !== String(n)) return true;
  return false;
}

function fallbackName(code) {
  if (code === IN_SOURCE) return t('sheet.inSource');
  if (code === OUT_SOURCE) return t('sheet.outSource');
  return code;
}

// [{code, name, texts: Map(level -> text)}] in the catalogue's order.
export function dimensionsOf(cat, lang) {
  if (cat && Array.isArray(cat.dimensions) && cat.dimensions.length) {
    return cat.dimensions.map((d) => ({
      code: d.code || '',
      name: localized(d.name, lang) || fallbackName(d.code || ''),
      texts: texts(d.levels, 'text', lang),
    }));
  }
  return [
    { code: IN_SOURCE, name: t('sheet.inSource'), texts: texts(cat && cat.inSourceLevels, 'text', lang) },
    { code: OUT_SOURCE, name: t('sheet.outSource'), texts: texts(cat && cat.outSourceLevels, 'text', lang) },
  ];
}

// True when the server speaks the dimensions (answers then carry `levels`).
export function speaksDimensions(cat) {
  return Boolean(cat && Array.isArray(cat.dimensions) && cat.dimensions.length);
}

// An answer's level in one dimension: levels[code], else its short form.
export function answerLevel(answer, code) {
  if (!answer) return undefined;
  const fromMap = answer.levels ? answer.levels[code] : undefined;
  if (isInt(fromMap)) return fromMap;
  if (code === IN_SOURCE || code === OUT_SOURCE || code === 'level') {
    return isInt(answer[code]) ? answer[code] : undefined;
  }
  return undefined;
}

// The top and bottom of a score's scale: the score says (scaleHighest,
// scaleLowest absent when 0), else the catalogue, else 0..5.
export function scoreScale(score, cat) {
  const fromCat = scaleOf(cat);
  const hasHighest = score && isInt(score.scaleHighest) && score.scaleHighest > 0;
  const highest = hasHighest ? score.scaleHighest : fromCat.highest;
  let lowest = hasHighest ? (isInt(score.scaleLowest) ? score.scaleLowest : 0) : fromCat.lowest;
  if (lowest >= highest) lowest = 0;
  return { lowest, highest };
}

// Where a level lies on its scale as one of six tones (0 = lowest, 5 =
// highest), so that colours work for any scale: a level's class is `tone-N`.
export function toneOf(level, { lowest, highest }) {
  if (!isInt(level) || highest <= lowest) return 0;
  const tone = Math.round((5 * (level - lowest)) / (highest - lowest));
  return Math.min(5, Math.max(0, tone));
}
