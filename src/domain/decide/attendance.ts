import { refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';
import { requireModule, requireSession, specOf } from './guards.ts';

// WebEx sessions and facilitated days. seed 004 Q5: an absence must be reported, and the catch-up that
// follows a reported absence completes the session.

export const attendanceHandlers = {
  recordWebexAttendance(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    requireSession(r, ctx, d.sessionId, 'webex', d.moduleCode);
    const session = r.webex[d.sessionId];
    if (session?.attended)
      throw refused('already_recorded', `attendance at ${d.sessionId} is already recorded`);
    if (session?.absence)
      throw refused(
        'absence_reported',
        `an absence from ${d.sessionId} was reported: record the catch-up instead`,
      );
    return one({ type: 'WebexSessionAttended', data: d }, d.attendedOn);
  },
  reportWebexAbsence(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    requireSession(r, ctx, d.sessionId, 'webex', d.moduleCode);
    if (r.webex[d.sessionId]?.attended)
      throw refused('already_attended', `the student attended ${d.sessionId}; there is no absence to report`);
    return one({ type: 'WebexAbsenceReported', data: d }, d.reportedOn);
  },
  decideWebexAbsence(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    const session = r.webex[d.sessionId];
    if (!session?.absence)
      throw refused(
        'no_reported_absence',
        `no absence from ${d.sessionId} was reported, so there is nothing to decide`,
      );
    if (session.authorisation)
      throw refused(
        'absence_already_decided',
        `the absence from ${d.sessionId} was already ${session.authorisation.decision}`,
      );
    return one({ type: 'WebexAbsenceDecided', data: d }, d.decidedOn);
  },
  completeWebexCatchUp(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    if (!r.webex[d.sessionId]?.absence)
      throw refused(
        'no_reported_absence',
        `no absence from ${d.sessionId} was reported, so there is nothing to catch up`,
      );
    return one({ type: 'WebexCatchUpCompleted', data: d }, d.completedOn);
  },
  recordFacilitatedDay(r, d, ctx) {
    specOf(r, ctx.reference);
    requireSession(r, ctx, d.sessionId, 'facilitated-day', null);
    if (r.facilitatedDays[d.sessionId])
      throw refused('already_recorded', `attendance at ${d.sessionId} is already recorded`);
    return one({ type: 'FacilitatedDayAttended', data: d }, d.attendedOn);
  },
} satisfies Partial<Handlers>;
