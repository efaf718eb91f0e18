import { gunzipSync } from 'node:zlib';
import type { Ledger } from '../../src/app/ledger.ts';
import { AwardCredentials } from '../../src/credentials/award-credentials.ts';
import { Issuer } from '../../src/credentials/issuer.ts';
import { IssuerStore } from '../../src/credentials/issuer-store.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { testLedger } from './ledger.ts';

export const PUBLIC_URL = 'https://ledger.example';

/** The demo ledger on 1 December 2026 (after every demo fact), with an issuer. */
export async function demoWithIssuer(issuerDb = ':memory:') {
  // on or after the demo's last fact (2026-11-20): a fact is never recorded before it happens
  const { ledger, setToday } = await testLedger('2026-12-01');
  await loadDemo(ledger);
  const issuer = new Issuer(new IssuerStore(issuerDb), {
    name: 'Test SENCO provider',
    publicUrl: PUBLIC_URL,
  });
  return { ledger, setToday, issuer, credentials: new AwardCredentials(ledger, issuer) };
}

/** A demo student's id by their name (the demo's names are fixed: src/demo/load.ts). */
export function studentNamed(ledger: Ledger, fullName: string): string {
  for (const id of ledger.queries.studentIds()) {
    if (ledger.queries.personalDetails(ledger.queries.record(id))?.fullName === fullName) return id;
  }
  throw new Error(`no demo student ${fullName}`);
}

export async function withdrawAward(ledger: Ledger, studentId: string): Promise<void> {
  const award = ledger.queries.record(studentId).awards.at(-1)!;
  await ledger.execute(
    studentId,
    'withdrawAward',
    {
      awardEventId: award.ref.eventId,
      reason: 'Academic misconduct found on appeal',
      withdrawnOn: '2024-11-20',
    },
    { actor: staff.registry },
  );
}

export async function erase(ledger: Ledger, studentId: string): Promise<void> {
  await ledger.execute(
    studentId,
    'erasePersonalData',
    { requestReference: 'DPA-2024-031', erasedOn: '2024-11-20' },
    { actor: staff.admin },
  );
}

/** The JWS with one character of its payload changed (in the middle, never a padding bit). */
export function changeOneByte(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const at = Math.floor(payload.length / 2);
  const swapped = payload[at] === 'A' ? 'B' : 'A';
  return `${header}.${payload.slice(0, at)}${swapped}${payload.slice(at + 1)}.${signature}`;
}

/** The payload of a compact JWS, read here without the code under test. */
export function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The bit at an index of a status list credential's list, decoded as the specification describes. */
export function statusBit(statusListJwt: string, index: number): boolean {
  const subject = payloadOf(statusListJwt).credentialSubject as { encodedList: string };
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
  return ((bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1) === 1;
}
