// What the signed-in key may do and why the sign-in page is shown. GET /v1/me says the
// key's role and scope; the shell redraws the header on change.
import { api, session } from './api.js';

let signInNotice = null;
let changed = () => {};

// The shell's redraw of who is signed in, called after each change.
export function setSessionChangeHandler(fn) { changed = fn; }

export async function probeRole() {
  const role = { admin: null, pinned: null, keyId: null, personId: null, operator: false };
  try {
    const me = await api.me();
    role.operator = me.kind === 'operator';
    role.admin = me.role === 'admin';
    role.pinned = Boolean(me.organizationId) || (me.organizationIds || []).length > 0;
    role.scope = (me.organizationIds || []).length || (me.organizationId ? 1 : 0);
    role.keyId = me.keyId || null;
    role.personId = me.personId || null;
  } catch { /* the role stays unknown; later answers teach it */ }
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

// Forgets the key, or ends the person's session at the server; `notice` (an i18n key) says
// why on the sign-in page.
export async function endSession(notice) {
  if (session.person) {
    try { await api.logout(); } catch { /* the cookie may be gone already */ }
  }
  session.signOut();
  signInNotice = notice || null;
  changed();
}

export function setSignInNotice(notice) { signInNotice = notice; }

export function takeSignInNotice() {
  const notice = signInNotice;
  signInNotice = null;
  return notice;
}
