// The application shell: hash routing, the header (breadcrumbs, language,
// who is signed in) and the error fallback, so a page is never blank.
import { api, session, setUnauthenticatedHandler } from './api.js';
import { h } from './dom.js';
import { errorBox } from './errors.js';
import { onLangChange, setLang, t, translateStatic } from './i18n.js';
import { go, setRenderHandler } from './nav.js';
import { endSession, probeRole, setSessionChangeHandler, setSignInNotice } from './session.js';
import { signInView } from './views-signin.js';
import { orgsView } from './views-orgs.js';
import { orgView } from './views-org.js';
import { sheetView } from './sheet.js';
import { resultsView } from './results.js';
import { portfolioView } from './views-portfolio.js';
import { campaignView, campaignsView } from './views-campaigns.js';
import { webhookView, webhooksView } from './views-webhooks.js';
import { peopleView } from './views-people.js';
import { keysView, tenantKeysView } from './views-keys.js';
import { tenantsView } from './views-tenants.js';
import { auditView } from './views-audit.js';

const ROUTES = [
  [/^#\/signin$/, signInView, true],
  [/^#\/orgs$/, orgsView],
  [/^#\/orgs\/([^/]+)$/, orgView],
  [/^#\/orgs\/([^/]+)\/assessments\/([^/]+)$/, sheetView],
  [/^#\/orgs\/([^/]+)\/assessments\/([^/]+)\/results$/, resultsView],
  [/^#\/portfolio(?:\?.*)?$/, portfolioView],
  [/^#\/campaigns(?:\?.*)?$/, campaignsView],
  [/^#\/campaigns\/([^/?]+)$/, campaignView],
  [/^#\/webhooks$/, webhooksView],
  [/^#\/webhooks\/([^/?]+)$/, webhookView],
  [/^#\/people$/, peopleView],
  [/^#\/keys$/, keysView],
  [/^#\/audit$/, auditView],
  [/^#\/tenants$/, tenantsView],
  [/^#\/tenants\/([^/]+)\/keys$/, tenantKeysView],
];

const main = document.getElementById('app');
const crumbs = document.getElementById('crumbs');
const who = document.getElementById('who');
const signOutButton = document.getElementById('signout');
const sections = document.getElementById('sections');
let renderCount = 0;
let cleanups = [];

// The main navigation already names the section a page is in, so the trail
// starts below it (a section's own page has none).
function setCrumbs(all) {
  const sectionRoot = (item) => item.href && sections.querySelector(`a[href="${CSS.escape(item.href)}"]`);
  const items = all.length && (all.length === 1 || sectionRoot(all[0])) ? all.slice(1) : all;
  const last = all[all.length - 1];
  document.title = last ? `${last.label} · ${t('app.name')}` : t('app.name');
  const list = h('ol', {}, items.map((item, i) => h('li', {},
    item.href && i < items.length - 1 ? h('a', { href: item.href, title: item.label }, item.label)
      : h('span', { 'aria-current': i === items.length - 1 ? 'page' : null, title: item.label }, item.label))));
  crumbs.replaceChildren(list);
}

function renderWho() {
  // The admin's pages are not offered to whom they would refuse.
  // The operator manages tenants and is a member of none.
  const operator = session.role.operator === true;
  for (const a of sections.querySelectorAll('[data-tenant]')) {
    a.hidden = operator || (a.hasAttribute('data-admin') && session.role.admin === false);
  }
  for (const a of sections.querySelectorAll('[data-operator]')) a.hidden = !operator;
  if (!session.signedIn) {
    who.replaceChildren();
    signOutButton.hidden = true;
    return;
  }
  signOutButton.hidden = false;
  const role = session.role;
  const parts = [t('who.signedIn')];
  who.title = session.key ? t('who.keyEnding', { end: session.key.slice(-4) }) : t('who.person');
  if (role.operator) parts.push(t('who.operator'));
  else if (role.admin === true) parts.push(t('who.admin'));
  else if (role.admin === false) parts.push(t('who.notAdmin'));
  if (role.operator) { /* the operator has no organisations */ } else if (role.scope > 1) parts.push(t('who.scoped', { n: role.scope }));
  else if (role.pinned === true) parts.push(t('who.pinned'));
  else if (role.pinned === false) parts.push(t('who.tenantWide'));
  who.replaceChildren(h('span', { class: 'who-dot', 'aria-hidden': 'true' }), parts.join(' · '));
}

// The main navigation: hidden before sign-in, the current section marked.
function markSection(hash) {
  sections.hidden = !session.signedIn;
  for (const a of sections.querySelectorAll('a')) {
    const here = hash.startsWith(a.getAttribute('href'));
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function signOut(notice) {
  await endSession(notice);
  go('#/signin');
}

async function render({ keepFocus = false } = {}) {
  const count = ++renderCount;
  for (const fn of cleanups) { try { fn(); } catch { /* ignore */ } }
  cleanups = [];
  const home = session.role.operator ? '#/tenants' : '#/orgs';
  const hash = location.hash || home;
  if (!session.signedIn && hash !== '#/signin') {
    location.replace('#/signin');
    return;
  }
  if (session.signedIn && (hash === '#/signin' || (hash === '#/orgs' && home !== hash))) {
    location.replace(home);
    return;
  }
  renderWho();
  markSection(hash);
  let route = null;
  let params = [];
  for (const [pattern, view] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      route = view;
      params = m.slice(1).map(decodeURIComponent);
      break;
    }
  }
  const ctx = {
    params,
    crumbs: setCrumbs,
    current: () => count === renderCount,
    reload: () => render(),
    onLeave: (fn) => cleanups.push(fn),
  };
  main.setAttribute('aria-busy', 'true');
  let node;
  try {
    if (!route) {
      setCrumbs([{ label: t('nav.notFound') }]);
      node = h('section', { class: 'card' }, h('h1', { tabindex: '-1' }, t('nav.notFound')),
        h('p', {}, h('a', { href: '#/orgs' }, t('nav.backToOrgs'))));
    } else {
      node = await route(ctx);
    }
  } catch (err) {
    if (err && err.status === 401) return;
    node = h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, t('err.pageTitle')), errorBox(err),
      h('p', {}, h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('action.retry')),
        ' ', h('a', { href: '#/orgs' }, t('nav.backToOrgs'))));
  }
  if (count !== renderCount) return;
  main.replaceChildren(node);
  main.removeAttribute('aria-busy');
  if (!keepFocus) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
}

// The operator's one-time link (#operator=<code>, printed by deploy/local/run.sh): the code
// leaves the address bar and history at once, then becomes an operator session.
async function redeemOperatorLink() {
  const m = location.hash.match(/^#operator=([A-Za-z0-9_]{1,128})$/);
  if (!m) return;
  history.replaceState(null, '', `${location.pathname}#/tenants`);
  // Whoever was signed in here is signed out at the server, not left with a live session.
  if (session.person) {
    try { await api.logout(); } catch { /* it may have ended already */ }
  }
  try {
    await api.redeemOperatorLink(m[1]);
    session.signOut();
    await probeRole();
  } catch {
    setSignInNotice('signin.linkRefused');
  }
}

async function start() {
  translateStatic(document);
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => setLang(button.dataset.lang));
  }
  signOutButton.addEventListener('click', () => signOut());
  document.getElementById('skip').addEventListener('click', () => main.focus());
  setUnauthenticatedHandler(() => signOut('signin.expired'));
  setRenderHandler(() => render());
  setSessionChangeHandler(renderWho);
  onLangChange(() => {
    translateStatic(document);
    render({ keepFocus: true });
  });
  // A link pasted into a tab that already runs the UI changes only the hash.
  window.addEventListener('hashchange', async () => {
    await redeemOperatorLink();
    render();
  });
  window.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    main.prepend(errorBox(event.reason));
  });
  await redeemOperatorLink();
  // A cookie session (a person's, or the operator's) is shared by every tab, and another tab
  // may have signed in as someone else: learn who it is before the first page.
  if (session.person) await probeRole();
  render();
}

start();
