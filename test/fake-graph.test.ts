import { test } from 'uvu';
import * as assert from 'uvu/assert';
import tlsModule, { rootCertificates } from 'node:tls';
import { request } from 'node:https';
import { PublicClientApplication } from '@azure/msal-node';
import { canarySecret, prodClientId, tenant, testClientId, tls, verifier } from './helpers/world.ts';
import { signJwt } from './helpers/fake-entra.ts';
import {
  delegatedToken,
  msalAuth,
  startFakeEntraUser,
  type FakeEntraUser,
  type UserFlowBehaviour,
} from './helpers/fake-entra-user.ts';
import { startFakeGraph, type FakeGraph, type GraphBehaviour } from './helpers/fake-graph.ts';
import { contosoTenant, exchangeAppId, exchangeRoles } from './helpers/graph-directory.ts';
import { visit } from './helpers/sign-in-browser.ts';
import { admin, adminSignIn, graphCommandLineTools, startTenantWorld } from './helpers/tenant-world.ts';

// Both fakes proven with the real clients: msal-node's PublicClientApplication (unmodified, its own fetch-based
// HTTP client and loopback listener) signs in against the fake authorization endpoint; Node's https, trusting only
// the test CA, reads the fake Graph with the token it got.

const scopes = ['https://graph.microsoft.com/Application.Read.All', 'https://graph.microsoft.com/Policy.Read.All'];

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/**
 * msal's fetch reads NODE_EXTRA_CA_CERTS only at process start (the CLI gets it in its environment); in this process
 * the test CA is added to Node's own list while `body` runs, as mail-clients.test does for its TLS client.
 */
async function trustingTestCa<T>(body: () => Promise<T>): Promise<T> {
  const { cert } = await tls();
  const original = tlsModule.createSecureContext;
  tlsModule.createSecureContext = ((o: tlsModule.SecureContextOptions = {}) =>
    original({ ...o, ca: [...rootCertificates, cert] })) as typeof original;
  try {
    return await body();
  } finally {
    tlsModule.createSecureContext = original;
  }
}

const pca = (url: string) =>
  new PublicClientApplication({
    auth: msalAuth({ url }, tenant, graphCommandLineTools),
    system: { loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => undefined } },
  });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  bytes: number;
}

