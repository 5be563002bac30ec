// Where the pages are: the links between them and the one way to move to
// another. The shell renders, so it registers how; a view can then navigate
// without importing the shell, which imports the views.
let render = () => {};

// The shell's render, called when `go` asks for the hash already shown
// (no hashchange fires then).
export function setRenderHandler(fn) { render = fn; }

export function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

export const orgHref = (org) => `#/orgs/${encodeURIComponent(org)}`;
export const sheetHref = (org, id) => `${orgHref(org)}/assessments/${encodeURIComponent(id)}`;
export const resultsHref = (org, id) => `${sheetHref(org, id)}/results`;
export const portfolioHref = (filters = {}) => {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  return `#/portfolio${q.toString() ? `?${q}` : ''}`;
};
export const campaignsHref = (filters = {}) => {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  return `#/campaigns${q.toString() ? `?${q}` : ''}`;
};
export const tenantKeysHref = (id) => `#/tenants/${encodeURIComponent(id)}/keys`;
export const campaignHref = (id) => `#/campaigns/${encodeURIComponent(id)}`;

// The filters a page keeps in its hash (#/portfolio?industry=finance).
export function hashQuery() {
  const at = location.hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : location.hash.slice(at + 1));
}
