import type { Role } from '../../events/envelope.ts';
import type { Principal } from '../auth/tokens.ts';
import { cohortCommandDefinitions } from '../domain/cohort.ts';
import { commandDefinitions } from '../domain/commands.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { LedgerError } from '../errors.ts';
import type { Ledger } from './ledger.ts';

// Who may read and do what, whichever door they came in by (the API, the web pages' /me):
// - registry: every record; confers awards.        - admin: mark corrections, specifications, erasure.
// - tutor: records for the cohorts assigned to them. - examiner: read-only, for their cohorts.
// - student: reads their own record only.

export const unauthenticated = (message = 'sign in with a bearer token (Authorization: Bearer <token>)') =>
  new LedgerError('unauthenticated', 'unauthenticated', message);
export const forbidden = (message: string) => new LedgerError('forbidden', 'forbidden', message);

/** Anything that carries the caller once authenticated (a request, after the API's token check). */
export interface Caller {
  principal: Principal | null;
}

export function requirePrincipal(caller: Caller): Principal {
  if (!caller.principal) throw unauthenticated();
  return caller.principal;
}

export function requireRole(caller: Caller, roles: readonly Role[]): Principal {
  const p = requirePrincipal(caller);
  if (!roles.includes(p.role))
    throw forbidden(`this needs one of the roles ${roles.join(', ')}; you are ${p.role}`);
  return p;
}

/** Every role that signs in: each reads what is theirs (a student their own record). */
export const READERS = ['registry', 'admin', 'tutor', 'examiner', 'student'] as const;
/** The staff: tutors and examiners see their cohorts, registry and admins all. */
export const STAFF = ['registry', 'admin', 'tutor', 'examiner'] as const;
/** The registry's office: registry officers and admins. */
export const OFFICE = ['registry', 'admin'] as const;

/** Who may use the registry's own routes (src/http/registry.ts); the pages read the same list through /me. */
export const REGISTRY_ABILITIES = {
  uploadApplicants: ['registry'],
  listStaff: ['registry', 'admin'],
  searchStudents: ['registry', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

/** The commands and registry abilities a role may use, from the same role lists the API checks. */
export function abilitiesOf(role: Role): string[] {
  const lists: Record<string, readonly Role[]> = {
    ...Object.fromEntries(Object.entries(commandDefinitions).map(([name, d]) => [name, d.roles])),
    ...Object.fromEntries(Object.entries(cohortCommandDefinitions).map(([name, d]) => [name, d.roles])),
    ...REGISTRY_ABILITIES,
  };
  return Object.entries(lists)
    .filter(([, roles]) => roles.includes(role))
    .map(([name]) => name);
}

export class Access {
  constructor(private readonly ledger: Ledger) {}

  cohortsOf(p: Principal): Set<string> | 'all' {
    if (p.role === 'registry' || p.role === 'admin') return 'all';
    if (p.role !== 'tutor' && p.role !== 'examiner') return new Set();
    return new Set(this.ledger.queries.cohortIdsOf(p.role, p.id));
  }

  canReadStudent(p: Principal, record: StudentRecord): boolean {
    if (p.role === 'student') return p.id === record.studentId;
    const cohorts = this.cohortsOf(p);
    if (cohorts === 'all') return true;
    return record.enrolment !== null && cohorts.has(record.enrolment.cohortId);
  }

  /** The record, if this principal may read it. Unknown and forbidden look alike to a student. */
  readableRecord(p: Principal, studentId: string): StudentRecord {
    const record = this.ledger.queries.findRecord(studentId);
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
