import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import { applyToCohorts, type CohortsState, initialCohorts } from '../../projections/cohort-overview.ts';
import {
  applyToEligibility,
  type EligibilityState,
  initialEligibility,
} from '../../projections/eligibility.ts';
import { applyToStudents, initialStudents, type StudentsState } from '../../projections/students.ts';
import type { CohortView } from '../domain/decide/context.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import type { RecordedEvent } from '../store/port.ts';

// All the kept read models together, applied in one pass over each event so a rebuild reads the log
// once. The order matters: the eligibility projection reads the student record the event just changed.

export class LiveProjections {
  students: StudentsState = initialStudents();
  cohorts: CohortsState = initialCohorts();
  eligibility: EligibilityState = initialEligibility();
  /** Specifications published through the log (not the built-in files), kept for snapshots. */
  published: ProgrammeSpecification[] = [];
  /** Position of the last event applied. */
  checkpoint = 0n;
  eventsApplied = 0;

  constructor(readonly reference: ReferenceData) {}

  apply(recorded: RecordedEvent): void {
    this.applyLedgerEvent(toLedgerEvent(recorded));
  }

  applyLedgerEvent(e: LedgerEvent): void {
    const record = applyToStudents(this.students, e);
    if (record) applyToEligibility(this.eligibility, record, e, this.reference);
    else if (e.type === 'ProgrammeSpecificationPublished') this.publishSpecification(e);
    else applyToCohorts(this.cohorts, e);
    if (e.type === 'StudentEnrolled') applyToCohorts(this.cohorts, e);
    this.checkpoint = e.position;
    this.eventsApplied++;
  }

  private publishSpecification(e: Extract<LedgerEvent, { type: 'ProgrammeSpecificationPublished' }>): void {
    try {
      this.published.push(this.reference.addSpecification(e.data.specification, `event ${e.eventId}`));
    } catch (error) {
      // Validated when it was published; a failure here means the reference data loaded at start-up
      // now conflicts with the log. Keep going (the log wins for students already enrolled on it).
      console.warn(`specification in event ${e.eventId} could not be loaded: ${(error as Error).message}`);
    }
  }

  cohort(cohortId: string): CohortView | undefined {
    return this.cohorts.cohorts.get(cohortId);
  }

  reset(): void {
    this.students = initialStudents();
    this.cohorts = initialCohorts();
    this.eligibility = initialEligibility();
    this.published = [];
    this.checkpoint = 0n;
    this.eventsApplied = 0;
  }
}
