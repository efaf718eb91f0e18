import { createHash } from 'node:crypto';
import type { PersonalDetails } from '../../events/personal.ts';
import { refused } from '../errors.ts';
import type { Queries } from './queries/index.ts';

// Who an applicant is, so that nobody is registered twice (by POST /students sent twice, or a cohort's
// file imported twice): an applicant is their teacher reference number (unique to a teacher in England,
// issued by the DfE), or, for one without, their email address (trimmed, case ignored). An application
// is a duplicate of a record that applied for the same programme with that identity and is still
// standing: not withdrawn, not erased. Such an application is refused (422 duplicate_applicant, naming
// the student); someone who withdrew may apply again, and another programme is another application.
//
// Personal details are sealed in the log, so each record's are unsealed once and remembered only as
// digests (never in clear); an erased record drops out at once, because its erasure is on the record.

export interface Identity {
  /** The identity's digest, e.g. of `trn:1234567`. */
  key: string;
  matchedBy: 'teacher reference number' | 'email';
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/** What identifies an applicant: the teacher reference number, else the email. */
export function identityOf(personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>): Identity {
  return personal.teacherReferenceNumber
    ? { key: digest(`trn:${personal.teacherReferenceNumber}`), matchedBy: 'teacher reference number' }
    : { key: digest(`email:${personal.email.trim().toLowerCase()}`), matchedBy: 'email' };
}

/** Every identity a record answers to: its teacher reference number and its email. */
function identitiesOf(personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>): string[] {
  const email = identityOf({ email: personal.email, teacherReferenceNumber: null }).key;
  return personal.teacherReferenceNumber ? [identityOf(personal).key, email] : [email];
}

export { programmeOf } from '../../projections/student-columns.ts';

export interface ExistingApplicant {
  studentId: string;
  matchedBy: Identity['matchedBy'];
}

export class ApplicantRegister {
  /** Per student id, the digests of the identities its application gave (null: none readable). */
  private readonly known = new Map<string, string[] | null>();

  constructor(private readonly queries: Queries) {}

  /** The standing record on this programme that the applicant already has, if any. */
  find(
    programmeId: string,
    personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>,
  ): ExistingApplicant | null {
    const wanted = identityOf(personal);
    // from the read models' columns (programme, standing, erasure, the sealed details): no record is read
    for (const { studentId, sealed } of this.queries.standingApplicants(programmeId))
      if (this.identities(studentId, sealed)?.includes(wanted.key))
        return { studentId, matchedBy: wanted.matchedBy };
    return null;
  }

  /** Refuses an application that duplicates a standing record (see above). */
  assertNew(programmeId: string, personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>): void {
    const existing = this.find(programmeId, personal);
    if (existing) throw duplicateApplicant(programmeId, existing);
  }

  private identities(studentId: string, sealed: string): string[] | null {
    if (!this.known.has(studentId)) {
      const personal = this.queries.unsealColumn(sealed);
      // Not remembered while unreadable (a key not yet visible to this process): asked again next time.
      if (!personal) return null;
      this.known.set(studentId, identitiesOf(personal));
    }
    return this.known.get(studentId) ?? null;
  }
}

export function duplicateApplicant(programmeId: string, existing: ExistingApplicant) {
  return refused(
    'duplicate_applicant',
    `this applicant (the same ${existing.matchedBy}) already applied for ${programmeId}: student ${existing.studentId}. Use that record; to register them again, withdraw it first`,
    { studentId: existing.studentId, matchedBy: existing.matchedBy, programmeId },
  );
}
