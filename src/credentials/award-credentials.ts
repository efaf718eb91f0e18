import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Ledger } from '../app/ledger.ts';
import { type StudentRecord, standingAward } from '../domain/student-record.ts';
import { notFound, refused } from '../errors.ts';
import type { Issuer } from './issuer.ts';
import type { IssuedRow } from './issuer-store.ts';
import { buildCredential } from './open-badge.ts';
import type { OpenBadgeCredential } from './schema.ts';
import { sealCopy, unsealCopy } from './sealed-copy.ts';
import { statusListCredential, statusListUrl } from './status-list.ts';
import { type Verification, verifyCredential } from './verify.ts';

// Issuing, listing and checking award credentials against the ledger. The ledger is read through its
// public queries only (record, personalDetails, reproduce, reference data, clock); what the issuer keeps
// is in its own database. A credential's status is worked out from the log each time it is asked for:
// an award withdrawn in the log is a revoked credential, whichever process appended the withdrawal.

export interface IssuedCredential {
  credentialId: string;
  awardEventId: string;
  award: { title: string; conferredOn: string; examBoardId: string } | null;
  issuedAt: string;
  kid: string | null;
  statusListCredential: string;
  statusListIndex: string;
  status: 'active' | 'revoked';
  /** Public: where anyone holding the id can check it (the award letter's QR code). */
  checkUrl: string;
  /** The signed credential (VC-JOSE compact JWS); null once the student's personal data was erased. */
  jwt: string | null;
  credential: OpenBadgeCredential | null;
}

export class AwardCredentials {
  private statusCache = new Map<number, { key: string; jwt: string }>();

  constructor(
    private readonly ledger: Ledger,
    readonly issuer: Issuer,
  ) {}

  /** The credential for the student's standing award: the one already issued, or a new one. */
  async issue(studentId: string): Promise<{ created: boolean; issued: IssuedCredential }> {
    const record = this.ledger.queries.record(studentId);
    const award = standingAward(record);
    if (!award)
      throw refused(
        'no_standing_award',
        `student ${studentId} holds no conferred award (none conferred, or it was withdrawn)`,
      );
    const existing = this.issuer.store.findByAward(award.ref.eventId);
    if (existing?.sealed) return { created: false, issued: this.view(existing) };
    // After an erasure the email (and the key that sealed it) are gone: nothing new is issued from them.
    const key = this.ledger.keys.find(studentId);
    const details = record.erasure || !key ? null : this.ledger.queries.personalDetails(record);
    if (!key || !details)
      throw refused(
        'personal_data_erased',
        `student ${studentId}'s personal data was erased: no new credential can be issued`,
      );
    const reproduction = (await this.ledger.queries.reproduce(studentId)).find(
      (r) => r.awardEventId === award.ref.eventId,
    );
    if (!reproduction?.reproduced)
      throw refused(
        'award_not_reproduced',
        `the decision behind award ${award.ref.eventId} does not reproduce from the log; check GET /students/${studentId}/reproduce`,
      );
    const spec = this.ledger.reference.specification(
      award.specification.programmeId,
      award.specification.version,
    );
    const framework = this.ledger.reference.framework(
      spec.outcomes.frameworkId,
      spec.outcomes.frameworkVersion,
    );
    const now = this.ledger.clock();
    const row = this.issuer.store.reserve({
      credentialId: randomUUID(),
      studentId,
      awardEventId: award.ref.eventId,
      issuedAt: now.toISOString(),
    });
    const credential = buildCredential({
      base: this.issuer.base,
      issuer: this.issuer.profile(),
      credentialId: row.credentialId,
      issuedAt: new Date(row.issuedAt),
      spec,
      framework,
      award,
      creditsEarned: reproduction.decision.credits.earned,
      enrolledOn: record.enrolment?.enrolledOn ?? null,
      recipient: { email: details.email, salt: randomBytes(16).toString('hex') },
      status: { list: row.list, index: row.index },
    });
    const { jwt, kid } = await this.issuer.sign(credential, now);
    const sealed = sealCopy(key, row.credentialId, jwt);
    // Another process issuing for the same award at the same moment: the first stored copy is the credential.
    const stored = this.issuer.store.complete(row.credentialId, kid, sealed);
    return { created: stored.sealed === sealed, issued: this.view(stored) };
  }

