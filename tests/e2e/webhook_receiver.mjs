// A webhook receiver for the tests, on loopback. It verifies each delivery's signature on its
// own, with Node's crypto and the Standard Webhooks rules (key = base64 of the secret after
// "whsec_"; HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>"; any "v1,<base64>" of
// the space-separated list may match; the timestamp within five minutes), and keeps what it
// received for the test to read.
//
//   node webhook_receiver.mjs        prints {"msg":"serving","http_port":N}
//   POST /control {"path":"/a","secret":"whsec_…","statuses":[500,500],"location":"…"}
//        what /a answers: the statuses in turn, then 200 (a 3xx with Location when given)
//   GET  /control/received           every delivery: path, headers, body, verified, time
import http from 'node:http';
import crypto from 'node:crypto';

const routes = new Map();
const received = [];

function verify(secret, headers, body) {
  if (!secret || !secret.startsWith('whsec_')) return 'no secret';
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return 'a header is missing';
  if (!/^\d+$/.test(timestamp)) return 'the timestamp is not a number';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'the timestamp is too old';
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return 'ok';
  }
  return 'no signature matches';
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const server = http.createServer(async (request, response) => {
  const body = await readBody(request);
  const path = request.url;
  if (path === '/control' && request.method === 'POST') {
    const rule = JSON.parse(body);
    routes.set(rule.path, { secret: rule.secret, statuses: rule.statuses || [],
                            location: rule.location || '' });
    response.writeHead(204).end();
    return;
  }
  if (path === '/control/received') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
    return;
  }
  const route = routes.get(path) || { secret: '', statuses: [], location: '' };
  const status = route.statuses.length > 0 ? route.statuses.shift() : 200;
  received.push({
    path,
    method: request.method,
    headers: request.headers,
    body,
    verified: verify(route.secret, request.headers, body),
    status,
    receivedAtMs: Date.now(),
  });
  const headers = route.location && status >= 300 && status < 400 ? { location: route.location } : {};
  response.writeHead(status, headers).end();
});

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'serving', http_port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
