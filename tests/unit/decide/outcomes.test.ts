import { describe, it } from 'vitest';
import { given, registry, tutor } from '../../support/given-when-then.ts';
import { applied, enrolledStudent, evidence, signedOff } from '../../support/student-events.ts';

// Learning-outcome evidence and sign-off, against the framework version of the enrolment.

const withEvidence = [...enrolledStudent(), evidence('A1.1')];
const signOff = (outcomeCode = 'A1.1', evidenceEventIds = ['evidence-A1.1']) =>
  ({ name: 'signOffOutcome', data: { outcomeCode, evidenceEventIds, signedOffOn: '2024-06-01' } }) as const;
const revoke = (signOffEventId = 'sign-off-A1.1') =>
  ({
    name: 'revokeSignOff',
    data: { signOffEventId, reason: 'Evidence was misfiled', revokedOn: '2024-06-10' },
  }) as const;

describe('learning outcomes: given / when / then', () => {
  it('records evidence against the framework the student enrolled on', () => {
    const { frameworkId: _id, frameworkVersion: _v, ...data } = evidence('A1.1').data;
    given(enrolledStudent())
      .when({ name: 'submitOutcomeEvidence', data })
      .thenEvents([evidence('A1.1')], '2024-05-01');
    given(enrolledStudent('experienced'))
      .when({ name: 'submitOutcomeEvidence', data: { ...data, outcomeCode: 'E1.1' } })
      .thenEvents([
        { type: 'OutcomeEvidenceSubmitted', data: { ...evidence('E1.1').data, evidence: data.evidence } },
      ]);
  });

  it('refuses evidence for an outcome not in the framework, or before enrolment', () => {
    const { frameworkId: _id, frameworkVersion: _v, ...data } = evidence('A1.1').data;
    given(enrolledStudent('experienced'))
      .when({ name: 'submitOutcomeEvidence', data })
      .thenRefused('outcome_not_in_framework', { outcomeCode: 'A1.1' });
    given([applied()]).when({ name: 'submitOutcomeEvidence', data }).thenRefused('not_enrolled');
  });

  it('an assessor signs an outcome off on the evidence named', () => {
    given(withEvidence)
      .when(signOff(), tutor)
      .thenEvents([signedOff('A1.1')], '2024-06-01');
  });

  it('refuses a sign-off dated before the evidence it cites', () => {
    // the evidence was submitted on 2024-05-01
    given(withEvidence)
      .when({ ...signOff(), data: { ...signOff().data, signedOffOn: '2024-04-30' } }, tutor)
      .thenRefusedAt('sign_off_before_evidence', 'signedOffOn', { evidenceSubmittedOn: '2024-05-01' });
    const later = {
      ...evidence('A1.1', 'evidence-later'),
      data: { ...evidence('A1.1').data, submittedOn: '2024-06-05' },
    };
    given([...withEvidence, later])
      .when(signOff('A1.1', ['evidence-A1.1', 'evidence-later']), tutor)
      .thenRefusedAt('sign_off_before_evidence', 'signedOffOn', { evidenceSubmittedOn: '2024-06-05' });
  });

  it('refuses a sign-off by anyone but an assessor, off the framework, on foreign evidence, or twice', () => {
    given(withEvidence).when(signOff(), registry).thenRefused('not_an_assessor');
    given(withEvidence).when(signOff('Z9.9'), tutor).thenRefused('outcome_not_in_framework');
    given(withEvidence)
      .when(signOff('A1.1', ['nope']), tutor)
      .thenRefused('evidence_not_found', { eventId: 'nope' });
    given([...withEvidence, evidence('A1.2')])
      .when(signOff('A1.1', ['evidence-A1.1', 'evidence-A1.2']), tutor)
      .thenRefused('evidence_not_found', { eventId: 'evidence-A1.2' });
    given([...withEvidence, signedOff('A1.1')])
      .when(signOff(), tutor)
      .thenRefused('already_signed_off');
  });

  it('revokes a sign-off that stands, naming its outcome', () => {
    given([...withEvidence, signedOff('A1.1')])
      .when(revoke(), registry)
      .thenEvents(
        [
          {
            type: 'OutcomeSignOffRevoked',
            data: {
              signOffEventId: 'sign-off-A1.1',
              reason: 'Evidence was misfiled',
              revokedOn: '2024-06-10',
              outcomeCode: 'A1.1',
            },
          },
        ],
        '2024-06-10',
      );
  });

  it('refuses to revoke what is not a standing sign-off', () => {
    given(withEvidence).when(revoke('evidence-A1.1'), registry).thenRefused('sign_off_not_found');
    const revoked = {
      type: 'OutcomeSignOffRevoked' as const,
      data: {
        signOffEventId: 'sign-off-A1.1',
        outcomeCode: 'A1.1',
        reason: 'Misfiled',
        revokedOn: '2024-06-10',
      },
    };
    given([...withEvidence, signedOff('A1.1'), revoked])
      .when(revoke(), registry)
      .thenRefused('sign_off_not_found');
  });
});
