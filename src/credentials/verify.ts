import { createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet, jwtVerify } from 'jose';
import type { z } from 'zod';
import { OpenBadgeCredential, StatusListCredential, VC_JWT_TYPE } from './schema.ts';
import { bitAt, decodeList } from './status-list.ts';

// Verifying a credential as a third party would, with nothing but the issuer's published keys and its
// status list: the same function runs behind POST /credentials/verify and the offline command line.
// Every answer carries its reasons; only a credential whose signature, shape and status all check out
// is `valid`.

export type Verdict = 'valid' | 'tampered' | 'revoked' | 'unknown-key' | 'invalid' | 'status-unknown';

export interface Verification {
  verdict: Verdict;
  reasons: string[];
  kid: string | null;
  /** The credential, once its signature is checked (never from an unverified payload). */
  credential: OpenBadgeCredential | null;
  status: 'active' | 'revoked' | 'not-checked' | 'unknown';
}

export interface VerifyOptions {
  jwks: JSONWebKeySet;
  /** The verifier's clock (validity is judged against it). */
  now: Date;
  /** The signed status list credential at a URL, or null when it cannot be had; omit to skip the check. */
  statusList?: (url: string) => Promise<string | null>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const answer = (
  verdict: Verdict,
  reasons: string[],
  rest: Partial<Omit<Verification, 'verdict' | 'reasons'>> = {},
): Verification => ({ verdict, reasons, kid: null, credential: null, status: 'not-checked', ...rest });

/** Checks a compact JWS against the keys: the verified payload, or a Verification saying why not. */
async function checkSignature(
  jwt: string,
  jwks: JSONWebKeySet,
  now: Date,
  what: string,
): Promise<{ payload: Record<string, unknown>; kid: string } | Verification> {
  if (!COMPACT_JWS.test(jwt))
    return answer('invalid', [`the ${what} is not a compact JWS (three base64url parts separated by dots)`]);
  let kid: string | null = null;
  try {
    const header = decodeProtectedHeader(jwt);
    kid = typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return answer('tampered', [
      `the ${what}'s protected header is not readable: it was changed after signing`,
    ]);
  }
  if (!kid) return answer('invalid', [`the ${what} names no key (no "kid" in its header)`]);
  if (!jwks.keys.some((k) => k.kid === kid))
    return answer(
      'unknown-key',
      [
        `the ${what} was signed with key ${kid}, which is not among the issuer's ${jwks.keys.length} published keys`,
      ],
      { kid },
    );
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA'],
      typ: VC_JWT_TYPE,
      currentDate: now,
    });
    return { payload: payload as Record<string, unknown>, kid };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return answer(
        'tampered',
        [`the ${what}'s signature does not match its content: a byte was changed after signing`],
        { kid },
      );
    if (error instanceof errors.JWKSNoMatchingKey)
      return answer('unknown-key', [`no published key ${kid} fits the ${what}`], { kid });
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JOSEAlgNotAllowed)
      return answer('invalid', [`the ${what} fails a check: ${(error as Error).message}`], { kid });
    if (error instanceof errors.JOSEError)
      return answer('tampered', [`the ${what} cannot be read as signed: ${error.message}`], { kid });
    throw error;
  }
}

const issues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'credential'}: ${i.message}`);

export async function verifyCredential(jwt: string, options: VerifyOptions): Promise<Verification> {
  const checked = await checkSignature(jwt.trim(), options.jwks, options.now, 'credential');
  if ('verdict' in checked) return checked;
  const { kid } = checked;
  const parsed = OpenBadgeCredential.safeParse(checked.payload);
  if (!parsed.success)
    return answer(
      'invalid',
      ['the signature holds, but this is not an Open Badges 3.0 credential', ...issues(parsed.error)],
      { kid },
    );
  const credential = parsed.data;
  if (checked.payload.iss !== credential.issuer.id)
    return answer(
      'invalid',
      [
        `the "iss" claim (${String(checked.payload.iss)}) contradicts the credential's issuer (${credential.issuer.id})`,
      ],
      { kid, credential },
    );
  const reasons = [`signed by ${credential.issuer.name} with key ${kid}; the content is as signed`];
  if (!options.statusList) {
    reasons.push('revocation status not checked (no status list was given)');
    return { verdict: 'valid', reasons, kid, credential, status: 'not-checked' };
  }
  const entry = credential.credentialStatus;
  const status = await checkStatus(
    entry.statusListCredential,
    Number(entry.statusListIndex),
    credential.issuer.id,
    options,
  );
  if (status.error)
    return {
      verdict: 'status-unknown',
      reasons: [...reasons, status.error],
      kid,
      credential,
      status: 'unknown',
    };
  if (status.revoked)
    return {
      verdict: 'revoked',
      reasons: [
        ...reasons,
        `the issuer's status list ${entry.statusListCredential} marks index ${entry.statusListIndex} revoked: the award was withdrawn`,
      ],
      kid,
      credential,
      status: 'revoked',
    };
  reasons.push(`not revoked: index ${entry.statusListIndex} of ${entry.statusListCredential} is clear`);
  return { verdict: 'valid', reasons, kid, credential, status: 'active' };
}

async function checkStatus(
  url: string,
  index: number,
  issuerId: string,
  options: VerifyOptions,
): Promise<{ revoked?: boolean; error?: string }> {
  const jwt = await options.statusList!(url);
  if (!jwt) return { error: `the status list ${url} could not be had` };
  const checked = await checkSignature(jwt.trim(), options.jwks, options.now, 'status list');
  if ('verdict' in checked)
    return { error: `the status list is not trustworthy: ${checked.reasons.join('; ')}` };
  const parsed = StatusListCredential.safeParse(checked.payload);
  if (!parsed.success) return { error: `the status list is malformed: ${issues(parsed.error).join('; ')}` };
  const list = parsed.data;
  if (list.id !== url) return { error: `the status list given is ${list.id}, not the credential's ${url}` };
  const listIssuer = typeof list.issuer === 'string' ? list.issuer : list.issuer.id;
  if (listIssuer !== issuerId)
    return { error: `the status list was issued by ${listIssuer}, not ${issuerId}` };
  try {
    return { revoked: bitAt(decodeList(list.credentialSubject.encodedList), index) };
  } catch (error) {
    return { error: `the status list cannot be read: ${(error as Error).message}` };
  }
}
