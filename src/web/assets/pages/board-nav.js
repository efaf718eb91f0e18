import { qs, seg } from '../api.js';
import { fmtDate, h, link } from '../dom.js';

// Finding one's way in the exam-board workspace: the cohort's boards (newest first) as links, and the
// long page's "On this page" list.

export const latestBoard = (boards) =>
  [...boards].sort((a, b) => b.heldOn.localeCompare(a.heldOn))[0] ?? null;

export function boardChooser(cohort, chosen) {
  if (cohort.examBoards.length === 0)
    return h('p', { class: 'muted' }, 'No board has met for this cohort yet.');
  return h(
    'nav',
    { class: 'board-chooser', 'aria-label': 'Exam boards of this cohort' },
    h('p', { class: 'small muted' }, 'The boards of this cohort, newest first:'),
    h(
      'ul',
      { class: 'inline-list' },
      [...cohort.examBoards]
        .sort((a, b) => b.heldOn.localeCompare(a.heldOn))
        .map((b) =>
          h(
            'li',
            {},
            link(
              `#/cohorts/${seg(cohort.cohortId)}/exam-board${qs({ board: b.examBoardId })}`,
              `${b.examBoardId}, ${fmtDate(b.heldOn)}`,
              { 'aria-current': b.examBoardId === chosen ? 'page' : null, class: 'board-chooser__link' },
            ),
          ),
        ),
    ),
  );
}

/** "On this page": a button per part that moves focus to its heading, found when pressed (parts redraw). */
export function contents(parts) {
  const headingOf = (where) => (typeof where === 'function' ? where() : where.querySelector('h2'));
  return h(
    'nav',
    { class: 'contents board-contents no-print', 'aria-label': 'On this page' },
    h('p', { class: 'small muted' }, 'On this page:'),
    h(
      'ul',
      { class: 'inline-list' },
      parts.map(([label, where]) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'button button--link',
              onclick: () => {
                const heading = headingOf(where);
                if (!heading) return;
                heading.setAttribute('tabindex', '-1');
                heading.focus();
                heading.scrollIntoView({ block: 'start' });
              },
            },
            label,
          ),
        ),
      ),
    ),
  );
}
