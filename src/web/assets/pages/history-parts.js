import { badge, DECISION, emptyState, fmtDate, fmtInstant, h, occurredOn, RULE, shortId } from '../dom.js';
import { creditsMeter, decisionSummary, eventHref, modulesTable, rulesTable, typeWords } from './shared.js';

// The parts of the history page: a timeline entry (what it links to, what changed it), the record as it
// stood at a step or a date ("then" beside "now"), and the reading of a date as a London day.

// What the later event did to the earlier one, named from the later event's type.
const LINK_WORDS = {
  MarkModerated: ['Moderates', 'Moderated by'],
  MarkCorrected: ['Corrects', 'Corrected by'],
  MarksRatified: ['Ratifies', 'Ratified by'],
  OutcomeSignOffRevoked: ['Revokes', 'Revoked by'],
  OutcomeSignedOff: ['Evidence used', 'Used as evidence by'],
  AwardDecisionWithdrawn: ['Withdraws', 'Withdrawn by'],
  AwardReviewResolved: ['Resolves the review of', 'Review resolved by'],
};

export const CORRECTIONS = new Set([
  'MarkModerated',
  'MarkCorrected',
  'OutcomeSignOffRevoked',
  'AwardDecisionWithdrawn',
]);

/** The last instant of a London calendar day (its offset read from the browser's time-zone data). */
export function endOfLondonDay(date) {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = !part || part === 'GMT' ? '+00:00' : part.slice(3);
  return new Date(`${date}T23:59:59.999${offset}`);
}

export const londonDateOf = (instant) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));

export function modeOf(query, count, defaultView) {
  const date = query.get('date');
  const as = query.get('as') === 'known' || query.get('as') === 'happened' ? query.get('as') : defaultView;
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) return { date, as };
  const step = Number(query.get('step'));
  return { step: Number.isInteger(step) && step >= 1 && step <= count ? step : count };
}

/** The last step whose fact had happened by the date (0 if none). */
export function lastStepBy(entries, date) {
  let last = 0;
  entries.forEach((e, i) => {
    if (occurredOn(e.ref) <= date) last = i + 1;
  });
  return Math.max(last, 1);
}