/** GET from Graph as a careful client does: the test CA only, a time limit, at most `capBytes` of answer. */
async function graphGet(
  url: string,
  token: string | undefined,
  o: { timeoutMs?: number; capBytes?: number } = {},
): Promise<Answer> {
  const { cert } = await tls();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const req = request(url, { ca: cert, headers, signal: AbortSignal.timeout(o.timeoutMs ?? 5000) }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > (o.capBytes ?? Infinity)) return req.destroy(new Error(`answer over ${o.capBytes} bytes`));
        chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(Buffer.concat(chunks).toString()),
          bytes,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `body` against a fake authorization endpoint and a fake Graph, closed whatever happens. */
async function withWorld(
  graph: Partial<GraphBehaviour>,
  signIn: Partial<UserFlowBehaviour>,
  body: (w: { entra: FakeEntraUser; graph: FakeGraph }) => Promise<void>,
): Promise<void> {
  const t = await tls();
  const entra = await startFakeEntraUser(t, adminSignIn(signIn));
  const fake = await startFakeGraph(t, { tenant: contosoTenant(), ...graph });
  try {
    await body({ entra, graph: fake });
  } finally {
    logs.push(entra.requests, fake.requests);
    await Promise.all([entra.close(), fake.close()]);
  }
}

/** Every token the sign-ins issued and every request log of the fakes, checked against each other at the end. */
const secretsSeen: string[] = [];
const logs: unknown[] = [];

test('interactive sign-in: msal-node (PKCE, form_post, loopback listener) gets a delegated Graph token; Graph answers the application', async () => {
  await withWorld({}, {}, async (w) => {
    const { cert } = await tls();
    let browser: Awaited<ReturnType<typeof visit>> | undefined;
    const result = await trustingTestCa(() =>
      pca(w.entra.url).acquireTokenInteractive({
        scopes,
        openBrowser: async (url) => void (browser = await visit(url, cert)),
      }),
    );
    const c = claims(result.accessToken);
    assert.is(c.aud, 'https://graph.microsoft.com');
    assert.is(c.tid, tenant);
    assert.is(c.upn, admin.upn);
    assert.is(c.scp, 'Application.Read.All Policy.Read.All');
    assert.is(result.account?.username, admin.upn);
    assert.is(result.tenantId, tenant);

    // What msal asked: no discovery (authorityMetadata), the authorize page, then one token POST with the verifier.
    assert.equal(
      w.entra.requests.map((r) => `${r.method} ${r.path}`),
      [`GET /${tenant}/oauth2/v2.0/authorize`, `POST /${tenant}/oauth2/v2.0/token`],
    );
    const [authorize, token] = w.entra.requests;
    assert.is(authorize!.params.code_challenge_method, 'S256');
    assert.match(authorize!.params.code_challenge!, /^[A-Za-z0-9_-]{43}$/);
    assert.is(authorize!.params.response_mode, 'form_post');
    assert.match(authorize!.params.redirect_uri!, /^http:\/\/localhost:\d+$/);
    assert.is(token!.params.grant_type, 'authorization_code');
    assert.is(token!.params.code_verifier, '<redacted>');
    assert.is(token!.params.redirect_uri, authorize!.params.redirect_uri);
    // The "browser": the authorize URL, then the form posted to msal's loopback listener, which thanked it.
    assert.is(browser!.steps.length, 2);
    assert.match(browser!.steps[1]!, /^POST http:\/\/localhost:\d+\/$/);
    assert.is(browser!.status, 200);
    assert.match(browser!.body, /Auth code was successfully acquired/);

    const app = await graphGet(`${w.graph.url}/v1.0/applications(appId='${prodClientId}')`, result.accessToken);
    assert.is(app.status, 200);
    assert.is(app.body['@odata.context'], 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity');
    assert.is(app.body.appId, prodClientId);
    assert.is(app.body.displayName, 'Bizagi HR mail (production)');
    assert.is(app.body.signInAudience, 'AzureADMyOrg');
    assert.equal(app.body.requiredResourceAccess, [
      {
        resourceAppId: exchangeAppId,
        resourceAccess: [
          exchangeRoles['IMAP.AccessAsApp'],
          exchangeRoles['POP.AccessAsApp'],
          exchangeRoles['SMTP.SendAsApp'],
        ].map((id) => ({ id, type: 'Role' })),
      },
    ]);
    assert.equal(Object.keys(app.body.passwordCredentials[0]).sort(), [
      'customKeyIdentifier',
      'displayName',
      'endDateTime',
      'hint',
      'keyId',
      'secretText',
      'startDateTime',
    ]);
    assert.is(app.body.passwordCredentials[0].endDateTime, '2027-11-30T00:00:00Z');
    assert.equal(app.body.web.redirectUris, []);
    assert.equal(
      w.graph.requests.map((r) => [r.route, r.status, r.scopes]),
      [['application', 200, ['Application.Read.All', 'Policy.Read.All']]],
    );
    secretsSeen.push(result.accessToken, result.idToken);
  });
});

test('interactive sign-in refused on the sign-in page (user declined): msal throws the server error, no token POST', async () => {
  await withWorld(
    {},
    { authorizeError: { error: 'access_denied', code: 65004, text: 'User declined to consent to access the app.' } },
    async (w) => {
      const { cert } = await tls();
      const e = await trustingTestCa(() =>
        pca(w.entra.url)
          .acquireTokenInteractive({ scopes, openBrowser: async (url) => void (await visit(url, cert)) })
          .then(
            () => undefined,
            (e: { errorCode?: string; errorMessage?: string }) => e,
          ),
      );
      assert.is(e?.errorCode, 'access_denied');
      assert.match(e?.errorMessage ?? '', /AADSTS65004: User declined to consent/);
      assert.equal(
        w.entra.requests.map((r) => r.method),
        ['GET'],
      );
    },
  );
});

test('PKCE is checked: a code redeemed with another verifier is refused (AADSTS501481), a code is single-use', async () => {
  await withWorld({}, {}, async (w) => {
    const { cert } = await tls();
    const app = pca(w.entra.url);
    const verifier = 'v'.repeat(43);
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://localhost:1';
    const codeFor = async () => {
      const url = await trustingTestCa(() =>
        app.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256' }),
      );
      const stop = await visit(url, cert, 1); // response_mode query: a redirect the browser would follow
      assert.is(stop.status, 302);
      const code = new URL(stop.location!).searchParams.get('code')!;
      secretsSeen.push(code);
      return code;
    };
    const redeem = (code: string, codeVerifier: string) =>
      trustingTestCa(() => app.acquireTokenByCode({ code, codeVerifier, redirectUri, scopes })).then(
        (r) => r,
        (e: { errorCode?: string; errorNo?: string }) => e,
      );
    const wrong = (await redeem(await codeFor(), 'w'.repeat(43))) as { errorCode?: string; errorNo?: string };
    assert.is(wrong.errorCode, 'invalid_grant');
    assert.is(String(wrong.errorNo), '501481');
    const code = await codeFor();
    const ok = (await redeem(code, verifier)) as { accessToken?: string };
    assert.ok(ok.accessToken);
    const again = (await redeem(code, verifier)) as { errorNo?: string };
    assert.is(String(again.errorNo), '54005');
  });
});

test("without authorityMetadata msal first reads the openid configuration the fake serves; the product's way, it does not", async () => {
  await withWorld({}, { device: { pending: 0, outcome: 'ok', interval: 1 } }, async (w) => {
    const { authorityMetadata: _, ...discovering } = msalAuth(w.entra, tenant, graphCommandLineTools);
    const app = new PublicClientApplication({
      auth: discovering,
      system: { loggerOptions: { loggerCallback: () => undefined } },
    });
    const result = await trustingTestCa(() =>
      app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: () => undefined }),
    );
    assert.ok(result?.accessToken);
    assert.equal(
      w.entra.requests.map((r) => `${r.method} ${r.path}`),
      [
        `GET /${tenant}/v2.0/.well-known/openid-configuration`,
        `POST /${tenant}/oauth2/v2.0/devicecode`,
        `POST /${tenant}/oauth2/v2.0/token`,
      ],
    );
  });
});

