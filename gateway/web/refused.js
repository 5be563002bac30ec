// The page an admin's view shows when its first read is refused: a 403 teaches the shell
// that the caller is no admin (its admin links go) and says who manages the page; any other
// error is shown as it is.
import { h } from './dom.js';
import { errorBox } from './errors.js';
import { t } from './i18n.js';
import { learnNotAdmin } from './session.js';

// titleKey and needKey are i18n keys: the page's title, and who may use it.
export function refusedPage(err, titleKey, needKey) {
  if (err.status === 403) learnNotAdmin();
  return h('section', { class: 'page' }, h('h1', {}, t(titleKey)),
    errorBox(err, { tone: err.status === 403 ? 'info' : 'error',
      extra: err.status === 403 ? h('p', {}, t(needKey)) : null }));
}
