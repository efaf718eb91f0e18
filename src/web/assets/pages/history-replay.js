import { api, seg } from '../api.js';
import { field, fmtDate, h, section } from '../dom.js';

// The replay's controls on a student's history page: a slider and buttons to step through the events, a
// date to jump to, seen as known then (what an exam board saw) or as it had happened, and the exam
// boards to jump to. The page (history.js) wires them to the replay.

/** The controls, unwired; `view` is the view chosen at first, `onBoard(board)` jumps to a board. */
export function replayControls({ entries, boards, view, defaultView, onBoard }) {
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
  const viewRadios = views.map(([value, text, hint]) => {
    const id = `view-${value}`;
    const radio = h('input', {
      type: 'radio',
      name: 'replay-view',
      value,
      id,
      checked: value === view,
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
                  onclick: () => onBoard(b),
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

  return {
    replay,
    slider,
    dateField,
    dateInput,
    dateForm,
    position,
    prev,
    next,
    latest,
    viewRadios,
    viewOf,
    asStood,
  };
}

/** Exam boards this student's history mentions, and their cohort's boards where this user may read it. */
export async function examBoards(record, entries, me) {
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
