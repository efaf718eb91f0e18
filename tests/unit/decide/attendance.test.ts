import { describe, it } from 'vitest';
import { given, registry } from '../../support/given-when-then.ts';
import { applied, cohort, enrolledStudent } from '../../support/student-events.ts';

// WebEx sessions and facilitated days (seed 004 Q5: an absence is reported, then caught up).

const sessions = cohort('blended', {
  sessions: [
    { sessionId: 'webex-M1-1', kind: 'webex', moduleCode: 'M1', date: '2024-02-05' },
    { sessionId: 'day-1', kind: 'facilitated-day', moduleCode: null, date: '2024-01-10' },
  ],
});
const attended = { sessionId: 'webex-M1-1', moduleCode: 'M1', attendedOn: '2024-02-05' };
const absence = {
  sessionId: 'webex-M1-1',
  moduleCode: 'M1',
  reason: 'Ofsted inspection',
  reportedOn: '2024-02-05',
};
const catchUp = {
  sessionId: 'webex-M1-1',
  moduleCode: 'M1',
  completedOn: '2024-02-20',
  how: 'Watched the recording',
};
const day = { sessionId: 'day-1', attendedOn: '2024-01-10', mode: 'face-to-face' as const };

describe('attendance: given / when / then', () => {
  it('records WebEx attendance at a session of the cohort', () => {
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'recordWebexAttendance', data: attended })
      .thenEvents([{ type: 'WebexSessionAttended', data: attended }], '2024-02-05');
  });

  it('refuses attendance before enrolment, off the programme, at an unknown or mismatched session', () => {
    given([applied()]).when({ name: 'recordWebexAttendance', data: attended }).thenRefused('not_enrolled');
    given(enrolledStudent())
      .when({ name: 'recordWebexAttendance', data: { ...attended, moduleCode: 'RA1' } })
      .thenRefused('module_not_on_programme', { moduleCode: 'RA1' });
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'recordWebexAttendance', data: { ...attended, sessionId: 'webex-M9-1' } })
      .thenRefused('unknown_session', { sessionId: 'webex-M9-1' });
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'recordWebexAttendance', data: { ...attended, sessionId: 'day-1' } })
      .thenRefused('unknown_session');
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'recordWebexAttendance', data: { ...attended, moduleCode: 'M2' } })
      .thenRefused('session_module_mismatch');
  });

  it('refuses attendance recorded twice, or after an absence was reported', () => {
    given([...enrolledStudent(), { type: 'WebexSessionAttended', data: attended }])
      .when({ name: 'recordWebexAttendance', data: attended })
      .thenRefused('already_recorded');
    given([...enrolledStudent(), { type: 'WebexAbsenceReported', data: absence }])
      .when({ name: 'recordWebexAttendance', data: attended })
      .thenRefused('absence_reported');
  });

  it('registry decides whether a reported absence is authorised, once; none to decide without one', () => {
    const decision = {
      sessionId: 'webex-M1-1',
      moduleCode: 'M1',
      decision: 'authorised' as const,
      decidedOn: '2024-02-06',
      reason: 'Unforeseen: an Ofsted inspection',
    };
    given([...enrolledStudent(), { type: 'WebexAbsenceReported', data: absence }])
      .when({ name: 'decideWebexAbsence', data: decision }, registry)
      .thenEvents([{ type: 'WebexAbsenceDecided', data: decision }], '2024-02-06');
    given(enrolledStudent())
      .when({ name: 'decideWebexAbsence', data: decision }, registry)
      .thenRefused('no_reported_absence');
    given([
      ...enrolledStudent(),
      { type: 'WebexAbsenceReported', data: absence },
      { type: 'WebexAbsenceDecided', data: decision },
    ])
      .when({ name: 'decideWebexAbsence', data: { ...decision, decision: 'not-authorised' } }, registry)
      .thenRefused('absence_already_decided');
  });

  it('records a reported absence, but not from a session attended', () => {
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'reportWebexAbsence', data: absence })
      .thenEvents([{ type: 'WebexAbsenceReported', data: absence }], '2024-02-05');
    given([...enrolledStudent(), { type: 'WebexSessionAttended', data: attended }])
      .when({ name: 'reportWebexAbsence', data: absence })
      .thenRefused('already_attended');
    given(enrolledStudent(), { cohorts: [sessions] })
      .when({ name: 'reportWebexAbsence', data: { ...absence, sessionId: 'webex-M3-1', moduleCode: 'M3' } })
      .thenRefused('unknown_session');
  });

  it('records the catch-up after a reported absence, and only then', () => {
    given([...enrolledStudent(), { type: 'WebexAbsenceReported', data: absence }])
      .when({ name: 'completeWebexCatchUp', data: catchUp })
      .thenEvents([{ type: 'WebexCatchUpCompleted', data: catchUp }], '2024-02-20');
    given(enrolledStudent())
      .when({ name: 'completeWebexCatchUp', data: catchUp })
      .thenRefused('no_reported_absence');
    given(enrolledStudent())
      .when({ name: 'completeWebexCatchUp', data: { ...catchUp, moduleCode: 'X1' } })
      .thenRefused('module_not_on_programme');
  });

  it('records a facilitated day once, at a facilitated-day session of the cohort', () => {
    given(enrolledStudent('bpn'), { cohorts: [sessions] })
      .when({ name: 'recordFacilitatedDay', data: day })
      .thenEvents([{ type: 'FacilitatedDayAttended', data: day }], '2024-01-10');
    given(enrolledStudent('bpn'), { cohorts: [sessions] })
      .when({ name: 'recordFacilitatedDay', data: { ...day, sessionId: 'webex-M1-1' } })
      .thenRefused('unknown_session');
    given([...enrolledStudent('bpn'), { type: 'FacilitatedDayAttended', data: day }])
      .when({ name: 'recordFacilitatedDay', data: day })
      .thenRefused('already_recorded');
    given([applied('bpn')])
      .when({ name: 'recordFacilitatedDay', data: day })
      .thenRefused('not_enrolled');
  });
});
