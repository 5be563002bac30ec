// A client generated from the gateway's own /openapi.json (openapi-typescript
// types, openapi-fetch calls), run against the real suite. tsc checks every
// call below against the generated types, so a route, parameter or field the
// document lacks fails the build of this test before it runs. Run through
// tests/client/run.sh, which tests/browser/run.sh calls with the suite up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const BASE = process.env.SOCM_UI_URL ?? '';
const KEY = process.env.SOCM_UI_KEY ?? '';

test('a generated client creates an organisation and reads a score', { skip: !BASE || !KEY }, async () => {
  const api = createClient<paths>({ baseUrl: BASE, headers: { Authorization: `Bearer ${KEY}` } });

  const org = await api.POST('/v1/organizations', {
    body: { displayName: 'Generated client Ltd', industry: 'finance', labels: { source: 'openapi' } },
  });
  assert.equal(org.response.status, 201, JSON.stringify(org.error));
  const orgId = org.data?.id ?? '';
  assert.ok(orgId);

  const created = await api.POST('/v1/organizations/{orgId}/assessments', {
    params: { path: { orgId } },
    body: { catalogueId: 'isogj-soc-csirt', title: 'From the generated client', assessedOn: '2026-12-01' },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const assessmentId = created.data?.id ?? '';
  const etag = created.data?.etag ?? '';
  assert.equal(created.response.headers.get('etag'), etag);

  // If-Match as the first part of the contract writes it: the etag field in quotes.
  const answered = await api.PUT('/v1/organizations/{orgId}/assessments/{assessmentId}/answers/{roleCode}', {
    params: { path: { orgId, assessmentId, roleCode: 'A-1' }, header: { 'If-Match': `"${etag}"` } },
    body: { inSource: 4, outSource: 2, target: 5 },
  });
  assert.equal(answered.response.status, 200, JSON.stringify(answered.error));
  // The old etag is stale now, in any of its forms.
  const stale = await api.PUT('/v1/organizations/{orgId}/assessments/{assessmentId}/answers/{roleCode}', {
    params: { path: { orgId, assessmentId, roleCode: 'A-2' }, header: { 'If-Match': etag } },
    body: { inSource: 1 },
  });
  assert.equal(stale.response.status, 409);
  assert.equal(stale.error?.error.code, 'ABORTED');

  const score = await api.GET('/v1/organizations/{orgId}/assessments/{assessmentId}/score', {
    params: { path: { orgId, assessmentId }, query: { lang: 'en' } },
  });
  assert.equal(score.response.status, 200, JSON.stringify(score.error));
  assert.equal(score.data?.assessmentId, assessmentId);
  const a = score.data?.functions?.find((f) => f.code === 'A');
  assert.equal(a?.score, 4);
  assert.equal(score.data?.completeness?.answered, 1);

  const bad = await api.GET('/v1/organizations/{orgId}', { params: { path: { orgId: 'no-such-org' } } });
  assert.equal(bad.response.status, 404);
  assert.equal(bad.error?.error.code, 'NOT_FOUND');
});
