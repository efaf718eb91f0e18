import { describe, expect, it } from 'vitest';
import { webexRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, webexAttended } from '../../support/student-events.ts';

// seed 004 Q5: every WebEx session (one per module on the blended programme); an absence is reported
// and the catch-up that follows completes the session.

const blended = enrolledStudent('blended');
const absent = (moduleCode: string): Given => ({
  type: 'WebexAbsenceReported',
  data: { sessionId: `webex-${moduleCode}-1`, moduleCode, reason: 'Ofsted', reportedOn: '2024-02-05' },
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
    const caught = [...blended, absent('M1'), caughtUp('M1'), webexAttended('M2'), webexAttended('M3')];
    const r = judge(webexRule, caught);
    expect(r).toMatchObject({ outcome: 'met', figures: { satisfied: 3, byCatchUp: 1 } });
    expect(r.events.map((e) => e.type)).toEqual([
      'WebexAbsenceReported',
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
        'M2: complete the catch-up for the reported WebEx absence',
        'M3: attend the WebEx session (or report the absence and complete the catch-up)',
      ],
    });
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