test('the sign-in page refuses an unregistered redirect URI (AADSTS50011) and an unknown client (AADSTS700016) without redirecting', async () => {
  await withWorld(
    {},
    { client: { id: graphCommandLineTools, redirectUris: ['http://localhost', 'https://app.contoso.com/cb'] } },
    async (w) => {
      const { cert } = await tls();
      const urlFor = (clientId: string, redirectUri: string) =>
        trustingTestCa(() =>
          new PublicClientApplication({ auth: msalAuth(w.entra, tenant, clientId) }).getAuthCodeUrl({
            scopes,
            redirectUri,
          }),
        );
      const wrong = await visit(await urlFor(graphCommandLineTools, 'https://app.contoso.com/other'), cert);
      assert.is(wrong.status, 400);
      assert.match(wrong.body, /AADSTS50011: The redirect URI 'https:\/\/app\.contoso\.com\/other'/);
      const stranger = await visit(await urlFor(testClientId, 'http://localhost:5000'), cert);
      assert.match(stranger.body, /AADSTS700016: Application with identifier '0b1c2d3e/);
      // A loopback URI matches the registered http://localhost on any port; an exact https one matches itself.
      for (const uri of ['http://localhost:5000', 'https://app.contoso.com/cb']) {
        const ok = await visit(await urlFor(graphCommandLineTools, uri), cert, 1);
        assert.is(ok.status, 302);
        assert.ok(ok.location!.startsWith(uri));
      }
      assert.equal(
        w.entra.requests.filter((r) => r.method === 'POST'),
        [],
      );
    },
  );
});

test('device code: authorization_pending twice, polled at the interval, then a token that reads Graph', async () => {
  await withWorld({}, { device: { pending: 2, outcome: 'ok', interval: 1 } }, async (w) => {
    let shown: { message: string; userCode: string; verificationUri: string } | undefined;
    const result = await trustingTestCa(() =>
      pca(w.entra.url).acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => void (shown = r) }),
    );
    assert.ok(result);
    assert.is(shown!.verificationUri, 'https://microsoft.com/devicelogin');
    assert.match(shown!.message, new RegExp(`enter the code ${shown!.userCode} to authenticate`));
    const polls = w.entra.requests.filter((r) => r.path.endsWith('/token'));
    assert.equal(
      w.entra.requests.map((r) => r.path.split('/').pop()),
      ['devicecode', 'token', 'token', 'token'],
    );
    assert.is(polls[0]!.params.grant_type, 'device_code');
    assert.is(polls[0]!.params.device_code, '<redacted>');
    for (let i = 1; i < polls.length; i++) assert.ok(polls[i]!.at - polls[i - 1]!.at >= 900, 'msal waits the interval');
    assert.is(claims(result!.accessToken).scp, 'Application.Read.All Policy.Read.All');
    const sp = await graphGet(`${w.graph.url}/v1.0/servicePrincipals(appId='${exchangeAppId}')`, result!.accessToken);
    assert.is(sp.status, 200);
    assert.equal(
      sp.body.appRoles.map((r: { value: string; id: string }) => [r.value, r.id]),
      Object.entries(exchangeRoles),
    );
    secretsSeen.push(result!.accessToken);
  });
});

