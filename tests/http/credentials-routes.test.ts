import { beforeAll, describe, expect, it } from 'vitest';
import { changeOneByte, statusBit } from '../support/credentials.ts';
import { auth, demoServer, type Who } from '../support/http.ts';

// The verifiable-award routes for every kind of caller: the issuer's profile, keys, status lists, the
// check by id and verification answer anyone without a token; the credential itself is the student's
// (and registry's); the PDFs are also for admins and the cohort's external examiner.

const ALL: Who[] = [
  'anonymous',
  'registry',
  'admin',
  'tutor',
  'otherTutor',
  'examiner',
  'otherExaminer',
  'student',
  'otherStudent',
];
const only =
  (...allowed: Who[]) =>
  (who: Who) =>
    allowed.includes(who) ? 'allow' : 'deny';

describe('verifiable-award routes', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let jwt: string;
  let credentialId: string;

  beforeAll(async () => {
    server = await demoServer();
    const issued = await server.app.inject({
      method: 'POST',
      url: `/students/${server.studentId}/credentials`,
      headers: auth(server.tokens.student),
    });
    expect(issued.statusCode).toBe(201);
    jwt = issued.json().jwt;
    credentialId = issued.json().credentialId;
  });

  it('answers every caller as the role rules say', async () => {
    const s = () => server.studentId;
    const routes: {
      method: 'GET' | 'POST';
      url: () => string;
      rule: 'public' | ((who: Who) => 'allow' | 'deny');
      body?: () => string;
    }[] = [
      { method: 'GET', url: () => '/credentials/issuer', rule: 'public' },
      { method: 'GET', url: () => '/credentials/issuer/jwks.json', rule: 'public' },
      { method: 'GET', url: () => '/credentials/status/1', rule: 'public' },
      { method: 'GET', url: () => `/credentials/${credentialId}`, rule: 'public' },
      {
        method: 'GET',
        url: () => '/credentials/achievements/blended-3module/1/national-award',
        rule: 'public',
      },
      { method: 'GET', url: () => '/credentials/frameworks/nasenco-national/1', rule: 'public' },
      { method: 'POST', url: () => '/credentials/verify', rule: 'public', body: () => jwt },
      { method: 'POST', url: () => `/students/${s()}/credentials`, rule: only('registry', 'student') },
      { method: 'GET', url: () => `/students/${s()}/credentials`, rule: only('registry', 'student') },
      {
        method: 'GET',
        url: () => `/students/${s()}/award-letter.pdf`,
        rule: only('registry', 'admin', 'examiner', 'student'),
      },
      {
        method: 'GET',
        url: () => `/students/${s()}/transcript.pdf`,
        rule: only('registry', 'admin', 'examiner', 'student'),
      },
    ];
    const failures: string[] = [];
    for (const route of routes)
      for (const who of ALL) {
        const response = await server.app.inject({
          method: route.method,
          url: route.url(),
          headers: { ...auth(server.tokens[who]), ...(route.body ? { 'content-type': 'text/plain' } : {}) },
          ...(route.body ? { payload: route.body() } : {}),
        });
        const expected =
          route.rule === 'public'
            ? [200]
            : who === 'anonymous'
              ? [401]
              : route.rule(who) === 'deny'
                ? [403]
                : [200, 201];
        if (!expected.includes(response.statusCode))
          failures.push(
            `${route.method} ${route.url()} as ${who}: ${response.statusCode}, expected ${expected}: ${response.body.slice(0, 120)}`,
          );
      }
    expect(failures).toEqual([]);
  });

  it('verifies a credential sent as text, as application/vc+jwt or as JSON, and says what is wrong', async () => {
    const verify = (payload: string | object, type: string) =>
      server.app.inject({
        method: 'POST',
        url: '/credentials/verify',
        headers: { 'content-type': type },
        payload,
      });
    for (const [payload, type] of [
      [jwt, 'text/plain'],
      [jwt, 'application/vc+jwt'],
      [{ jwt }, 'application/json'],
    ] as const) {
      const r = await verify(payload, type);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ verdict: 'valid', status: 'active' });
    }
    const tampered = await verify(changeOneByte(jwt), 'application/vc+jwt');
    expect(tampered.json()).toMatchObject({ verdict: 'tampered', credential: null });
    const decoded = await verify({ credential: { id: 'urn:uuid:x' } }, 'application/json');
    expect(decoded.statusCode).toBe(400);
    expect(decoded.json().error).toMatchObject({ code: 'invalid_credential', issues: [{ field: 'body' }] });
  });

  it('serves the keys and a signed status list; withdrawing the award revokes the credential', async () => {
    const jwks = await server.app.inject({ method: 'GET', url: '/credentials/issuer/jwks.json' });
    expect(jwks.headers['content-type']).toMatch(/application\/jwk-set\+json/);
    const keys = jwks.json().keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(keys[0].d).toBeUndefined();

    const listed = await server.app.inject({
      method: 'GET',
      url: `/students/${server.studentId}/credentials`,
      headers: auth(server.tokens.registry),
    });
    const [credential] = listed.json().credentials;
    const index = Number(credential.statusListIndex);
    const awardEventId = credential.awardEventId;
    const withdraw = await server.app.inject({
      method: 'POST',
      url: `/students/${server.studentId}/withdraw-award`,
      headers: auth(server.tokens.registry),
      payload: { awardEventId, reason: 'Degree-mill evidence found', withdrawnOn: '2024-12-01' },
    });
    expect(withdraw.statusCode).toBe(201);

    const status = await server.app.inject({ method: 'GET', url: '/credentials/status/1' });
    expect(status.headers['content-type']).toMatch(/application\/vc\+jwt/);
    expect(statusBit(status.body, index)).toBe(true);
    const verdict = await server.app.inject({ method: 'POST', url: '/credentials/verify', payload: { jwt } });
    expect(verdict.json().verdict).toBe('revoked');
    const check = await server.app.inject({ method: 'GET', url: `/credentials/${credentialId}` });
    expect(check.json()).toMatchObject({
      status: 'revoked',
      achievement: 'National Award for SEN Coordination',
    });
    expect(JSON.stringify(check.json())).not.toContain(server.studentId);
    const again = await server.app.inject({
      method: 'POST',
      url: `/students/${server.studentId}/credentials`,
      headers: auth(server.tokens.registry),
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('no_standing_award');
  });
});
