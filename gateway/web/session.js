// What the signed-in key may do and why the sign-in page is shown. The key
// cannot be introspected, so its role is learnt from what it may read and from
// what the API refuses or allows later; the shell redraws the header on change.
import { api, session } from './api.js';
import { getLang } from './i18n.js';

let signInNotice = null;
let changed = () => {};

// The shell's redraw of who is signed in, called after each change.
export function setSessionChangeHandler(fn) { changed = fn; }

export async function probeRole() {
  const role = { admin: null, pinned: null };
  try {
    const cats = await api.listCatalogues(getLang());
    if (cats.length) {
      try { await api.benchmark(cats[0].id); role.pinned = false; } catch (e) {
        if (e.status === 403) role.pinned = true;
        else if (e.status === 412 || e.status === 400 || e.status === 404) role.pinned = false;
      }
    }
    const orgs = await api.listOrganizations();
    if (orgs.length) {
      try { await api.auditLogProbe(orgs[0].id); role.admin = true; } catch (e) {
        if (e.status === 403) role.admin = false;
      }
    }
  } catch { /* the role stays unknown */ }
  session.role = role;
  changed();
}

// A 403 on an admin action tells us the key is not an admin.
export function learnNotAdmin() {
  const role = session.role;
  if (role.admin !== false) {
    session.role = { ...role, admin: false };
    changed();
  }
}

export function learnAdmin() {
  const role = session.role;
  if (role.admin !== true) {
    session.role = { ...role, admin: true };
    changed();
  }
}

// Forgets the key; `notice` (an i18n key) says why on the sign-in page.
export function endSession(notice) {
  session.signOut();
  signInNotice = notice || null;
  changed();
}

export function takeSignInNotice() {
  const notice = signInNotice;
  signInNotice = null;
  return notice;
}
