import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../events/envelope.ts';
import {
  allEventDefinitions,
  EventValidationError,
  toLedgerEvent,
  validateEvent,
} from '../../events/index.ts';
import { asLedgerError } from '../../src/errors.ts';

describe('the event catalogue', () => {
  it('registers every event type once, each with a version and a description', () => {
    const types = allEventDefinitions.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of allEventDefinitions) {
      expect(d.version).toBeGreaterThanOrEqual(1);
      expect(d.description.length).toBeGreaterThan(10);
    }
    for (const needed of [
      'ApplicationSubmitted',
      'QtsEvidenceRecorded',
      'PlaceOffered',
      'StudentEnrolled',
      'MentorAssigned',
      'NeedsAnalysisCompleted',
      'WebexSessionAttended',
      'WebexAbsenceReported',
      'WebexCatchUpCompleted',
      'FacilitatedDayAttended',
      'PartnerSchoolVisitRecorded',
      'AssignmentSubmitted',
      'AssignmentMarked',
      'MarkModerated',
      'MarkCorrected',
      'ResubmissionPermitted',
      'MarksRatified',
      'AplClaimSubmitted',
      'AplClaimDecided',
      'OutcomeEvidenceSubmitted',
      'OutcomeSignedOff',
      'OutcomeSignOffRevoked',
      'PortfolioCompleted',
      'VivaHeld',
      'ExtensionGranted',
      'StudyInterrupted',
      'StudentWithdrawn',
      'AwardConferred',
      'AwardDecisionWithdrawn',
      'CohortCreated',
      'ExamBoardHeld',
    ])
      expect(types).toContain(needed);
  });

  it('refuses data that fails its schema, naming each field and the reason', () => {
    const error = (() => {
      try {
        validateEvent('AssignmentMarked', {
          moduleCode: 'M1',
          attempt: 1,
          marker: { id: 't' },
          mark: 101,
          markedOn: '2024-13-40',
        });
      } catch (e) {
        return e;
      }
    })() as EventValidationError;
    expect(error).toBeInstanceOf(EventValidationError);
    expect(error.code).toBe('invalid_event');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'data.mark', reason: 'must be between 0 and 100' },
        { field: 'data.markedOn', reason: 'must be a date as YYYY-MM-DD' },
      ]),
    );
    // The ledger reads the catalogue's refusal as its own `invalid` error, with the same fields.
    const mapped = asLedgerError(error);
    expect(mapped?.kind).toBe('invalid');
    expect(mapped?.code).toBe('invalid_event');
    expect(mapped?.issues).toEqual(error.issues);
  });

  it('a mark correction must name what it corrects, why, and who authorised it', () => {
    expect(() =>
      validateEvent('MarkCorrected', { moduleCode: 'M1', attempt: 1, previousMark: 40, correctedMark: 55 }),
    ).toThrow(/correctsEventId.*reason.*authorisedBy|correctsEventId/);
  });

  it('reads an AssignmentMarked stored at version 1 back as the current version 2', () => {
    const stored: RecordedEvent = {
      eventId: '01a2',
      type: 'AssignmentMarked',
      schemaVersion: 1,
      data: { moduleCode: 'M1', markerId: 'tutor-9', mark: 58, markedOn: '2019-12-01' },
      metadata: {
        actor: { id: 'tutor-9', role: 'tutor' },
        occurredAt: '2019-12-01T12:00:00.000+00:00',
        correlationId: 'c',
        causationId: null,
      },
      streamId: 'student-x',
      revision: 3n,
      position: 10n,
      recordedAt: '2019-12-01T12:00:00.000Z',
      hash: 'h',
    };
    const read = toLedgerEvent(stored);
    expect(read.schemaVersion).toBe(1);
    expect(read.data).toEqual({
      moduleCode: 'M1',
      attempt: 1,
      marker: { id: 'tutor-9' },
      mark: 58,
      markedOn: '2019-12-01',
    });
    // The upcast shape is a valid current event.
    expect(() => validateEvent('AssignmentMarked', read.data)).not.toThrow();
  });
});
