import { describe, expect, it } from 'vitest';
import { given, registry } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import { applied, eligibleStudent, enrolledStudent, type Named } from '../../support/student-events.ts';

// The exam board confers the award on the decision as it stands; it is withdrawn or kept after review.

const confer = { name: 'conferAward', data: { examBoardId: 'board-1', conferredOn: '2024-07-20' } } as const;
const eligible = eligibleStudent('sw');
const conferred: Named<'AwardConferred'> = {
  eventId: 'award-1',
  type: 'AwardConferred',
  data: {
    award: 'qualification',
    title: 'National Award for SEN Coordination',
    // seed 001: the 60 credits are a Postgraduate Certificate too (a dual award)
    awards: ['National Award for SEN Coordination', 'Postgraduate Certificate (SEN Coordination)'],
    examBoardId: 'board-1',
    conferredOn: '2024-07-20',
    decidedAt: {
      position: String(eligible.length),
      streamRevision: String(eligible.length - 1),
      evaluatedOn: '2024-07-20',
    },
    specification: { programmeId: 'sw-consortium', version: 1 },
    decisionDigest: 'a'.repeat(64),
    duty: { satisfies: 'yes', completedOn: '2024-07-12' },
  },
};
const withdrawal = {
  awardEventId: 'award-1',
  reason: 'Mark corrected after the board',
  withdrawnOn: '2024-08-01',
};

describe('award: given / when / then', () => {
  it('confers the award on the decision, recording where in the log it was made and its digest', () => {
    const [decided] = given(eligible)
      .when(confer, registry)
      .thenEvents(
        [{ type: 'AwardConferred', data: { ...conferred.data, decisionDigest: expect.any(String) } }],
        '2024-07-20',
      );
    // the digest is the decision's a registry officer would read for that day, so a replay reproduces it
    const digest = (decided!.event.data as { decisionDigest: string }).decisionDigest;
    expect(digest).toBe(decisionOn(eligible, '2024-07-20').digest);
    expect(digest).not.toBe(decisionOn(eligible, '2024-07-21').digest);
  });

  it('refuses a conferral while the decision is not an award, listing what is outstanding', () => {
    const e = given(enrolledStudent('sw')).when(confer, registry).thenRefused('not_eligible', {
      outcome: 'not-yet-eligible',
    });
    expect(e.details.outstanding).toEqual(expect.arrayContaining(['Attend 6 more facilitated day(s)']));
  });

  it('refuses a second conferral while an award stands, and any before enrolment', () => {
    given([...eligible, conferred])
      .when(confer, registry)
      .thenRefused('award_already_conferred');
    given([applied('sw')])
      .when(confer, registry)
      .thenRefused('not_enrolled');
  });

  it('refuses a conferral at a board the cohort never held, or dated before the board (2024-07-12)', () => {
    given(eligible)
      .when({ name: 'conferAward', data: { examBoardId: 'board-9', conferredOn: '2024-07-20' } }, registry)
      .thenRefusedAt('unknown_exam_board', 'examBoardId', { examBoardId: 'board-9' });
    given(eligible)
      .when({ name: 'conferAward', data: { examBoardId: 'board-1', conferredOn: '2024-07-11' } }, registry)
      .thenRefusedAt('conferral_before_board', 'conferredOn', { heldOn: '2024-07-12' });
  });

  it('confers again once the standing award is withdrawn', () => {
    const withdrawn = {
      type: 'AwardDecisionWithdrawn' as const,
      data: { ...withdrawal, authorisedBy: { id: 'r' } },
    };
    given([...eligible, conferred, withdrawn])
      .when(confer, registry)
      .thenEvents([
        {
          type: 'AwardConferred',
          data: {
            ...conferred.data,
            decidedAt: {
              position: String(eligible.length + 2),
              streamRevision: String(eligible.length + 1),
              evaluatedOn: '2024-07-20',
            },
            decisionDigest: expect.any(String),
          },
        },
      ]);
  });

  it('withdraws a standing award, naming it, on the registry officer authority', () => {
    given([...eligible, conferred])
      .when({ name: 'withdrawAward', data: withdrawal }, registry)
      .thenEvents(
        [{ type: 'AwardDecisionWithdrawn', data: { ...withdrawal, authorisedBy: { id: 'registry-1' } } }],
        '2024-08-01',
      );
  });

  it('keeps an award under review, naming it', () => {
    const resolution = {
      awardEventId: 'award-1',
      note: 'Still eligible after the correction',
      resolvedOn: '2024-08-02',
    };
    given([...eligible, conferred])
      .when({ name: 'resolveAwardReview', data: resolution }, registry)
      .thenEvents(
        [{ type: 'AwardReviewResolved', data: { ...resolution, resolution: 'award-stands' } }],
        '2024-08-02',
      );
  });

  it('refuses to withdraw or review an award that does not stand, even after the student withdrew', () => {
    const withdrawn = {
      type: 'AwardDecisionWithdrawn' as const,
      data: { ...withdrawal, authorisedBy: { id: 'r' } },
    };
    const studentLeft = {
      type: 'StudentWithdrawn' as const,
      data: { on: '2024-08-01', reason: 'Left the post' },
    };
    given([...eligible, conferred, withdrawn])
      .when({ name: 'withdrawAward', data: withdrawal }, registry)
      .thenRefused('award_not_found');
    given(eligible)
      .when({ name: 'withdrawAward', data: withdrawal }, registry)
      .thenRefused('award_not_found');
    given([...eligible, studentLeft])
      .when(
        {
          name: 'resolveAwardReview',
          data: { awardEventId: 'award-1', note: 'Kept', resolvedOn: '2024-08-02' },
        },
        registry,
      )
      .thenRefused('award_not_found');
    given([...eligible, conferred, studentLeft])
      .when({ name: 'withdrawAward', data: withdrawal }, registry)
      .thenEvents([
        { type: 'AwardDecisionWithdrawn', data: { ...withdrawal, authorisedBy: { id: 'registry-1' } } },
      ]);
  });
});
