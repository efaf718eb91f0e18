import type { Evolvers } from './evolver.ts';
import type { StudentRecord } from './types.ts';

// WebEx sessions (attended, or an absence reported and caught up) and facilitated days.

function sessionOf(r: StudentRecord, d: { sessionId: string; moduleCode: string }) {
  const session = r.webex[d.sessionId] ?? {
    moduleCode: d.moduleCode,
    attended: null,
    absence: null,
    authorisation: null,
    catchUp: null,
  };
  r.webex[d.sessionId] = session;
  return session;
}

export const attendanceEvolvers = {
  WebexSessionAttended(r, e, ref) {
    sessionOf(r, e.data).attended = ref;
  },
  WebexAbsenceReported(r, e, ref) {
    sessionOf(r, e.data).absence = { reason: e.data.reason, ref };
  },
  WebexAbsenceDecided(r, e, ref) {
    sessionOf(r, e.data).authorisation = { decision: e.data.decision, ref };
  },
  WebexCatchUpCompleted(r, e, ref) {
    sessionOf(r, e.data).catchUp = ref;
  },
  FacilitatedDayAttended(r, { data: d }, ref) {
    r.facilitatedDays[d.sessionId] = { attendedOn: d.attendedOn, mode: d.mode, ref };
  },
} satisfies Partial<Evolvers>;
