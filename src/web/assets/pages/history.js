import { api, qs, seg } from '../api.js';
import {
  emptyState,
  errorPanel,
  field,
  fmtDate,
  h,
  loading,
  occurredOn,
  pageHeader,
  section,
} from '../dom.js';
import {
  asStoodView,
  endOfLondonDay,
  lastStepBy,
  londonDateOf,
  modeOf,
  timelineEntry,
} from './history-parts.js';
import { studentName } from './shared.js';

// A student's history as a timeline, corrections linked both ways to what they correct, and a replay
// control: step through the events one by one, or jump to a date (an exam board's, say), and see the
// decision and credits as they stood then, next to how they stand now.
//
// The URL holds the replay's position (?step=12 or ?date=2024-07-12) and an event to show (?event=<id>),
// so a view can be bookmarked or sent to a colleague.

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
