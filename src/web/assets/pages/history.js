import { api, qs, seg } from '../api.js';
import {
  badge,
  DECISION,
  emptyState,
  errorPanel,
  field,
  fmtDate,
  fmtInstant,
  h,
  loading,
  occurredOn,
  pageHeader,
  RULE,
  section,
  shortId,
} from '../dom.js';
import {
  creditsMeter,
  decisionSummary,
  eventHref,
  modulesTable,
  rulesTable,
  studentName,
  typeWords,
} from './shared.js';

// A student's history as a timeline, corrections linked both ways to what they correct, and a replay
// control: step through the events one by one, or jump to a date (an exam board's, say), and see the
// decision and credits as they stood then, next to how they stand now.
//
// The URL holds the replay's position (?step=12 or ?date=2024-07-12) and an event to show (?event=<id>),
// so a view can be bookmarked or sent to a colleague.

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
const CORRECTIONS = new Set([
  'MarkModerated',
  'MarkCorrected',
  'OutcomeSignOffRevoked',
  'AwardDecisionWithdrawn',
]);

export async function historyPage({ params: [studentId], query, me }) {
  const base = `/students/${seg(studentId)}`;
  const [record, { steps }, now] = await Promise.all([
    api(base),
    api(`${base}/replay`),
    api(`${base}/decision`),
  ]);
  const name = studentName(record.personal?.fullName ?? null, studentId);
  const entries = steps.map((s) => s.entry);
  const byId = new Map(entries.map((e, i) => [e.ref.eventId, { entry: e, step: i + 1 }]));
  const boards = await examBoards(record, entries, me);

  const crumbs = me.role === 'student' ? [] : [['#/students', 'Students']];
  crumbs.push([`#/students/${seg(studentId)}`, name]);
  const header = pageHeader(`History of ${name}`, {
    crumbs,
    lead: `${entries.length} events in the order they were recorded. Corrections never change an earlier event: they are new events that name what they correct.`,
  });
  if (entries.length === 0)
    return { el: h('div', {}, header, emptyState('Nothing has been recorded for this student yet.')) };

  // ---- the timeline ----
  const items = entries.map((entry, i) => timelineEntry(studentId, entry, i + 1, byId));
  const corrected = items.filter((i) => i.matches('.is-correction, .is-changed'));
  const onlyCorrections = h('input', { type: 'checkbox', id: 'only-corrections' });
  const filterNote = h('span', { class: 'muted small', 'aria-live': 'polite' });
  onlyCorrections.addEventListener('change', () => {
    for (const item of items) item.hidden = onlyCorrections.checked && !corrected.includes(item);
    filterNote.textContent = onlyCorrections.checked
      ? `Showing ${corrected.length} of ${items.length} events.`
      : '';
  });
  const timeline = section(
    'Timeline',
    corrected.length
      ? h(
          'p',
          { class: 'check' },
          onlyCorrections,
          h('label', { for: 'only-corrections' }, 'Show only corrections and the events they changed'),
          ' ',
          filterNote,
        )
      : h('p', { class: 'muted small' }, 'Nothing in this history has been corrected.'),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' }, items),
  );

  // ---- the replay control ----
  const slider = h('input', {
    type: 'range',
    min: 1,
    max: entries.length,
    step: 1,
    value: entries.length,
    class: 'replay__slider',
    'data-testid': 'replay-slider',
  });
  const sliderField = field('Step through the history', slider, {
    hint: 'Use the arrow keys, or the buttons, to move one event at a time.',
  });
  const position = h('p', { class: 'replay__position', 'data-testid': 'replay-position' });
  const prev = h('button', { type: 'button', class: 'button button--secondary' }, '◀ Previous event');
  const next = h('button', { type: 'button', class: 'button button--secondary' }, 'Next event ▶');
  const latest = h('button', { type: 'button', class: 'button button--quiet' }, 'Latest');
  const dateInput = h('input', { type: 'date', class: 'input', 'data-testid': 'replay-date' });
  const dateField = field('Jump to a date', dateInput);
  // Two questions about a past date: what had happened by then (occurred-at), or what the ledger knew
  // then (recorded-at: "as known at"), which is what an exam board saw. An examiner looks at a board as
  // it was known; the others start from what had happened.
  const views = [
    [
      'known',
      'As known at the end of that day',
      'only what had been recorded by then, as an exam board saw it',
    ],
    [
      'happened',
      'As it had happened by then',
      'every fact dated on or before that day, even if recorded later',
    ],
  ];
  const defaultView = me.role === 'examiner' ? 'known' : 'happened';
  const viewRadios = views.map(([value, text, hint]) => {
    const id = `view-${value}`;
    const radio = h('input', {
      type: 'radio',
      name: 'replay-view',
      value,
      id,
      checked: value === (query.get('as') ?? defaultView),
    });
    return {
      radio,
      el: h(
        'span',
        { class: 'choice' },
        radio,
        h('label', { for: id }, text, h('span', { class: 'small muted' }, `: ${hint}`)),
      ),
    };
  });
  const viewOf = () => viewRadios.find((r) => r.radio.checked)?.radio.value ?? defaultView;
  const dateForm = h(
    'form',
    { class: 'replay__date', novalidate: true },
    h(
      'fieldset',
      { class: 'choices choices--stack' },
      h('legend', {}, 'Show the record'),
      viewRadios.map((r) => r.el),
    ),
    h(
      'div',
      { class: 'replay__date-row' },
      dateField.wrap,
      h('button', { type: 'submit', class: 'button' }, 'Show as it stood'),
    ),
  );
  for (const { radio } of viewRadios)
    radio.addEventListener('change', () => {
      if (mode.date) go({ date: mode.date, as: viewOf() });
    });
  const boardButtons = boards.length
    ? h(
        'div',
        { class: 'replay__boards' },
        h('p', { class: 'small', id: 'board-buttons-label' }, 'Exam boards:'),
        h(
          'ul',
          { class: 'inline-list', 'aria-labelledby': 'board-buttons-label' },
          boards.map((b) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'button button--secondary',
                  onclick: () => go({ date: b.date, as: viewOf() }),
                },
                `${b.id}, ${fmtDate(b.date)}`,
              ),
            ),
          ),
        ),
      )
    : null;
  const asStood = h('div', {
    class: 'replay__result',
    'aria-live': 'polite',
    'data-testid': 'replay-result',
  });
  const replay = section(
    'Replay',
    h(
      'div',
      { class: 'replay' },
      h(
        'div',
        { class: 'replay__controls' },
        sliderField.wrap,
        h('div', { class: 'button-row' }, prev, next, latest),
        position,
      ),
      h('div', { class: 'replay__jump' }, dateForm, boardButtons),
    ),
    asStood,
  );

  // ---- behaviour ----
  let mode = modeOf(query, entries.length, defaultView);
  let asked = 0;
  const path = `/students/${seg(studentId)}/history`;

  function go(newMode) {
    mode = newMode;
    const q = mode.date ? { date: mode.date, as: mode.as } : { step: mode.step };
    history.replaceState(null, '', `#${path}${qs(q)}`);
    apply();
  }

  function apply() {
    const n = ++asked;
    const knownAt = mode.date ? endOfLondonDay(mode.date) : null;
    const recordedLater = (e) => knownAt !== null && new Date(e.ref.recordedAt) > knownAt;
    const included = !mode.date
      ? (_e, i) => i < mode.step
      : mode.as === 'known'
        ? (e) => !recordedLater(e)
        : (e) => occurredOn(e.ref) <= mode.date;
    items.forEach((item, i) => {
      const isIn = included(entries[i], i);
      item.classList.toggle('is-future', !isIn);
      const later = item.querySelector('.timeline__later');
      later.hidden = isIn || recordedLater(entries[i]);
      const recorded = item.querySelector('.timeline__recorded-later');
      recorded.hidden = !recordedLater(entries[i]);
      recorded.textContent = `Recorded later, on ${fmtDate(londonDateOf(entries[i].ref.recordedAt))}`;
      const current = !mode.date && i === mode.step - 1;
      item.classList.toggle('is-current', current);
      if (current) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    });
    if (mode.date) {
      dateInput.value = mode.date;
      slider.value = String(lastStepBy(entries, mode.date));
      slider.setAttribute('aria-valuetext', `As at ${fmtDate(mode.date)}`);
      const count = entries.filter((e) => included(e)).length;
      const after = entries.filter((e) => recordedLater(e)).length;
      const lateIn = entries.filter((e, i) => included(e, i) && recordedLater(e)).length;
      const were = (n) => `${n} ${n === 1 ? 'was' : 'were'} recorded later`;
      position.textContent =
        mode.as === 'known'
          ? `As known at the end of ${fmtDate(mode.date)}: ${count} of ${entries.length} events had been recorded; ${were(after)}.`
          : `As at ${fmtDate(mode.date)}: ${count} of ${entries.length} events had happened${lateIn ? `, of which ${were(lateIn)}` : ''}.`;
    } else {
      slider.value = String(mode.step);
      const step = steps[mode.step - 1];
      const text = `Step ${mode.step} of ${entries.length}: ${step.entry.summary} (${fmtDate(occurredOn(step.entry.ref))})`;
      slider.setAttribute('aria-valuetext', text);
      position.textContent = text;
    }
    prev.disabled = !mode.date && mode.step <= 1;
    next.disabled = !mode.date && mode.step >= entries.length;
    asStood.replaceChildren(loading('Working out the record as it stood'));
    const bound = mode.date
      ? mode.as === 'known'
        ? { knownAt: knownAt.toISOString(), on: mode.date }
        : { occurredBy: mode.date }
      : { position: steps[mode.step - 1].entry.ref.position, on: occurredOn(steps[mode.step - 1].entry.ref) };
    api(`${base}/as-of${qs(bound)}`).then(
      (view) => {
        if (n === asked)
          asStood.replaceChildren(...asStoodView(studentId, view, now.decision, mode, entries.length));
      },
      (error) => {
        if (n === asked) asStood.replaceChildren(errorPanel(error));
      },
    );
  }

  function showEvent(eventId) {
    const item = document.getElementById(`event-${eventId}`);
    if (!item) return;
    for (const el of document.querySelectorAll('.timeline__entry.is-target'))
      el.classList.remove('is-target');
    item.classList.add('is-target');
    item.setAttribute('tabindex', '-1');
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
  }

  let timer = null;
  slider.addEventListener('input', () => {
    // move the marker at once; ask the ledger once the slider rests
    clearTimeout(timer);
    timer = setTimeout(() => go({ step: Number(slider.value) }), 120);
  });
  prev.addEventListener('click', () =>
    go({ step: mode.date ? lastStepBy(entries, mode.date) : mode.step - 1 }),
  );
  next.addEventListener('click', () =>
    go({ step: mode.date ? Math.min(lastStepBy(entries, mode.date) + 1, entries.length) : mode.step + 1 }),
  );
  latest.addEventListener('click', () => go({ step: entries.length }));
  dateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) {
      dateField.setError('enter a date, e.g. 12/07/2024');
      dateInput.focus();
      return;
    }
    dateField.setError(null);
    go({ date: dateInput.value, as: viewOf() });
  });
  for (const item of items)
    item.querySelector('.timeline__replay').addEventListener('click', () => {
      go({ step: Number(item.dataset.step) });
      asStood.closest('section')?.scrollIntoView({ block: 'start' });
      slider.focus({ preventScroll: true });
    });

  apply();
  return {
    el: h('div', { class: 'history' }, header, h('div', { class: 'history__layout' }, replay, timeline)),
    update(q) {
      const eventId = q.get('event');
      if (q.has('step') || q.has('date') || !eventId) {
        mode = modeOf(q, entries.length, defaultView);
        apply();
      }
      if (eventId) showEvent(eventId);
    },
    mounted() {
      const eventId = query.get('event');
      if (eventId) showEvent(eventId);
    },
  };
}