test('device code expired (expired_token) and blocked by Conditional Access (AADSTS53003): what msal throws, what the answer says', async () => {
  for (const outcome of ['expired', 'blocked'] as const) {
    await withWorld({}, { device: { pending: 1, outcome, interval: 1 } }, async (w) => {
      // The answer bodies, as a product's own network client sees them (msal keeps only `error` of a polling failure).
      const bodies: any[] = [];
      const send = async (method: string, url: string, o?: { headers?: Record<string, string>; body?: string }) => {
        const res = await fetch(url, { method, headers: o?.headers, body: o?.body });
        const body = await res.json();
        bodies.push(body);
        return { status: res.status, headers: Object.fromEntries(res.headers), body };
      };
      const app = new PublicClientApplication({
        auth: msalAuth(w.entra, tenant, graphCommandLineTools),
        system: {
          loggerOptions: { loggerCallback: () => undefined },
          networkClient: {
            sendGetRequestAsync: (url, o) => send('GET', url, o) as never,
            sendPostRequestAsync: (url, o) => send('POST', url, o) as never,
          },
        },
      });
      const e = await trustingTestCa(() =>
        app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: () => undefined }).then(
          () => undefined,
          (e: { errorCode?: string; errorMessage?: string }) => e,
        ),
      );
      assert.is(e?.errorCode, 'post_request_failed');
      const last = bodies.at(-1);
      if (outcome === 'expired') {
        assert.match(e?.errorMessage ?? '', /expired_token/);
        assert.is(last.error, 'expired_token');
      } else {
        assert.match(e?.errorMessage ?? '', /invalid_grant/);
        assert.not.match(e?.errorMessage ?? '', /53003/); // the cause is only in the answer
        assert.is(last.error, 'invalid_grant');
        assert.equal(last.error_codes, [53003]);
        assert.match(last.error_description, /^AADSTS53003: Access has been blocked by Conditional Access policies\./);
        assert.is(last.suberror, 'message_only');
      }
      assert.is(bodies.filter((b) => b.error === 'authorization_pending').length, 1);
    });
  }
});

