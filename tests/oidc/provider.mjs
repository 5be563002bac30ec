// A real OpenID provider for the tests: oidc-provider (npm, pinned in package.json) with the
// clients and people the identity tests sign in as. Started by tests/run.sh; by hand:
//   node tests/oidc/provider.mjs --port 0 --redirect http://localhost:8080/auth/callback
// `--customers bob=org_1,org_2` gives a person other soc_customers (organisations made by the
// test before it starts the provider).
// When it listens it prints one JSON line on stdout: {"issuer":"http://127.0.0.1:PORT","port":PORT}.
// Its keys are made at each start (RSA and EC P-256, each with a key id), so no test can
// depend on a key. Sign-in goes through oidc-provider's own development screens: a login
// form that takes a person's id (any password) and a consent form.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const redirects = [];
args.forEach((a, i) => {
  if (a === '--redirect' && i + 1 < args.length) redirects.push(args[i + 1]);
});
if (redirects.length === 0) redirects.push('http://localhost:8080/auth/callback');
const port = Number(option('port', '0'));
const host = option('host', '127.0.0.1');

// The people of the tests. `groups` carries the role the tenant maps; `soc_customers` the
// organisations a scoped person may see.
export const PEOPLE = {
  alice: { email: 'alice@acme.test', name: 'Alice Admin', groups: ['soc-admins'] },
  bob: {
    email: 'bob@acme.test',
    name: 'Bob Analyst',
    groups: ['soc-analysts'],
    soc_customers: ['org-a', 'org-b'],
  },
  carol: { email: 'carol@acme.test', name: 'Carol Nobody', groups: ['marketing'] },
};
args.forEach((a, i) => {
  if (a !== '--customers' || i + 1 >= args.length) return;
  const [who, orgs] = args[i + 1].split('=');
  if (PEOPLE[who]) PEOPLE[who].soc_customers = (orgs ?? '').split(',').filter(Boolean);
});

async function signingKey(alg, kid) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg, use: 'sig' };
}

const server = await new Promise((resolve) => {
  // Listen first so that the issuer can name the port the system chose.
  import('node:http').then(({ createServer }) => {
    const s = createServer();
    s.listen(port, host, () => resolve(s));
  });
});
const issuer = `http://${host}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'soc-maturity',
      client_secret: 'soc-maturity-test-secret',
      redirect_uris: redirects,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'soc-maturity-es',
      client_secret: 'soc-maturity-es-test-secret',
      redirect_uris: redirects,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [await signingKey('RS256', 'test-rsa-1'), await signingKey('ES256', 'test-ec-1')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    soc: ['groups', 'soc_customers'],
  },
  scopes: ['openid', 'email', 'profile', 'soc'],
  // The ID token carries the person's claims itself; the relying party needs no userinfo call.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['soc-maturity-tests-only'] },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...person };
      },
    };
  },
});
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, port: server.address().port })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