export function timelineEntry(studentId, entry, step, byId) {
  const ref = entry.ref;
  const words = LINK_WORDS[ref.type];
  const linkTo = (eventId, label) => {
    const target = byId.get(eventId);
    return h(
      'a',
      { href: eventHref(studentId, eventId) },
      target ? `${target.entry.summary} (step ${target.step})` : `event ${shortId(eventId)}`,
      label ? h('span', { class: 'visually-hidden' }, ` ${label}`) : null,
    );
  };
  const later = entry.correctedBy.map((id) => ({ id, type: byId.get(id)?.entry.ref.type }));
  return h(
    'li',
    {
      class: `timeline__entry${CORRECTIONS.has(ref.type) ? ' is-correction' : ''}${later.some((l) => CORRECTIONS.has(l.type)) ? ' is-changed' : ''}`,
      id: `event-${ref.eventId}`,
      'data-step': step,
      'data-type': ref.type,
    },
    h(
      'div',
      { class: 'timeline__when' },
      h('time', { datetime: occurredOn(ref) }, fmtDate(occurredOn(ref))),
      h('span', { class: 'muted small' }, `Step ${step}`),
    ),
    h(
      'div',
      { class: 'timeline__body' },
      h(
        'p',
        { class: 'timeline__summary' },
        h('strong', {}, entry.summary),
        CORRECTIONS.has(ref.type) ? h('span', { class: 'tag tag--correction' }, 'Correction') : null,
        later.some((l) => CORRECTIONS.has(l.type))
          ? h('span', { class: 'tag tag--corrected' }, 'Later changed')
          : null,
        h(
          'span',
          { class: 'tag tag--later timeline__later', hidden: true },
          'Not yet happened at this point',
        ),
        h(
          'span',
          { class: 'tag tag--recorded-later timeline__recorded-later', hidden: true },
          'Recorded later',
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        `${typeWords(ref.type)} · recorded ${fmtInstant(ref.recordedAt)} by ${ref.actor.id} (${ref.actor.role}) · position ${ref.position} · revision ${ref.revision} · hash ${entry.hash.slice(0, 12)}`,
      ),
      entry.corrects.length
        ? h(
            'p',
            { class: 'timeline__link' },
            `${words?.[0] ?? 'Refers to'}: `,
            entry.corrects.map((id, i) => [i ? '; ' : '', linkTo(id)]),
          )
        : null,
      later.length
        ? h(
            'p',
            { class: 'timeline__link' },
            later.map((l, i) => [
              i ? '; ' : '',
              `${LINK_WORDS[l.type]?.[1] ?? 'Referred to by'}: `,
              linkTo(l.id),
            ]),
          )
        : null,
      h(
        'details',
        { class: 'timeline__data' },
        h('summary', {}, 'Event data'),
        h('pre', {}, JSON.stringify(entry.data, null, 2)),
      ),
    ),
    h(
      'div',
      { class: 'timeline__actions' },
      h(
        'button',
        { type: 'button', class: 'button button--small button--quiet timeline__replay' },
        `Replay to step ${step}`,
      ),
    ),
  );
}

export function asStoodView(studentId, view, nowDecision, mode, total) {
  const title = mode.date
    ? mode.as === 'known'
      ? `As known at the end of ${fmtDate(mode.date)}`
      : `As it stood on ${fmtDate(mode.date)}`
    : `As it stood after step ${mode.step} of ${total}`;
  const heading = h('h3', { class: 'replay__title' }, title);
  if (!view.decision)
    return [
      heading,
      emptyState(
        mode.as === 'known' && mode.date && view.eventsIncluded === 0
          ? `Nothing about this student had been recorded by the end of ${fmtDate(mode.date)}: every event in this history was recorded later (marked "Recorded later" in the timeline).`
          : 'There was no decision yet: the student had not enrolled on a programme by then.',
      ),
    ];
  const d = view.decision;
  const c = view.credits;
  const changed =
    nowDecision && (nowDecision.outcome !== d.outcome || nowDecision.credits.earned !== c.earned);
  return [
    heading,
    h(
      'div',
      { class: 'then-now' },
      h(
        'div',
        { class: 'then-now__then' },
        h('p', { class: 'small muted' }, 'Then'),
        h('p', {}, badge(DECISION, d.outcome, { 'data-testid': 'replay-outcome' })),
        h(
          'p',
          { class: 'big-figure', 'data-testid': 'replay-credits' },
          `${c.earned} of ${c.required} credits`,
        ),
        creditsMeter(c.earned, c.required, c.earnedIncludingProvisional, { figures: false }),
      ),
      nowDecision
        ? h(
            'div',
            { class: 'then-now__now' },
            h('p', { class: 'small muted' }, 'Now'),
            h('p', {}, badge(DECISION, nowDecision.outcome, { 'data-testid': 'now-outcome' })),
            h(
              'p',
              { class: 'big-figure', 'data-testid': 'now-credits' },
              `${nowDecision.credits.earned} of ${nowDecision.credits.required} credits`,
            ),
            h('p', { class: 'small' }, changed ? 'Later events changed this.' : 'The same as then.'),
          )
        : null,
    ),
    h(
      'p',
      { class: 'small muted' },
      `${view.eventsIncluded} events included; time limits judged on ${fmtDate(view.evaluatedOn)}.`,
    ),
    modulesTable(studentId, c, 'Modules and marks as they stood'),
    h(
      'ul',
      { class: 'rule-list' },
      d.rules.map((r) => h('li', {}, badge(RULE, r.outcome), ' ', h('strong', {}, r.title), `: ${r.reason}`)),
    ),
    h(
      'details',
      { class: 'replay__detail' },
      h('summary', {}, 'The full decision then: figures and events for each rule'),
      decisionSummary(d),
      rulesTable(studentId, d),
    ),
  ];
}