  list(studentId: string): IssuedCredential[] {
    this.ledger.queries.record(studentId);
    return this.issuer.store
      .forStudent(studentId)
      .filter((r) => r.sealed)
      .map((r) => this.view(r));
  }

  /** The public check of one credential by its id: no personal data, no student id. */
  check(credentialId: string) {
    const row = this.issuer.store.findById(credentialId);
    if (!row?.sealed) throw notFound('unknown_credential', `no credential ${credentialId} was issued here`);
    const award = this.awardOf(row);
    return {
      credentialId,
      issuer: this.issuer.profile(),
      achievement: award?.title ?? null,
      awardedOn: award?.conferredOn ?? null,
      issuedAt: row.issuedAt,
      status: this.revoked(row) ? ('revoked' as const) : ('active' as const),
      statusListCredential: statusListUrl(this.issuer.base, row.list),
      statusListIndex: String(row.index),
      verify: `POST the credential (its compact JWS) to ${this.issuer.base}/credentials/verify to check its signature and status`,
    };
  }

  /** The signed status list credential; list 1 exists before anything is issued. */
  async statusList(list: number): Promise<string> {
    if (list !== 1 && !this.issuer.store.lists().includes(list))
      throw notFound('unknown_status_list', `there is no status list ${list}`);
    const revoked = this.issuer.store
      .inList(list)
      .filter((r) => this.revoked(r))
      .map((r) => r.index)
      .sort((a, b) => a - b);
    const { kid } = await this.issuer.store.currentKey(this.ledger.clock());
    const key = `${kid}:${revoked.join(',')}`;
    const cached = this.statusCache.get(list);
    if (cached?.key === key) return cached.jwt;
    const now = this.ledger.clock();
    const url = statusListUrl(this.issuer.base, list);
    const unsigned = statusListCredential({
      issuerId: this.issuer.id,
      url,
      revoked,
      validFrom: now.toISOString(),
    });
    const { jwt } = await this.issuer.sign(unsigned, now);
    this.statusCache.set(list, { key, jwt });
    return jwt;
  }

  /** Verifies as a third party would, with this ledger's published keys and status lists. */
  verify(jwt: string): Promise<Verification> {
    const prefix = `${this.issuer.base}/credentials/status/`;
    return verifyCredential(jwt, {
      jwks: this.issuer.jwks(),
      now: this.ledger.clock(),
      statusList: async (url) => {
        const list = url.startsWith(prefix) ? Number(url.slice(prefix.length)) : Number.NaN;
        if (!Number.isInteger(list) || list < 1) return null;
        return this.statusList(list).catch(() => null);
      },
    });
  }

  /** The credential of the student's standing award, if one was issued and is still readable. */
  standing(record: StudentRecord): IssuedCredential | null {
    const award = standingAward(record);
    const row = award ? this.issuer.store.findByAward(award.ref.eventId) : null;
    return row?.sealed ? this.view(row) : null;
  }

  private awardOf(row: IssuedRow) {
    return (
      this.ledger.queries.record(row.studentId).awards.find((a) => a.ref.eventId === row.awardEventId) ?? null
    );
  }

  private revoked(row: IssuedRow): boolean {
    return this.awardOf(row)?.withdrawn != null;
  }

  private view(row: IssuedRow): IssuedCredential {
    const jwt = row.sealed
      ? unsealCopy(this.ledger.keys.find(row.studentId), row.credentialId, row.sealed)
      : null;
    const award = this.awardOf(row);
    return {
      credentialId: row.credentialId,
      awardEventId: row.awardEventId,
      award: award
        ? { title: award.title, conferredOn: award.conferredOn, examBoardId: award.examBoardId }
        : null,
      issuedAt: row.issuedAt,
      kid: row.kid,
      statusListCredential: statusListUrl(this.issuer.base, row.list),
      statusListIndex: String(row.index),
      status: this.revoked(row) ? 'revoked' : 'active',
      checkUrl: `${this.issuer.base}/credentials/${row.credentialId}`,
      jwt,
      credential: jwt ? credentialOf(jwt) : null,
    };
  }
}

/** The credential inside a JWS, without the registered claims that repeat it. */
function credentialOf(jwt: string): OpenBadgeCredential {
  const { iss: _iss, jti: _jti, iat: _iat, nbf: _nbf, ...credential } = decodeJwt(jwt);
  return credential as unknown as OpenBadgeCredential;
}
