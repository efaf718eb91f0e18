import { z } from 'zod';

// The shapes of what the ledger issues, as zod schemas: the Open Badges 3.0 credential (a W3C Verifiable
// Credential, data model 2.0), its Bitstring Status List entry, and the status list credential. The
// builders produce these types and the verifier parses a credential's payload with them, so a payload
// that lacks what a verifier needs is named field by field.

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
// Open Badges 3.0, context version 3.0.3 (the current one at 1EdTech's purl).
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** The JOSE `typ` of a credential secured with VC-JOSE-COSE (section 3.1.1), and of its status list. */
export const VC_JWT_TYPE = 'vc+jwt';

const Url = z.url({ error: 'must be an absolute URL' });
const DateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const IssuerProfile = z.object({
  id: Url,
  type: z.array(z.string()).refine((t) => t.includes('Profile'), 'must include Profile'),
  name: z.string().min(1),
  url: Url.optional(),
  description: z.string().optional(),
});
export type IssuerProfile = z.infer<typeof IssuerProfile>;

export const Alignment = z.object({
  type: z.tuple([z.literal('Alignment')]),
  targetName: z.string().min(1),
  targetUrl: Url,
  targetCode: z.string().optional(),
  targetFramework: z.string().optional(),
  targetType: z.string().optional(),
  targetDescription: z.string().optional(),
});
export type Alignment = z.infer<typeof Alignment>;

export const Achievement = z.object({
  id: Url,
  type: z.tuple([z.literal('Achievement')]),
  achievementType: z.string(),
  name: z.string().min(1),
  description: z.string().min(1),
  criteria: z.object({ id: Url.optional(), narrative: z.string().min(1) }),
  creditsAvailable: z.number().optional(),
  fieldOfStudy: z.string().optional(),
  humanCode: z.string().optional(),
  inLanguage: z.string().optional(),
  version: z.string().optional(),
  tag: z.array(z.string()).optional(),
  creator: z.object({ id: Url, type: z.array(z.string()), name: z.string() }).optional(),
  alignment: z.array(Alignment).optional(),
});
export type Achievement = z.infer<typeof Achievement>;

/** The recipient, by a salted hash of their email address (Open Badges 3.0, IdentityObject). */
export const IdentityObject = z.object({
  type: z.literal('IdentityObject'),
  identityHash: z.string().regex(/^sha256\$[0-9a-f]{64}$/, 'must be sha256$ and 64 hex digits'),
  identityType: z.literal('emailAddress'),
  hashed: z.literal(true),
  salt: z.string().min(16),
});

export const StatusListEntry = z.object({
  id: Url,
  type: z.literal('BitstringStatusListEntry'),
  statusPurpose: z.literal('revocation'),
  statusListIndex: z.string().regex(/^\d+$/, 'must be a non-negative integer as a string'),
  statusListCredential: Url,
});
export type StatusListEntry = z.infer<typeof StatusListEntry>;

export const Evidence = z.object({
  id: z.string().optional(),
  type: z.tuple([z.literal('Evidence')]),
  name: z.string(),
  description: z.string().optional(),
  genre: z.string().optional(),
  narrative: z.string().optional(),
});

export const OpenBadgeCredential = z.object({
  '@context': z
    .array(z.string())
    .refine(
      (c) => c[0] === VC_CONTEXT && c.includes(OB_CONTEXT),
      'must start with the VC 2.0 context and include the Open Badges 3.0 context',
    ),
  id: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/, 'must be a urn:uuid'),
  type: z
    .array(z.string())
    .refine(
      (t) => t.includes('VerifiableCredential') && t.includes('OpenBadgeCredential'),
      'must include VerifiableCredential and OpenBadgeCredential',
    ),
  issuer: IssuerProfile,
  name: z.string().min(1),
  validFrom: DateTime,
  awardedDate: DateTime.optional(),
  credentialSubject: z.object({
    type: z
      .array(z.string())
      .refine((t) => t.includes('AchievementSubject'), 'must include AchievementSubject'),
    identifier: z.array(IdentityObject).min(1),
    achievement: Achievement,
    creditsEarned: z.number().optional(),
    activityStartDate: DateTime.optional(),
  }),
  evidence: z.array(Evidence).optional(),
  credentialStatus: StatusListEntry,
  credentialSchema: z.array(z.object({ id: Url, type: z.string() })).optional(),
});
export type OpenBadgeCredential = z.infer<typeof OpenBadgeCredential>;

export const StatusListCredential = z.object({
  '@context': z.array(z.string()).refine((c) => c[0] === VC_CONTEXT, 'must start with the VC 2.0 context'),
  id: Url,
  type: z
    .array(z.string())
    .refine((t) => t.includes('BitstringStatusListCredential'), 'must include BitstringStatusListCredential'),
  issuer: z.union([Url, IssuerProfile]),
  validFrom: DateTime,
  credentialSubject: z.object({
    id: Url,
    type: z.literal('BitstringStatusList'),
    statusPurpose: z.literal('revocation'),
    encodedList: z.string().regex(/^u[A-Za-z0-9_-]+$/, 'must be multibase base64url (u...)'),
    ttl: z.number().int().positive().optional(),
  }),
});
export type StatusListCredential = z.infer<typeof StatusListCredential>;
