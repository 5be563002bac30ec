// Webhook delivery latency under a steady event rate, against a running suite: registers a
// webhook to a receiver in this process, creates assessments at RATE a second for SECONDS (one
// assessment.created event each, open loop: a slow answer does not slow the schedule), and
// measures, per event, from its commit time (the body's timestamp, taken when the write
// began, so the figure errs high) to the receiver's arrival; every signature is verified.
// The reference: the same receiver POSTed directly at the same rate, so the figure shows what
// the outbox adds to one loopback HTTP hop.
//   node tests/load/webhook-latency.mjs API KEY ORG [rate=100] [seconds=30]
import crypto from 'node:crypto';
import http from 'node:http';

const [API, KEY, ORG, RATE = '100', SECONDS = '30'] = process.argv.slice(2);
const rate = Number(RATE);
const seconds = Number(SECONDS);
const arrivals = new Map();  // event id -> {latencyMs, count}
let secret = '';
let badSignatures = 0;

function verified(headers, body) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = crypto.createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return (headers['webhook-signature'] || '').split(' ').some((s) => s.split(',')[1] === mac);
}

const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/direct') {
      res.writeHead(200).end();
      return;
    }
    if (!verified(req.headers, body)) badSignatures += 1;
    const event = JSON.parse(body);
    const seen = arrivals.get(event.id);
    if (seen) seen.count += 1;
    else arrivals.set(event.id, { latencyMs: now - Date.parse(event.timestamp), count: 1 });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => { receiver.listen(0, '127.0.0.1', resolve); });
const port = receiver.address().port;

async function api(method, path, body) {
  const res = await fetch(`${API}${path}`, { method, body: body && JSON.stringify(body),
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1] };
};

// Fires `task` RATE times a second for `duration` seconds without waiting for answers.
async function openLoop(duration, task) {
  const pending = [];
  const start = performance.now();
  const total = Math.round(rate * duration);
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => { setTimeout(r, wait); });
    pending.push(task(i));
  }
  const results = await Promise.allSettled(pending);
  return { total, failed: results.filter((r) => r.status === 'rejected').length,
    seconds: (performance.now() - start) / 1000 };
}

// The reference: a direct POST of a body like an event's to the same receiver.
const direct = [];
const sample = JSON.stringify({ id: 'evt_reference', type: 'assessment.created', timestamp: new Date().toISOString(),
  data: { organizationId: ORG, assessmentId: 'as_reference', revision: 1 } });
await openLoop(Math.min(10, seconds), async () => {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/direct`, { method: 'POST', body: sample });
  await res.arrayBuffer();
  direct.push(performance.now() - t0);
});

const hook = await api('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/events`, events: ['assessment.created'] });
secret = hook.secret;
const load = await openLoop(seconds, (i) => api('POST', `/v1/organizations/${ORG}/assessments`,
  { catalogueId: 'isogj-soc-csirt', title: `latency ${i}`, assessedOn: '2026-12-01' }));
const created = load.total - load.failed;
const deadline = Date.now() + 60000;
while (arrivals.size < created && Date.now() < deadline) await new Promise((r) => { setTimeout(r, 100); });
receiver.close();
await api('DELETE', `/v1/webhooks/${hook.id}`);

const lat = summary([...arrivals.values()].map((a) => a.latencyMs));
const ref = summary(direct);
const duplicates = [...arrivals.values()].filter((a) => a.count > 1).length;
console.log(`events: ${created} created at ${(created / load.seconds).toFixed(1)}/s (${load.failed} writes failed), `
  + `${arrivals.size} delivered, ${duplicates} delivered twice, ${badSignatures} bad signatures`);
console.log(`commit -> receiver (ms): p50 ${lat.p50} p95 ${lat.p95} p99 ${lat.p99} max ${lat.max}`);
console.log(`reference, direct POST to the receiver (ms): p50 ${ref.p50.toFixed(1)} p95 ${ref.p95.toFixed(1)} `
  + `p99 ${ref.p99.toFixed(1)} max ${ref.max.toFixed(1)}`);
console.log(`RESULT events=${created} delivered=${arrivals.size} duplicates=${duplicates} bad=${badSignatures} `
  + `rate=${(created / load.seconds).toFixed(1)} p50=${lat.p50} p95=${lat.p95} p99=${lat.p99} max=${lat.max} `
  + `ref_p50=${ref.p50.toFixed(1)} ref_p99=${ref.p99.toFixed(1)}`);
process.exit(arrivals.size === created && badSignatures === 0 ? 0 : 1);
