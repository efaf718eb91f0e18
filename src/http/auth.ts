import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ledger } from '../app/ledger.ts';
import { tokenInUrl } from '../auth/redact.ts';
import type { Principal, TokenStore } from '../auth/tokens.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { LedgerError } from '../errors.ts';
import type { Role } from '../store/port.ts';

// Authentication (bearer tokens, src/auth/tokens.ts) and the role rules, in one place:
// - registry: every record; confers awards.        - admin: mark corrections, specifications, erasure.
// - tutor: records for the cohorts assigned to them. - examiner: read-only, for their cohorts.
// - student: reads their own record only.

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const unauthenticated = (message = 'sign in with a bearer token (Authorization: Bearer <token>)') =>
  new LedgerError('unauthenticated', 'unauthenticated', message);
export const forbidden = (message: string) => new LedgerError('forbidden', 'forbidden', message);

/** Paths under these prefixes are the API and need a token; the rest (health, docs, pages) are public. */
const PROTECTED =
  /^\/(students|cohorts|reviews|verify|checkpoints|deadlines|specifications|frameworks|me|staff)(\/|\?|$)/;

export function registerAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // Refused even with a good header: a URL is logged, kept in history and sent on as Referer.
    if (tokenInUrl(request.url))
      throw new LedgerError(
        'unauthenticated',
        'token_in_url',
        'a token in the URL is refused: send it only as "Authorization: Bearer <token>"; the token may have leaked, so revoke it',
      );
    const header = request.headers.authorization;
    // Authentication comes first, before the body is even validated: an anonymous caller learns nothing.
    if (!header) {
      if (PROTECTED.test(request.url)) throw unauthenticated();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const principal = tokens.verify(match[1]!);
    if (!principal) throw unauthenticated('the token is not valid (revoked or mistyped)');
    request.principal = principal;
  });
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): Principal {
  const p = requirePrincipal(request);
  if (!roles.includes(p.role))
    throw forbidden(`this needs one of the roles ${roles.join(', ')}; you are ${p.role}`);
  return p;
}

export class Access {
  constructor(private readonly ledger: Ledger) {}

  cohortsOf(p: Principal): Set<string> | 'all' {
    if (p.role === 'registry' || p.role === 'admin') return 'all';
    const out = new Set<string>();
    if (p.role === 'tutor' || p.role === 'examiner') {
      for (const c of this.ledger.projections.cohorts.cohorts.values())
        if ((p.role === 'tutor' ? c.tutors : c.examiners).has(p.id)) out.add(c.cohortId);
    }
    return out;
  }

  canReadStudent(p: Principal, record: StudentRecord): boolean {
    if (p.role === 'student') return p.id === record.studentId;
    const cohorts = this.cohortsOf(p);
    if (cohorts === 'all') return true;
    return record.enrolment !== null && cohorts.has(record.enrolment.cohortId);
  }

  /** The record, if this principal may read it. Unknown and forbidden look alike to a student. */
  readableRecord(p: Principal, studentId: string): StudentRecord {
    const record = this.ledger.projections.students.records.get(`student-${studentId}`);
    if (!record) throw new LedgerError('not_found', 'unknown_student', `there is no student ${studentId}`);
    if (!this.canReadStudent(p, record)) {
      if (p.role === 'student') throw forbidden('a student may read only their own record');
      throw forbidden(`student ${studentId} is not in a cohort assigned to you`);
    }
    return record;
  }

  canSeePersonalData(p: Principal, record: StudentRecord): boolean {
    if (p.role === 'examiner') return false; // examiners sample work by student id, not by name
    return this.canReadStudent(p, record);
  }

  assertCanReadCohort(p: Principal, cohortId: string): void {
    const cohorts = this.cohortsOf(p);
    if (cohorts !== 'all' && !cohorts.has(cohortId))
      throw forbidden(`cohort ${cohortId} is not assigned to you`);
  }
}
