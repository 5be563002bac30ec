// The REST API client. Either an API key, kept in sessionStorage (this tab only) and sent in
// the Authorization header, never in a URL; or a person signed in through the tenant's
// identity provider, whose session is an HttpOnly cookie the page never sees: the page reads
// only the session's CSRF token (its own cookie) and sends it with every write.

const KEY_NAME = 'socm.apiKey';
const ROLE_NAME = 'socm.keyRole';

const CSRF_COOKIE = '__Host-socm_csrf';

// The signed-in person's CSRF token; '' when nobody signed in through a provider.
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return rest.join('=');
  }
  return '';
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_NAME) || ''; },
  // A key, or a person's session cookie (its CSRF cookie lives exactly as long).
  get signedIn() { return Boolean(this.key || csrfToken()); },
  get person() { return !this.key && Boolean(csrfToken()); },
  signIn(key) { sessionStorage.setItem(KEY_NAME, key); },
  signOut() {
    sessionStorage.removeItem(KEY_NAME);
    sessionStorage.removeItem(ROLE_NAME);
  },
  // What the key turned out to allow: {admin: true|false|null, pinned: true|false|null}.
  get role() {
    try { return JSON.parse(sessionStorage.getItem(ROLE_NAME)) || {}; } catch { return {}; }
  },
  set role(value) { sessionStorage.setItem(ROLE_NAME, JSON.stringify(value)); },
};