test('Graph: appRoleAssignments paged with @odata.nextLink (configurable page size, $top honoured)', async () => {
  await withWorld({ pageSize: 1 }, {}, async (w) => {
    const token = delegatedToken(adminSignIn(), ['Application.Read.All']);
    const sp = (await graphGet(`${w.graph.url}/v1.0/servicePrincipals(appId='${prodClientId}')`, token)).body;
    assert.is(sp.id, '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b');
    assert.is(sp.accountEnabled, true);
    const ids: string[] = [];
    let next: string | undefined = `${w.graph.url}/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`;
    let pages = 0;
    while (next) {
      const page = await graphGet(next, token);
      assert.is(page.status, 200);
      assert.is(page.body.value.length, 1);
      for (const a of page.body.value) {
        assert.equal(Object.keys(a).sort(), [
          'appRoleId',
          'createdDateTime',
          'deletedDateTime',
          'id',
          'principalDisplayName',
          'principalId',
          'principalType',
          'resourceDisplayName',
          'resourceId',
        ]);
        assert.is(a.principalId, sp.id);
        assert.is(a.principalType, 'ServicePrincipal');
        ids.push(a.appRoleId);
      }
      next = page.body['@odata.nextLink'];
      pages++;
    }
    assert.is(pages, 3);
    assert.equal(
      ids.sort(),
      [exchangeRoles['IMAP.AccessAsApp'], exchangeRoles['POP.AccessAsApp'], exchangeRoles['SMTP.SendAsApp']].sort(),
    );
    assert.equal(
      w.graph.requests.filter((r) => r.route === 'appRoleAssignments').map((r) => r.query.$skiptoken !== undefined),
      [false, true, true],
    );
    const byAppId = await graphGet(
      `${w.graph.url}/v1.0/servicePrincipals(appId='${prodClientId}')/appRoleAssignments`,
      token,
    );
    assert.is(byAppId.body.value[0].principalId, sp.id);
    const top = await graphGet(`${w.graph.url}/v1.0/servicePrincipals/${sp.id}/appRoleAssignments?$top=2`, token);
    assert.is(top.body.value.length, 2);
    assert.ok(top.body['@odata.nextLink']);
    w.graph.behaviour.nextLinkBase = 'https://graph.microsoft.com';
    const real = await graphGet(`${w.graph.url}/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`, token);
    assert.match(real.body['@odata.nextLink'], /^https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\//);
    const bad = await graphGet(
      `${w.graph.url}/v1.0/servicePrincipals/${sp.id}/appRoleAssignments?$skiptoken=nope`,
      token,
    );
    assert.is(bad.body.error.code, 'Directory_ExpiredPageToken');
  });
});

test('Graph: $filter, $select, 404 Request_ResourceNotFound, policies and organization in their documented shapes', async () => {
  const t = contosoTenant();
  t.appManagementPolicy = {
    isEnabled: true,
    passwordCredentials: [
      {
        restrictionType: 'passwordLifetime',
        maxLifetime: 'P180D',
        restrictForAppsCreatedAfterDateTime: '2025-01-01T00:00:00Z',
      },
    ],
  };
  t.securityDefaults.isEnabled = true;
  await withWorld({ tenant: t }, {}, async (w) => {
    const token = delegatedToken(adminSignIn(), ['Application.Read.All', 'Policy.Read.All', 'User.Read']);
    const u = w.graph.url;
    const filtered = await graphGet(
      `${u}/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${testClientId}'`)}&$select=id,appId,passwordCredentials`,
      token,
    );
    assert.is(filtered.body['@odata.context'], 'https://graph.microsoft.com/v1.0/$metadata#applications');
    assert.equal(
      filtered.body.value.map((a: object) => Object.keys(a)),
      [['id', 'appId', 'passwordCredentials']],
    );
    const byId = await graphGet(`${u}/v1.0/applications/${filtered.body.value[0].id}`, token);
    assert.is(byId.body.appId, testClientId);
    const none = await graphGet(
      `${u}/v1.0/applications?$filter=appId%20eq%20'00000000-0000-4000-8000-000000000000'`,
      token,
    );
    assert.equal(none.body.value, []);
    const missing = await graphGet(`${u}/v1.0/applications(appId='00000000-0000-4000-8000-000000000000')`, token);
    assert.is(missing.status, 404);
    assert.is(missing.body.error.code, 'Request_ResourceNotFound');
    assert.equal(Object.keys(missing.body.error.innerError).sort(), ['client-request-id', 'date', 'request-id']);
    const quoted = await graphGet(`${u}/v1.0/applications(appId='it''s')`, token);
    assert.is(quoted.status, 404);
    assert.match(quoted.body.error.message, /Resource 'it's' does not exist/);
    const policy = (await graphGet(`${u}/v1.0/policies/defaultAppManagementPolicy`, token)).body;
    assert.is(policy.isEnabled, true);
    assert.equal(policy.applicationRestrictions.passwordCredentials[0].maxLifetime, 'P180D');
    assert.equal(policy.servicePrincipalRestrictions, { passwordCredentials: [], keyCredentials: [] });
    const defaults = (await graphGet(`${u}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`, token)).body;
    assert.is(defaults.id, '00000000-0000-0000-0000-000000000005');
    assert.is(defaults.isEnabled, true);
    const org = (await graphGet(`${u}/v1.0/organization`, token)).body;
    assert.is(org.value[0].id, tenant);
    const unknown = await graphGet(`${u}/v1.0/nothing`, token);
    assert.is(unknown.status, 400);
    assert.is(unknown.body.error.code, 'BadRequest');
  });
});

test('Graph: 401 without or with a foreign token, 403 Authorization_RequestDenied without the scope or the role', async () => {
  await withWorld({ denyRoutes: ['securityDefaults'] }, {}, async (w) => {
    const u = `${w.graph.url}/v1.0/policies/defaultAppManagementPolicy`;
    const none = await graphGet(u, undefined);
    assert.is(none.status, 401);
    assert.is(none.body.error.code, 'InvalidAuthenticationToken');
    assert.match(String(none.headers['www-authenticate']), /^Bearer /);
    const outlook = signJwt({
      aud: 'https://outlook.office365.com',
      tid: tenant,
      exp: Date.now() / 1000 + 600,
      scp: 'Policy.Read.All',
    });
    assert.match((await graphGet(u, outlook)).body.error.message, /Invalid audience/);
    const expired = delegatedToken(adminSignIn(), ['Policy.Read.All'], { exp: Math.floor(Date.now() / 1000) - 60 });
    assert.match((await graphGet(u, expired)).body.error.message, /expired/);
    const appsOnly = delegatedToken(adminSignIn(), ['Application.Read.All']);
    const denied = await graphGet(u, appsOnly);
    assert.is(denied.status, 403);
    assert.equal(denied.body.error.code, 'Authorization_RequestDenied');
    assert.is(denied.body.error.message, 'Insufficient privileges to complete the operation.');
    const withScope = delegatedToken(adminSignIn(), ['Policy.Read.All']);
    assert.is((await graphGet(u, withScope)).status, 200);
    assert.is(
      (await graphGet(`${w.graph.url}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`, withScope)).status,
      403,
    );
  });
});

test('Graph: the first N requests to a path answer 429 with Retry-After; a client that waits gets the answer', async () => {
  await withWorld({ throttle: [{ path: '/v1.0/applications', count: 2, retryAfter: '1' }] }, {}, async (w) => {
    const token = delegatedToken(adminSignIn(), ['Application.Read.All']);
    const url = `${w.graph.url}/v1.0/applications(appId='${testClientId}')`;
    const started = Date.now();
    let answer = await graphGet(url, token);
    const waits: string[] = [];
    while (answer.status === 429) {
      assert.is(answer.body.error.code, 'TooManyRequests');
      waits.push(String(answer.headers['retry-after']));
      await new Promise((r) => setTimeout(r, Number(answer.headers['retry-after']) * 1000));
      answer = await graphGet(url, token);
    }
    assert.equal(waits, ['1', '1']);
    assert.is(answer.status, 200);
    assert.ok(Date.now() - started >= 2000);
    assert.equal(
      w.graph.requests.map((r) => r.status),
      [429, 429, 200],
    );
    // Other paths are not throttled.
    assert.is((await graphGet(`${w.graph.url}/v1.0/servicePrincipals(appId='${testClientId}')`, token)).status, 200);
  });
});

test('Graph: a silent server is ended by the client time limit; a slow one answers late; an oversize answer is cut at the cap', async () => {
  const token = delegatedToken(adminSignIn(), ['Application.Read.All']);
  await withWorld({ misbehave: { silent: true } }, {}, async (silent) => {
    const started = Date.now();
    const err = await graphGet(`${silent.graph.url}/v1.0/organization`, token, { timeoutMs: 300 }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.is(err?.name, 'AbortError');
    assert.ok(Date.now() - started < 3000);
    assert.is(silent.graph.requests.length, 1, 'the request arrived and was never answered');
  });

  await withWorld({ misbehave: { path: '/v1.0/applications', delayMs: 400 } }, {}, async (slow) => {
    const t0 = Date.now();
    assert.is((await graphGet(`${slow.graph.url}/v1.0/applications(appId='${testClientId}')`, token)).status, 200);
    assert.ok(Date.now() - t0 >= 400);
  });

  await withWorld({ misbehave: { oversizeBytes: 4 * 1024 * 1024 } }, {}, async (big) => {
    const url = `${big.graph.url}/v1.0/applications(appId='${testClientId}')`;
    const cut = await graphGet(url, token, { capBytes: 1024 * 1024 }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.match(String(cut?.message), /answer over 1048576 bytes/);
    const whole = await graphGet(url, token);
    assert.ok(whole.bytes >= 4 * 1024 * 1024);
    assert.is(whole.body.appId, testClientId, 'still valid JSON: only its size is wrong');
  });
});

test("one authority host for both sign-ins: verify (the CLI, client credentials) and the admin's device-code sign-in, then Graph shows the manifest's objects", async () => {
  const outputs: string[] = [];
  const tw = await startTenantWorld({ signIn: { device: { pending: 0, outcome: 'ok', interval: 1 } } });
  try {
    const r = await verifier(outputs)(tw, ['--env', 'production']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASSED: \d+ passed, 0 failed/);
    assert.equal(tw.signIn.requests, [], 'the client-credentials POST was forwarded, not handled as a sign-in');
    assert.is(tw.entra.requests.length, 1);
    const app = new PublicClientApplication({
      auth: msalAuth({ url: tw.authorityHost }, tenant, graphCommandLineTools),
      system: { loggerOptions: { loggerCallback: () => undefined } },
    });
    const signedIn = await trustingTestCa(() =>
      app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: () => undefined }),
    );
    assert.is(claims(signedIn!.accessToken).upn, admin.upn);
    const sp = await graphGet(`${tw.graph.url}/v1.0/servicePrincipals(appId='${prodClientId}')`, signedIn!.accessToken);
    assert.is(sp.body.id, '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b', "the manifest's enterpriseAppObjectId");
    assert.is(tw.entra.requests.length, 1, "the sign-in did not reach the app's fake Entra");
    secretsSeen.push(signedIn!.accessToken);
    for (const o of outputs) assert.not.ok(o.includes(canarySecret));
  } finally {
    logs.push(tw.signIn.requests, tw.graph.requests);
    await tw.close();
  }
});

test('no token, code, verifier or device code is in any request log of the fakes', () => {
  assert.ok(secretsSeen.length >= 4 && logs.length >= 20);
  const all = JSON.stringify(logs);
  for (const s of secretsSeen) assert.not.ok(all.includes(s));
  assert.not.match(all, /eyJ[\w-]+\.eyJ/);
  assert.match(all, /"code_verifier":"<redacted>"/);
  assert.match(all, /"device_code":"<redacted>"/);
});

test.run();
