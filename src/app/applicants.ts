import { createHash } from 'node:crypto';
import type { PersonalDetails } from '../../events/personal.ts';
import { students } from '../../projections/index.ts';
import { refused } from '../errors.ts';
import type { Queries } from './queries/index.ts';
import { STANDING_APPLICANT, streamOf, studentOf } from './queries/records.ts';
import type { ReadModels } from './read-models.ts';

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

/** Changed records beyond which the index is dropped and the columns scanned again (a large import). */
const RESCAN_AFTER = 500;
/** Records whose sealed details are remembered from their last reindex (the students being worked on). */
const SEALED_KEPT = 2000;

interface Indexed {
  programmeId: string;
  /** The digests of the identities its application gave (null: its details not readable yet). */
  identities: string[] | null;
}

/**
 * The standing applicants' identities, by programme, kept in memory as an index: a programme's are read
 * from the columns once (programme, standing, erasure, the sealed details: no record decoded), and from
 * then on only the records an event changed are looked at again, so an application costs the same on
 * any size of ledger (the scan it replaces read every applicant of the programme, each time).
 */
export class ApplicantRegister {
  /** The standing applicants of the programmes scanned, by stream id. */
  private readonly standing = new Map<string, Indexed>();
  /** Stream ids by identity digest (only of records in `standing` whose details were readable). */
  private readonly byIdentity = new Map<string, Set<string>>();
  private readonly scanned = new Set<string>();
  /** The sealed details of those whose key this process cannot read yet (kept only for them). */
  private readonly unreadable = new Map<string, string>();
  /** Records changed since they were indexed (null: everything, from the columns again). */
  private changed: Set<string> | null = new Set();
  /**
   * The sealed details each record had when it was last reindexed, for the records changed lately: a
   * record changed by a mark or a visit keeps its identities without being unsealed again (an AES-GCM
   * decryption at every application, for every student changed since the one before).
   */
  private readonly sealedAt = new Map<string, string>();

  constructor(
    private readonly queries: Queries,
    private readonly models: ReadModels,
  ) {
    models.watch(students, (key) => {
      if (this.scanned.size === 0 || this.changed === null) return;
      if (key === null || this.changed.size >= RESCAN_AFTER) this.changed = null;
      else this.changed.add(key);
    });
  }

  /** The standing record on this programme that the applicant already has, if any. */
  find(
    programmeId: string,
    personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>,
  ): ExistingApplicant | null {
    const wanted = identityOf(personal);
    this.refresh(programmeId);
    // Not remembered while unreadable (a key not yet visible to this process): asked again each time.
    for (const [key, sealed] of this.unreadable) {
      const entry = this.standing.get(key)!;
      entry.identities = this.unsealed(sealed);
      if (entry.identities) this.unreadable.delete(key);
      this.indexIdentities(key, entry);
    }
    let found: string | null = null;
    for (const key of this.byIdentity.get(wanted.key) ?? [])
      if (this.standing.get(key)?.programmeId === programmeId && (found === null || key < found)) found = key;
    return found === null ? null : { studentId: studentOf(found), matchedBy: wanted.matchedBy };
  }

  /** Refuses an application that duplicates a standing record (see above). */
  assertNew(programmeId: string, personal: Pick<PersonalDetails, 'email' | 'teacherReferenceNumber'>): void {
    const existing = this.find(programmeId, personal);
    if (existing) throw duplicateApplicant(programmeId, existing);
  }

  private refresh(programmeId: string): void {
    if (this.changed === null) {
      this.standing.clear();
      this.byIdentity.clear();
      this.unreadable.clear();
      this.sealedAt.clear();
      this.scanned.clear();
      this.changed = new Set();
    }
    for (const key of this.changed) this.reindex(key);
    this.changed.clear();
    if (this.scanned.has(programmeId)) return;
    // the columns, as the database holds them once the read models are written (a list read flushes)
    for (const { studentId, sealed } of this.queries.standingApplicants(programmeId)) {
      const key = streamOf(studentId);
      this.forget(key);
      this.add(key, programmeId, sealed);
    }
    this.scanned.add(programmeId);
  }

  /** A changed record, judged as the columns judge it (the students projection's own column values). */
  private reindex(key: string): void {
    const before = this.standing.get(key);
    this.forget(key);
    const record = this.models.get(students, key);
    if (!record) return;
    const context = this.models.context;
    const columns = students.columns!;
    const programmeId = columns.programme_id!.value(record, key, context);
    if (typeof programmeId !== 'string' || !this.scanned.has(programmeId)) return;
    if (columns.erased!.value(record, key, context) !== 0) return;
    if (!STANDING_APPLICANT.has(columns.standing!.value(record, key, context) as string)) return;
    const sealed = columns.sealed_personal!.value(record, key, context);
    if (typeof sealed !== 'string') return;
    if (before?.identities && before.programmeId === programmeId && this.sealedAt.get(key) === sealed) {
      this.standing.set(key, before);
      this.indexIdentities(key, before);
    } else this.add(key, programmeId, sealed);
    this.sealedAt.delete(key);
    this.sealedAt.set(key, sealed);
    if (this.sealedAt.size > SEALED_KEPT) this.sealedAt.delete(this.sealedAt.keys().next().value!);
  }

  private add(key: string, programmeId: string, sealed: string): void {
    const entry: Indexed = { programmeId, identities: this.unsealed(sealed) };
    this.standing.set(key, entry);
    if (entry.identities) this.indexIdentities(key, entry);
    else this.unreadable.set(key, sealed);
  }

  private forget(key: string): void {
    const entry = this.standing.get(key);
    if (!entry) return;
    this.standing.delete(key);
    this.unreadable.delete(key);
    for (const identity of entry.identities ?? []) this.byIdentity.get(identity)?.delete(key);
  }

  private indexIdentities(key: string, entry: Indexed): void {
    for (const identity of entry.identities ?? []) {
      const keys = this.byIdentity.get(identity);
      if (keys) keys.add(key);
      else this.byIdentity.set(identity, new Set([key]));
    }
  }

  private unsealed(sealed: string): string[] | null {
    const personal = this.queries.unsealColumn(sealed);
    return personal ? identitiesOf(personal) : null;
  }
}

export function duplicateApplicant(programmeId: string, existing: ExistingApplicant) {
  return refused(
    'duplicate_applicant',
    `this applicant (the same ${existing.matchedBy}) already applied for ${programmeId}: student ${existing.studentId}. Use that record; to register them again, withdraw it first`,
    { studentId: existing.studentId, matchedBy: existing.matchedBy, programmeId },
  );
}
