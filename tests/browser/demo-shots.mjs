// The screenshots of README and docs/, taken from the demo MSSP that
// deploy/local/seed-demo.py seeds (realistic names, two years of history, a
// running campaign, a discussion): the portfolio, the campaign, a role's
// discussion and the trend by function. Not a test; tests/browser/demo-shots.sh
// starts the suite, seeds it and runs this.
//   SOCM_UI_URL=… SOCM_DEMO_KEY=… node tests/browser/demo-shots.mjs [out dir=docs]
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';

const BASE = process.env.SOCM_UI_URL;
const KEY = process.env.SOCM_DEMO_KEY;
const OUT = process.argv[2] || 'docs';

async function rest(path) {
  const res = await fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${KEY}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

await mkdir(OUT, { recursive: true });
const orgs = (await rest('/v1/organizations?pageSize=100')).organizations;
const aozora = orgs.find((o) => o.displayName === 'Aozora Bank');
const history = (await rest(`/v1/organizations/${aozora.id}/assessments?pageSize=100`)).assessments;
const fy2026 = history.find((a) => a.title === 'FY2026 self-check');
const campaign = (await rest('/v1/campaigns')).campaigns[0];

const context = await launchChromium({ locale: 'en-GB', viewport: { width: 1360, height: 860 } });
const page = context.pages()[0] || (await context.newPage());
await page.goto(`${BASE}/`);
await page.evaluate(() => localStorage.setItem('socm.lang', 'en'));
await page.goto(`${BASE}/`);
await page.locator('#api-key').fill(KEY);
await page.locator('#signin-key button[type=submit]').click();
await page.waitForURL(/#\/orgs$/);

await page.goto(`${BASE}/#/portfolio`);
await page.locator('#portfolio-table tbody tr').first().waitFor();
await page.screenshot({ path: join(OUT, 'portfolio.png'), fullPage: true });

await page.goto(`${BASE}/#/campaigns/${encodeURIComponent(campaign.id)}`);
await page.locator('#campaign-table tbody tr').first().waitFor();
await page.screenshot({ path: join(OUT, 'campaign.png'), fullPage: true });

// The half-answered draft of the campaign: a comment and the playbook on D-1.
const running = campaign.assessments.find((a) => a.organizationId === aozora.id);
await page.goto(`${BASE}/#/orgs/${aozora.id}/assessments/${running.assessmentId}`);
await page.locator('#disc-D-1').click();
await page.locator('#discussion-D-1 .comment').waitFor();
await page.locator('#discussion-D-1 .evidence').waitFor();
await page.locator('#role-D-1').scrollIntoViewIfNeeded();
const row = await page.locator('#role-D-1').boundingBox();
const panel = await page.locator('#discussion-D-1').boundingBox();
await page.screenshot({ path: join(OUT, 'discussion.png'),
  clip: { x: 0, y: row.y - 8, width: 1360, height: panel.y + panel.height - row.y + 24 } });

await page.goto(`${BASE}/#/orgs/${aozora.id}/assessments/${fy2026.id}/results`);
await page.locator('#trend-functions').waitFor();
await page.locator('#trend').screenshot({ path: join(OUT, 'trend.png') });
await context.close();
console.log(`screenshots in ${OUT}: portfolio.png campaign.png discussion.png trend.png`);