/** The last instant of a London calendar day (its offset read from the browser's time-zone data). */
export function endOfLondonDay(date) {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = !part || part === 'GMT' ? '+00:00' : part.slice(3);
  return new Date(`${date}T23:59:59.999${offset}`);
}

const londonDateOf = (instant) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));

function modeOf(query, count, defaultView) {
  const date = query.get('date');
  const as = query.get('as') === 'known' || query.get('as') === 'happened' ? query.get('as') : defaultView;
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) return { date, as };
  const step = Number(query.get('step'));
  return { step: Number.isInteger(step) && step >= 1 && step <= count ? step : count };
}

/** The last step whose fact had happened by the date (0 if none). */
function lastStepBy(entries, date) {
  let last = 0;
  entries.forEach((e, i) => {
    if (occurredOn(e.ref) <= date) last = i + 1;
  });
  return Math.max(last, 1);
}

/** Exam boards this student's history mentions, and their cohort's boards where this user may read it. */
async function examBoards(record, entries, me) {
  const boards = new Map();
  for (const e of entries) {
    if (e.ref.type === 'MarksRatified') boards.set(e.data.examBoardId, e.data.boardDate);
    if (e.ref.type === 'AwardConferred' && !boards.has(e.data.examBoardId))
      boards.set(e.data.examBoardId, e.data.conferredOn);
  }
  const cohortId = record.enrolment?.cohortId;
  if (cohortId && me.role !== 'student') {
    try {
      const { cohort } = await api(`/cohorts/${seg(cohortId)}`);
      for (const b of cohort.examBoards) if (!boards.has(b.examBoardId)) boards.set(b.examBoardId, b.heldOn);
    } catch {
      // a cohort this user may not read: the boards in the history are enough
    }
  }
  return [...boards].map(([id, date]) => ({ id, date })).sort((a, b) => (a.date < b.date ? -1 : 1));
}

function timelineEntry(studentId, entry, step, byId) {
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

function asStoodView(studentId, view, nowDecision, mode, total) {
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
