import { z } from 'zod';
import type { Describes } from '../app/json.ts';
import type { AwardCredentials, IssuedCredential } from './award-credentials.ts';
import { Achievement, IssuerProfile, OpenBadgeCredential } from './schema.ts';
import type { Verification } from './verify.ts';

// What the credential routes answer, as zod schemas for the API document; each is checked against the
// type the credentials code builds (Describes), so the two cannot drift.

const Context = z.array(z.string()).describe('JSON-LD contexts: VC 2.0 and Open Badges 3.0');

export const IssuerView = IssuerProfile.extend({
  '@context': Context,
  jwks_uri: z.string(),
  keys: z.array(z.object({ kid: z.string(), createdAt: z.string(), retiredAt: z.string().nullable() })),
});

export const AchievementView = Achievement.extend({ '@context': Context });

export const IssuedCredentialSchema = z.object({
  credentialId: z.string(),
  awardEventId: z.string(),
  award: z.object({ title: z.string(), conferredOn: z.string(), examBoardId: z.string() }).nullable(),
  issuedAt: z.string(),
  kid: z.string().nullable(),
  statusListCredential: z.string(),
  statusListIndex: z.string(),
  status: z.enum(['active', 'revoked']),
  checkUrl: z
    .string()
    .describe('public: where anyone holding the id can check it (the award letter QR code)'),
  jwt: z.string().nullable().describe('the signed credential (VC-JOSE compact JWS); null once erased'),
  credential: OpenBadgeCredential.nullable(),
});
const _issued: Describes<z.output<typeof IssuedCredentialSchema>, IssuedCredential> = true;

export const VerificationSchema = z.object({
  verdict: z.enum(['valid', 'tampered', 'revoked', 'unknown-key', 'invalid', 'status-unknown']),
  reasons: z.array(z.string()),
  kid: z.string().nullable(),
  credential: OpenBadgeCredential.nullable().describe('once its signature is checked, never before'),
  status: z.enum(['active', 'revoked', 'not-checked', 'unknown']),
});
const _verification: Describes<z.output<typeof VerificationSchema>, Verification> = true;

export const CredentialCheckSchema = z.object({
  credentialId: z.string(),
  issuer: IssuerProfile,
  achievement: z.string().nullable(),
  awardedOn: z.string().nullable(),
  issuedAt: z.string(),
  status: z.enum(['active', 'revoked']),
  statusListCredential: z.string(),
  statusListIndex: z.string(),
  verify: z.string(),
});
const _check: Describes<z.output<typeof CredentialCheckSchema>, ReturnType<AwardCredentials['check']>> = true;
