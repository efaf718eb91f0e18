import {
  AssignmentMarked,
  AssignmentSubmitted,
  MarkCorrected,
  MarkModerated,
  PortfolioCompleted,
  ResubmissionPermitted,
  VivaHeld,
} from '../../../events/assessment.ts';
import { IsoDate, StaffRef } from '../../../events/common.ts';
import {
  OutcomeEvidenceSubmitted,
  OutcomeSignedOff,
  OutcomeSignOffRevoked,
} from '../../../events/outcomes.ts';
import { AplClaimDecided, AplClaimSubmitted } from '../../../events/prior-learning.ts';
import type { CommandDefinition } from './definition.ts';

// Assignments and their marks, prior learning, learning-outcome evidence and sign-off, the portfolio and the
// viva.
export const assessmentCommands = {
  submitAssignment: { roles: ['tutor'], summary: 'Record a submission', schema: AssignmentSubmitted.schema },
  markAssignment: {
    roles: ['tutor'],
    summary: 'Record a first mark (the marker is the signed-in tutor unless named)',
    schema: AssignmentMarked.schema.omit({ marker: true }).extend({ marker: StaffRef.optional() }),
  },
  moderateMark: {
    roles: ['tutor'],
    summary: 'Moderate a mark (second marking)',
    schema: MarkModerated.schema.pick({
      markEventId: true,
      moderatedMark: true,
      moderatedOn: true,
      note: true,
    }),
  },
  correctMark: {
    roles: ['admin'],
    summary: 'Correct a mark by appending a correction that names the event it corrects',
    schema: MarkCorrected.schema.pick({ correctsEventId: true, correctedMark: true, reason: true }),
  },
  permitResubmission: {
    roles: ['registry'],
    summary: 'Permit a resubmission of a failed module (capped at the pass mark where the programme says so)',
    schema: ResubmissionPermitted.schema.pick({ moduleCode: true, deadline: true }).extend({
      permittedOn: IsoDate.optional().describe('when it was permitted, e.g. the exam board (default today)'),
    }),
  },
  submitAplClaim: {
    roles: ['tutor'],
    summary: 'Submit an APL/RPL claim for one module',
    schema: AplClaimSubmitted.schema,
  },
  decideAplClaim: {
    roles: ['registry'],
    summary: 'Approve or reject an APL/RPL claim',
    schema: AplClaimDecided.schema.omit({ decidedBy: true, moduleCode: true }),
  },
  submitOutcomeEvidence: {
    roles: ['tutor'],
    summary: 'Add evidence towards a learning outcome',
    schema: OutcomeEvidenceSubmitted.schema.omit({ frameworkId: true, frameworkVersion: true }),
  },
  signOffOutcome: {
    roles: ['tutor'],
    summary: 'Sign off a learning outcome (assessors only)',
    schema: OutcomeSignedOff.schema.pick({ outcomeCode: true, evidenceEventIds: true, signedOffOn: true }),
  },
  revokeSignOff: {
    roles: ['tutor', 'registry'],
    summary: 'Revoke a sign-off, naming it and why',
    schema: OutcomeSignOffRevoked.schema.omit({ outcomeCode: true }),
  },
  completePortfolio: {
    roles: ['tutor'],
    summary: 'Record a completed portfolio',
    schema: PortfolioCompleted.schema.omit({ assessedBy: true }),
  },
  recordViva: { roles: ['tutor'], summary: 'Record a viva voce', schema: VivaHeld.schema },
} as const satisfies Record<string, CommandDefinition>;
