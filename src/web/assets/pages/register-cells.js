import { fmtDate, h, shortId } from '../dom.js';

// How the register names a session and shows what was recorded for a student at it.

export const KIND = {
  webex: 'WebEx session',
  'facilitated-day': 'Facilitated day',
  session: 'Session',
  activity: 'Activity',
};

export const sessionLabel = (s) =>
  `${KIND[s.kind]}${s.moduleCode ? ` ${s.moduleCode}` : ''}${s.date ? `, ${fmtDate(s.date)}` : ''} (${s.sessionId})`;

/** A column heading: "WebEx M1" or "Day 3"; the date goes under it. */
export const shortLabel = (s) =>
  s.kind === 'webex'
    ? `WebEx ${s.moduleCode ?? s.sessionId}`
    : s.kind === 'facilitated-day'
      ? `Day: ${s.sessionId}`
      : `${KIND[s.kind]}: ${s.sessionId}`;

export const nameOf = (s) => s.name ?? `Student ${shortId(s.studentId)}`;

export function cellText(mark) {
  if (!mark) return h('span', { class: 'muted' }, 'not recorded');
  if (mark.state === 'attended')
    return h('span', { class: 'badge badge--good' }, `Attended ${fmtDate(mark.on)}`);
  if (mark.state === 'caught-up')
    return h(
      'span',
      {},
      h('span', { class: 'badge badge--info' }, `Caught up ${fmtDate(mark.on)}`),
      h('span', { class: 'small muted' }, ` after a reported absence: ${mark.reason}`),
    );
  return h(
    'span',
    {},
    h('span', { class: 'badge badge--pending' }, `Absent, reported ${fmtDate(mark.reportedOn)}`),
    h('span', { class: 'small muted' }, ` ${mark.reason}; catch-up outstanding`),
  );
}
