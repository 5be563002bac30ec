// An issuer of access tokens for the tests of bearer JWTs, good and hostile: it publishes a
// discovery document and a JWKS like any OpenID provider, and mints on request what a test
// asks for (jose from npm signs; nothing here is the gateway's code):
//   node tests/oidc/token_issuer.mjs --port 0
// prints {"issuer":"http://127.0.0.1:PORT"} once it listens; then
//   POST /mint {"claims": {...}, "header": {...}, "as": "rs256" | "none" | "hs256-public" |
//              "unknown-kid" | "other-key"}
// answers the compact token. "rs256" signs with the published key; "none" writes an unsigned
// token; "hs256-public" signs HS256 with the published public key's PEM as the secret (the
// classic confusion); "unknown-kid" signs with the published key but names a key id the JWKS
// lacks; "other-key" signs with a key that is not published under the published key's id.
import { createServer } from 'node:http';
import { KeyObject } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, base64url } from 'jose';

const args = process.argv.slice(2);
const at = args.indexOf('--port');
const port = at >= 0 ? Number(args[at + 1]) : 0;
const KID = 'issuer-rsa-1';

const published = await generateKeyPair('RS256', { extractable: true });
const stranger = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(published.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
const publicPem = KeyObject.from(published.publicKey).export({ type: 'spki', format: 'pem' });

async function mint({ claims = {}, header = {}, as = 'rs256' }) {
  const now = Math.floor(Date.now() / 1000);
  const body = { iat: now, exp: now + 300, ...claims };
  if (as === 'none') {
    const h = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', ...header }));
    return `${h}.${base64url.encode(JSON.stringify(body))}.`;
  }
  if (as === 'hs256-public') {
    return new SignJWT(body).setProtectedHeader({ alg: 'HS256', kid: KID, ...header })
      .sign(new TextEncoder().encode(publicPem));
  }
  const key = as === 'other-key' ? stranger.privateKey : published.privateKey;
  const kid = as === 'unknown-kid' ? 'not-in-the-jwks' : KID;
  return new SignJWT(body).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt', ...header }).sign(key);
}

const server = createServer(async (req, res) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const send = (status, type, text) => {
    res.writeHead(status, { 'content-type': type });
    res.end(text);
  };
  if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
    return send(200, 'application/json', JSON.stringify({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
    }));
  }
  if (req.method === 'GET' && req.url === '/jwks') {
    return send(200, 'application/json', JSON.stringify({ keys: [jwk] }));
  }
  if (req.method === 'POST' && req.url === '/mint') {
    let text = '';
    for await (const chunk of req) text += chunk;
    try {
      return send(200, 'text/plain', await mint(JSON.parse(text)));
    } catch (err) {
      return send(400, 'text/plain', String(err));
    }
  }
  return send(404, 'text/plain', 'not found');
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: `http://127.0.0.1:${server.address().port}` })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
