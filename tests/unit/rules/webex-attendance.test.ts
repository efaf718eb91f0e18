import { describe, expect, it } from 'vitest';
import { webexRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, webexAttended } from '../../support/student-events.ts';

// seed 004 Q5: every WebEx session (one per module on the blended programme), "strict 100% attendance";
// an absence is reported, registry authorises it, and the catch-up that follows completes the session.

const blended = enrolledStudent('blended');
const absent = (moduleCode: string): Given => ({
  type: 'WebexAbsenceReported',
  data: { sessionId: `webex-${moduleCode}-1`, moduleCode, reason: 'Ofsted', reportedOn: '2024-02-05' },
});
const decided = (moduleCode: string, decision: 'authorised' | 'not-authorised' = 'authorised'): Given => ({
  type: 'WebexAbsenceDecided',
  data: {
    sessionId: `webex-${moduleCode}-1`,
    moduleCode,
    decision,
    decidedOn: '2024-02-06',
    reason: 'Unforeseen circumstances',
  },
});
const caughtUp = (moduleCode: string): Given => ({
  type: 'WebexCatchUpCompleted',
  data: {
    sessionId: `webex-${moduleCode}-1`,
    moduleCode,
    completedOn: '2024-02-20',
    how: 'Watched the recording',
  },
});

describe('rule: WebEx attendance', () => {
  it('not applicable on a programme without WebEx sessions', () => {
    expect(judge(webexRule, enrolledStudent('bpn')).outcome).toBe('not-applicable');
  });

  it('met with every session attended, or caught up after a reported absence', () => {
    const all = [...blended, webexAttended('M1'), webexAttended('M2'), webexAttended('M3')];
    expect(judge(webexRule, all)).toMatchObject({
      outcome: 'met',
      figures: { required: 3, satisfied: 3, byCatchUp: 0 },
    });
    const caught = [
      ...blended,
      absent('M1'),
      decided('M1'),
      caughtUp('M1'),
      webexAttended('M2'),
      webexAttended('M3'),
    ];
    const r = judge(webexRule, caught);
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { satisfied: 3, byCatchUp: 1, absencesAuthorised: 1 },
      metOn: '2024-02-01', // the day the last session was satisfied (the catch-up, as recorded here)
    });
    expect(r.events.map((e) => e.type)).toEqual([
      'WebexAbsenceReported',
      'WebexAbsenceDecided',
      'WebexCatchUpCompleted',
      'WebexSessionAttended',
      'WebexSessionAttended',
    ]);
  });

  it('not met with a session missed, saying whether a catch-up or attendance is owed', () => {
    const r = judge(webexRule, [...blended, webexAttended('M1'), absent('M2')]);
    expect(r).toMatchObject({
      outcome: 'not-met',
      figures: { required: 3, satisfied: 1 },
      outstanding: [
        'M2: registry to decide whether the reported WebEx absence is authorised',
        'M3: attend the WebEx session (or report the absence, have it authorised and complete the catch-up)',
      ],
    });
  });

  it('counts a catch-up only after registry authorised the absence (strict 100%: specification data)', () => {
    const rest = [webexAttended('M2'), webexAttended('M3')];
    const unauthorised = judge(webexRule, [...blended, absent('M1'), caughtUp('M1'), ...rest]);
    expect(unauthorised).toMatchObject({ outcome: 'not-met', figures: { satisfied: 2, byCatchUp: 0 } });
    const refusedOne = judge(webexRule, [
      ...blended,
      absent('M1'),
      decided('M1', 'not-authorised'),
      caughtUp('M1'),
      ...rest,
    ]);
    expect(refusedOne).toMatchObject({
      outcome: 'not-met',
      outstanding: ['M1: the WebEx absence was not authorised, so it cannot be caught up'],
    });
    const authorisedOnly = judge(webexRule, [...blended, absent('M1'), decided('M1'), ...rest]);
    expect(authorisedOnly.outstanding).toEqual(['M1: complete the catch-up for the reported WebEx absence']);
  });

  it('needs no session of a module replaced by APL/RPL', () => {
    const apl: Given[] = [
      {
        type: 'AplClaimSubmitted',
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          route: 'APL',
          submittedOn: '2024-01-10',
          evidenceSummary: 'PGCert',
        },
      },
      {
        type: 'AplClaimDecided',
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          decision: 'approved',
          decidedOn: '2024-01-20',
          decidedBy: { id: 'r' },
          reason: 'Equivalent',
        },
      },
    ];
    expect(judge(webexRule, [...blended, ...apl, webexAttended('M2'), webexAttended('M3')])).toMatchObject({
      outcome: 'met',
      figures: { required: 2, satisfied: 2, modulesReplacedByApl: 1 },
    });
  });
});