export class ApiError extends Error {
  constructor(status, code, message, details = [], retryAfter = 0) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.apiMessage = message || '';
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

async function toError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const e = body && body.error ? body.error : {};
  const error = new ApiError(res.status, e.code || '', e.message || '', Array.isArray(e.details) ? e.details : [],
    Number(res.headers.get('Retry-After')) || 0);
  // What else the body said beside the error (the workbook import's answers and problems).
  if (body && typeof body === 'object') error.body = body;
  return error;
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// One HTTP call. `raw` returns the Response (for files); `file` is a body sent
// as it is (a Blob, with its `fileType`) instead of JSON. A 429 is retried a
// few times after Retry-After: the server did nothing, so a retry is safe.
async function call(method, path, { body, file, fileType, etag, raw = false, key = session.key, headers = {} } = {}) {
  const h = { Accept: raw ? '*/*' : 'application/json', ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  // Without a key, the session cookie goes along, and a write carries the CSRF token.
  const csrf = key ? '' : csrfToken();
  if (csrf && method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (file !== undefined) h['Content-Type'] = fileType;
  if (etag) h['If-Match'] = etag;
  let res;
  for (let attempt = 0; ; attempt += 1) {
    try {
      res = await fetch(path, {
        method, headers: h, body: file !== undefined ? file : body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: csrf ? 'same-origin' : 'omit',
      });
    } catch (e) {
      throw new ApiError(0, 'NETWORK', e && e.message ? e.message : 'network error');
    }
    // A rate limit says when to come back; a quota (no Retry-After) will not lift by waiting.
    if (res.status !== 429 || !res.headers.get('Retry-After') || attempt >= 3) break;
    await sleep(Math.min(5, Number(res.headers.get('Retry-After')) || 1) * 1000);
  }
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && ((key && key === session.key) || csrf)) onUnauthenticated(error);
    throw error;
  }
  if (raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  const etagHeader = res.headers.get('ETag');
  if (data && typeof data === 'object' && etagHeader && !data.etag) data.etag = etagHeader;
  return data;
}

const enc = encodeURIComponent;
const org = (id) => `/v1/organizations/${enc(id)}`;
const assessment = (orgId, id) => `${org(orgId)}/assessments/${enc(id)}`;
const role = (orgId, id, roleCode) => `${assessment(orgId, id)}/roles/${enc(roleCode)}`;

function portfolioQuery({ catalogueId, industry, label }) {
  const q = new URLSearchParams({ catalogueId });
  if (industry) q.set('industry', industry);
  if (label) q.set('label', label);
  return q;
}

export function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Follows nextPageToken so that a list is whole.
async function listAll(path, field) {
  const items = [];
  let token = '';
  for (let page = 0; page < 50; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const data = await call('GET', `${path}${sep}pageSize=500${token ? `&pageToken=${enc(token)}` : ''}`);
    items.push(...((data && data[field]) || []));
    token = data && data.nextPageToken;
    if (!token) break;
  }
  return items;
}

const catalogueCache = new Map();

export const api = {
  // Checks a key (or the operator token) before keeping it: any valid one may ask who it is.
  checkKey: (key) => call('GET', '/v1/me', { key }),
  // The operator's one-time link: its code becomes an operator session (cookies set here).
  async redeemOperatorLink(code) {
    let res;
    try {
      res = await fetch('/auth/operator', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ code }), cache: 'no-store', credentials: 'same-origin',
      });
    } catch (e) {
      throw new ApiError(0, 'NETWORK', e && e.message ? e.message : 'network error');
    }
    if (!res.ok) throw await toError(res);
  },
  listTenants: () => listAll('/v1/tenants', 'tenants'),
  createTenant: (body, idempotencyKey) => call('POST', '/v1/tenants', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  listApiKeys: (tenantId) => listAll(`/v1/tenants/${enc(tenantId)}/apiKeys`, 'apiKeys'),
  createApiKey: (tenantId, body) => call('POST', `/v1/tenants/${enc(tenantId)}/apiKeys`,
    { body, headers: { 'Idempotency-Key': randomKey() } }),
  revokeApiKey: (tenantId, keyId) => call('DELETE', `/v1/tenants/${enc(tenantId)}/apiKeys/${enc(keyId)}`),
  auditLog: (pageToken) => call('GET', `/v1/auditLog?pageSize=50${pageToken ? `&pageToken=${enc(pageToken)}` : ''}`),
  verifyAuditLog: () => call('GET', '/v1/auditLog:verify'),
  listOrganizations: () => listAll('/v1/organizations', 'organizations'),
  getOrganization: (id) => call('GET', org(id)),
  createOrganization: (body) => call('POST', '/v1/organizations', { body, headers: { 'Idempotency-Key': randomKey() } }),
  me: () => call('GET', '/v1/me'),
  // Ends the person's session at the server, which clears its cookies.
  logout: () => call('POST', '/auth/logout'),
  getIdentityProvider: () => call('GET', '/v1/identityProvider'),
  putIdentityProvider: (body) => call('PUT', '/v1/identityProvider', { body }),
  deleteIdentityProvider: () => call('DELETE', '/v1/identityProvider'),
  listPeople: () => call('GET', '/v1/people'),
  updatePerson: (id, body) => call('PATCH', `/v1/people/${enc(id)}`, { body }),
  listWebhooks: () => call('GET', '/v1/webhooks'),
  createWebhook: (body) => call('POST', '/v1/webhooks', { body }),
  deleteWebhook: (id) => call('DELETE', `/v1/webhooks/${enc(id)}`),
  testWebhook: (id) => call('POST', `/v1/webhooks/${enc(id)}:test`),
  webhookDeliveries: (id) => call('GET', `/v1/webhooks/${enc(id)}/deliveries?pageSize=100`),
  listShareLinks: (orgId, id) => call('GET', `${assessment(orgId, id)}/shareLinks`),
  createShareLink: (orgId, id, body) => call('POST', `${assessment(orgId, id)}/shareLinks`, { body }),
  revokeShareLink: (orgId, id, linkId) => call('DELETE', `${assessment(orgId, id)}/shareLinks/${enc(linkId)}`),

  listCatalogues: (lang) => listAll(`/v1/catalogues?lang=${enc(lang)}`, 'catalogues'),
  // A catalogue version never changes, so it is kept for the page's life.
  async getCatalogue(id, version, lang) {
    const cacheKey = `${id}\u0000${version || ''}\u0000${lang}`;
    if (!catalogueCache.has(cacheKey)) {
      const q = new URLSearchParams({ lang });
      if (version) q.set('version', version);
      const promise = call('GET', `/v1/catalogues/${enc(id)}?${q}`);
      catalogueCache.set(cacheKey, promise);
      promise.catch(() => catalogueCache.delete(cacheKey));
    }
    return catalogueCache.get(cacheKey);
  },

  listAssessments: (orgId) => listAll(`${org(orgId)}/assessments`, 'assessments'),
  createAssessment: (orgId, body) => call('POST', `${org(orgId)}/assessments`,
    { body, headers: { 'Idempotency-Key': randomKey() } }),
  getAssessment: (orgId, id) => call('GET', assessment(orgId, id)),
  putAnswer: (orgId, id, roleCode, body, etag) =>
    call('PUT', `${assessment(orgId, id)}/answers/${enc(roleCode)}`, { body, etag }),
  transition: (orgId, id, action, etag) => call('POST', `${assessment(orgId, id)}:${action}`, { etag }),

  score: (orgId, id, lang) => call('GET', `${assessment(orgId, id)}/score?lang=${enc(lang)}`),
  radar: (orgId, id, lang) => call('GET', `${assessment(orgId, id)}/radar.svg?lang=${enc(lang)}`, { raw: true }),
  report: (orgId, id, format, lang) =>
    call('GET', `${assessment(orgId, id)}/report?format=${enc(format)}&lang=${enc(lang)}`, { raw: true }),
  // The self-check workbook: blank (of a catalogue version) or filled (with an
  // assessment's answers), and its import (dryRun: read and check, write nothing).
  blankSheet(catalogueId, version, lang) {
    const q = new URLSearchParams({ lang });
    if (version) q.set('version', version);
    return call('GET', `/v1/catalogues/${enc(catalogueId)}/sheet.xlsx?${q}`, { raw: true });
  },
  filledSheet: (orgId, id, lang) => call('GET', `${assessment(orgId, id)}/sheet.xlsx?lang=${enc(lang)}`, { raw: true }),
  importSheet: (orgId, id, file, { dryRun, etag }) =>
    call('POST', `${assessment(orgId, id)}/answers:import?dryRun=${dryRun ? 'true' : 'false'}`,
      { file, fileType: XLSX_TYPE, etag }),
  trend: (orgId, catalogueId) => call('GET', `${org(orgId)}/trend?catalogueId=${enc(catalogueId)}`),

  // The practice across customers: one page of the portfolio (the latest
  // assessment of each organisation on a catalogue), or all of it as a file.
  // filters: {catalogueId, industry, label ("key=value")}.
  portfolio(filters, { pageSize = 100, pageToken = '' } = {}) {
    const q = portfolioQuery(filters);
    q.set('pageSize', String(pageSize));
    if (pageToken) q.set('pageToken', pageToken);
    return call('GET', `/v1/portfolio?${q}`);
  },
  portfolioFile(filters, format, lang) {
    const q = portfolioQuery(filters);
    q.set('format', format);
    q.set('lang', lang);
    return call('GET', `/v1/portfolio?${q}`, { raw: true });
  },

  // Campaigns: one assessment per matching organisation, started at once. The
  // caller keeps the Idempotency-Key of one intent, so a double click or a
  // retry creates one campaign.
  listCampaigns: (pageToken = '') => call('GET', `/v1/campaigns?pageSize=50${pageToken ? `&pageToken=${enc(pageToken)}` : ''}`),
  getCampaign: (id) => call('GET', `/v1/campaigns/${enc(id)}`),
  createCampaign: (body, idempotencyKey) => call('POST', '/v1/campaigns',
    { body, headers: { 'Idempotency-Key': idempotencyKey } }),

  // The discussion of one role: comments (oldest first) and evidence files.
  listComments: (orgId, id, roleCode) => listAll(`${role(orgId, id, roleCode)}/comments`, 'comments'),
  addComment: (orgId, id, roleCode, body) => call('POST', `${role(orgId, id, roleCode)}/comments`, { body: { body } }),
  async listEvidence(orgId, id, roleCode) {
    const data = await call('GET', `${role(orgId, id, roleCode)}/evidence`);
    return (data && data.evidence) || [];
  },
  uploadEvidence: (orgId, id, roleCode, file) =>
    call('POST', `${role(orgId, id, roleCode)}/evidence?filename=${enc(file.name)}`,
      { file, fileType: file.type || 'application/octet-stream' }),
  downloadEvidence: (orgId, id, roleCode, evidenceId) =>
    call('GET', `${role(orgId, id, roleCode)}/evidence/${enc(evidenceId)}`, { raw: true }),
  deleteEvidence: (orgId, id, roleCode, evidenceId) =>
    call('DELETE', `${role(orgId, id, roleCode)}/evidence/${enc(evidenceId)}`),
  benchmark(catalogueId, industry) {
    const q = new URLSearchParams({ catalogueId });
    if (industry) q.set('industry', industry);
    return call('GET', `/v1/benchmark?${q}`);
  },
};
