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
