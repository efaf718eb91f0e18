import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { AwardCredentials } from '../../src/credentials/award-credentials.ts';
import { Issuer } from '../../src/credentials/issuer.ts';
import { IssuerStore } from '../../src/credentials/issuer-store.ts';
import { verifyCredential } from '../../src/credentials/verify.ts';
import { outcomeCodes } from '../../src/domain/outcomes/schema.ts';
import { LedgerError } from '../../src/errors.ts';
import {
  changeOneByte,
  demoWithIssuer,
  erase,
  PUBLIC_URL,
  payloadOf,
  statusBit,
  studentNamed,
  withdrawAward,
} from '../support/credentials.ts';

// A school or an employer checks that a SENCO holds the award, with nothing but the credential, the
// issuer's published keys and its status list.

const dir = mkdtempSync(join(tmpdir(), 'ledger-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<LedgerError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

describe('an Open Badges 3.0 credential for a conferred award', () => {
  it('verifies, carries the award, its criteria, alignment and evidence, and names no one', async () => {
    const { ledger, credentials, issuer } = await demoWithIssuer();
    const amara = studentNamed(ledger, 'Amara Okafor');
    const award = ledger.queries.record(amara).awards[0]!;
    const { created, issued } = await credentials.issue(amara);
    expect(created).toBe(true);
    const jwt = issued.jwt!;

    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', kid: issuer.store.keys()[0]!.kid });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the payload as a third party would, untyped
    const credential = payloadOf(jwt) as Record<string, any>;
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer).toMatchObject({ id: `${PUBLIC_URL}/credentials/issuer`, type: ['Profile'] });
    expect(credential.iss).toBe(credential.issuer.id);
    const achievement = credential.credentialSubject.achievement;
    expect(achievement.name).toBe('National Award for SEN Coordination');
    expect(achievement.creditsAvailable).toBe(60);
    expect(credential.credentialSubject.creditsEarned).toBe(60);
    expect(achievement.criteria.narrative).toContain('60 credits at FHEQ level 7');
    const framework = ledger.reference.framework('nasenco-national', 1);
    const aligned = achievement.alignment.map((a: { targetCode: string }) => a.targetCode);
    expect(aligned).toEqual(['7', ...outcomeCodes(framework)]);
    // The evidence links the decision digest and its log position, as the conferral recorded them.
    const evidence = credential.evidence[0];
    expect(evidence.description).toContain(award.decisionDigest);
    expect(evidence.description).toContain(`log position ${award.decidedAt.position}`);
    // The recipient is a salted hash of their email: the holder proves it by giving the address.
    const [identity] = credential.credentialSubject.identifier;
    const email = ledger.queries.personalDetails(ledger.queries.record(amara))!.email;
    expect(identity.identityHash).toBe(
      `sha256$${createHash('sha256')
        .update(email + identity.salt)
        .digest('hex')}`,
    );
    const text = Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8');
    expect(text).not.toContain('Amara');
    expect(text).not.toContain('Okafor');
    expect(text).not.toContain(email);
    expect(credential.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: `${PUBLIC_URL}/credentials/status/1`,
    });

    const verification = await credentials.verify(jwt);
    expect(verification.verdict).toBe('valid');
    expect(verification.status).toBe('active');
    // Asking again gives the same credential, not a second one.
    const again = await credentials.issue(amara);
    expect(again.created).toBe(false);
    expect(again.issued.jwt).toBe(jwt);
  });

  it('fails as tampered when one byte changes, and names an unknown key', async () => {
    const { ledger, credentials } = await demoWithIssuer();
    const { issued } = await credentials.issue(studentNamed(ledger, 'Ruth Adeyemi'));
    const tampered = await credentials.verify(changeOneByte(issued.jwt!));
    expect(tampered.verdict).toBe('tampered');
    expect(tampered.reasons.join(' ')).toMatch(/signature does not match/);
    expect(tampered.credential).toBeNull();

    // The same credential signed by someone else's key (another issuer claiming this URL).
    const impostor = new Issuer(new IssuerStore(':memory:'), { name: 'Impostor', publicUrl: PUBLIC_URL });
    const forged = await impostor.sign(
      payloadOf(issued.jwt!) as { id: string; validFrom: string },
      new Date(),
    );
    const unknown = await credentials.verify(forged.jwt);
    expect(unknown.verdict).toBe('unknown-key');
    expect(unknown.kid).toBe(forged.kid);

    expect((await credentials.verify('not a credential')).verdict).toBe('invalid');
  });

  it('says revoked once the award is withdrawn, also after a restart and from the status list alone', async () => {
    const issuerDb = join(dir, 'revocation.db');
    const { ledger, credentials } = await demoWithIssuer(issuerDb);
    const dev = studentNamed(ledger, 'Dev Patel');
    const { issued } = await credentials.issue(dev);
    const index = Number(issued.statusListIndex);
    expect(statusBit(await credentials.statusList(1), index)).toBe(false);

    await withdrawAward(ledger, dev);
    const verification = await credentials.verify(issued.jwt!);
    expect(verification.verdict).toBe('revoked');
    expect(verification.reasons.join(' ')).toContain(`index ${index}`);
    expect(statusBit(await credentials.statusList(1), index)).toBe(true);
    expect(credentials.check(issued.credentialId).status).toBe('revoked');
    // No new credential for a withdrawn award.
    expect((await refusal(credentials.issue(dev))).code).toBe('no_standing_award');

    // A new process: a ledger rebuilt from the same log and the issuer database reopened.
    const restarted = new Ledger({
      store: ledger.store,
      keys: ledger.keys,
      reference: ledger.reference,
      clock: ledger.clock,
    });
    await restarted.runner.catchUp();
    const reopened = new Issuer(new IssuerStore(issuerDb), {
      name: 'Test SENCO provider',
      publicUrl: PUBLIC_URL,
    });
    const list = await new AwardCredentials(restarted, reopened).statusList(1);
    expect(statusBit(list, index)).toBe(true);
    const offline = await verifyCredential(issued.jwt!, {
      jwks: reopened.jwks(),
      now: new Date(),
      statusList: async () => list,
    });
    expect(offline.verdict).toBe('revoked');
    reopened.store.close();
  });

  it('keeps credentials signed with an old key valid after the key is rotated', async () => {
    const { ledger, credentials, issuer } = await demoWithIssuer();
    const before = await credentials.issue(studentNamed(ledger, 'Amara Okafor'));
    const rotated = await issuer.store.rotate(ledger.clock());
    const after = await credentials.issue(studentNamed(ledger, 'Jo Evans'));
    expect(before.issued.kid).not.toBe(rotated.kid);
    expect(after.issued.kid).toBe(rotated.kid);
    expect(issuer.jwks().keys.map((k) => k.kid)).toEqual([before.issued.kid, rotated.kid]);
    expect((await credentials.verify(before.issued.jwt!)).verdict).toBe('valid');
    expect((await credentials.verify(after.issued.jwt!)).verdict).toBe('valid');
    // The status list is now signed with the new key, and still covers the old credential.
    const list = await credentials.statusList(1);
    expect(JSON.parse(Buffer.from(list.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.kid);
    // A verifier who was given only the new key cannot check the old credential: it names its key.
    const newOnly = { keys: issuer.jwks().keys.filter((k) => k.kid === rotated.kid) };
    const partial = await verifyCredential(before.issued.jwt!, { jwks: newOnly, now: new Date() });
    expect(partial.verdict).toBe('unknown-key');
  });

  it('still verifies after erasure; nothing new is issued from erased data', async () => {
    const { ledger, credentials } = await demoWithIssuer();
    const amara = studentNamed(ledger, 'Amara Okafor');
    const jo = studentNamed(ledger, 'Jo Evans');
    const { issued } = await credentials.issue(amara);
    await erase(ledger, amara);
    await erase(ledger, jo);

    expect(ledger.queries.personalDetails(ledger.queries.record(amara))).toBeNull();
    const verification = await credentials.verify(issued.jwt!);
    expect(verification.verdict).toBe('valid');
    // The ledger's own copy was sealed with the destroyed key: it is gone with the rest.
    const [listed] = credentials.list(amara);
    expect(listed).toMatchObject({ credentialId: issued.credentialId, status: 'active', jwt: null });
    expect(credentials.check(issued.credentialId).status).toBe('active');
    const refused = await refusal(credentials.issue(jo));
    expect(refused.code).toBe('personal_data_erased');
    expect(credentials.list(jo)).toEqual([]);
  });

  it('is refused without a conferred award', async () => {
    const { ledger, credentials } = await demoWithIssuer();
    const tom = studentNamed(ledger, 'Tom Hughes');
    expect((await refusal(credentials.issue(tom))).code).toBe('no_standing_award');
  });
});
