import { ApiError, api, seg } from '../api.js';
import { announce, emptyState, fmtDate, h, plural, sentence } from '../dom.js';
import { clearErrors, dateInput, fieldsOf, showApiError } from '../forms.js';
import { localList } from '../lists.js';
import { studentLink } from './shared.js';

// Ratifying a cohort's marks and conferring its awards at a board, each in two steps: a preview (decided
// by the same decider, nothing appended) listing every student with what would happen or why not, then
// the action itself for all of them at once. Each student's part is all or nothing on the server.

const RESULT = {
  ratify: {
    'would-apply': { text: 'Would ratify', tone: 'info' },
    applied: { text: 'Ratified', tone: 'good' },
    refused: { text: 'Refused', tone: 'bad' },
    'nothing-to-do': { text: 'Nothing to ratify', tone: 'neutral' },
  },
  confer: {
    'would-apply': { text: 'Would confer', tone: 'info' },
    applied: { text: 'Conferred', tone: 'good' },
    refused: { text: 'Not conferred', tone: 'pending' },
    'nothing-to-do': { text: 'Already awarded', tone: 'neutral' },
  },
};

/** What the events of one student's part say, in words. */
function whatHappens(action, student) {
  if (student.result === 'refused')
    return h(
      'span',
      {},
      sentence(student.refusal?.message ?? student.reason ?? ''),
      h('span', { class: 'muted small' }, ` (${student.refusal?.code ?? 'refused'})`),
    );
  if (student.result === 'nothing-to-do') return sentence(student.reason ?? '');
  if (action === 'ratify') {
    const marks = student.events.flatMap((e) => e.data?.marks ?? []);
    return marks.map((m) => `${m.moduleCode} attempt ${m.attempt}: ${m.mark}`).join('; ');
  }
  const award = student.events.find((e) => e.type === 'AwardConferred')?.data;
  return award ? `${award.title}, on ${fmtDate(award.conferredOn)}` : '';
}

/** The students of a run, in groups: those it applies to, those refused (with reasons), the others. */
export function runResults(action, run, directory) {
  const groups = [
    ['applied', ['would-apply', 'applied']],
    ['refused', ['refused']],
    ['nothing', ['nothing-to-do']],
  ];
  const titles = {
    ratify: {
      applied: run.preview ? 'Marks that would be ratified' : 'Marks ratified',
      refused: 'Refused, with the reason',
      nothing: 'Nothing to ratify',
    },
    confer: {
      applied: run.preview ? 'Eligible: would be conferred' : 'Conferred',
      refused: 'Not conferred, with the reason',
      nothing: 'Already awarded',
    },
  }[action];
  return h(
    'div',
    { class: 'board-results', 'data-testid': `${action}-results` },
    groups.map(([key, results]) => {
      const items = run.students.filter((s) => results.includes(s.result));
      if (items.length === 0) return null;
      return h(
        'div',
        { 'data-group': key },
        localList({
          caption: `${titles[key]} (${plural(items.length, 'student')})`,
          columns: [
            {
              label: 'Student',
              sort: 'student',
              value: (s) => directory.get(s.studentId)?.name ?? s.studentId,
            },
            { label: 'Result' },
            { label: key === 'applied' ? 'What' : 'Why' },
          ],
          items,
          pageSize: 50,
          sorted: { key: 'student', order: 'asc' },
          className: 'table--board-results',
          row: (s) => ({
            attrs: { 'data-student': s.studentId, 'data-result': s.result },
            cells: [
              studentLink(directory, s.studentId),
              h(
                'span',
                { class: `badge badge--${RESULT[action][s.result].tone}` },
                RESULT[action][s.result].text,
              ),
              whatHappens(action, s),
            ],
          }),
        }).el,
      );
    }),
  );
}

/**
 * A preview-then-act panel for `ratify` or `confer`. `texts` gives the buttons' words; `onDone` is called
 * after the action appended something, to refresh what the page shows.
 */
export function runPanel({ cohortId, examBoardId, action, texts, directory, onDone, withDate = false }) {
  const base = `/cohorts/${seg(cohortId)}/exam-boards/${seg(examBoardId)}/${action}`;
  const fields = withDate
    ? fieldsOf([
        [
          'conferredOn',
          'Conferred on',
          dateInput('conferredOn'),
          { hint: 'Leave empty to confer on the day the board was held; never before it.' },
        ],
      ])
    : {};
  const problem = h('div', {});
  const result = h('div', { class: 'board-run__result', 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'button', class: 'button button--secondary' }, texts.preview);
  const runButton = h('button', { type: 'button', class: 'button', hidden: true }, texts.run(0));
  const body = () =>
    withDate && fields.conferredOn.control.value ? { conferredOn: fields.conferredOn.control.value } : {};
  const send = async (suffix) => {
    clearErrors(fields, problem);
    previewButton.disabled = true;
    runButton.disabled = true;
    try {
      return await api(`${base}${suffix}`, { method: 'POST', body: body() });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(error, fields, problem, { withCode: true });
      return null;
    } finally {
      previewButton.disabled = false;
      runButton.disabled = false;
    }
  };
  previewButton.addEventListener('click', async () => {
    const run = await send('/preview');
    if (!run) return;
    result.replaceChildren(
      h(
        'p',
        { class: 'message message--info', tabindex: '-1', 'data-testid': `${action}-preview-summary` },
        texts.previewSummary(run),
      ),
      runResults(action, run, directory),
    );
    runButton.textContent = texts.run(run.counts.applied);
    runButton.hidden = run.counts.applied === 0;
    result.firstElementChild.focus();
  });
  runButton.addEventListener('click', async () => {
    const run = await send('');
    if (!run) return;
    runButton.hidden = true;
    // the page redraws what changed first, so nothing typed elsewhere after the message is redrawn away
    if (run.counts.applied) await onDone();
    const done = h(
      'p',
      {
        class: `message ${run.counts.refused ? 'message--warning' : 'message--success'}`,
        role: 'status',
        tabindex: '-1',
        'data-testid': `${action}-done`,
      },
      texts.doneSummary(run),
    );
    result.replaceChildren(done, runResults(action, run, directory));
    announce(done.textContent);
    done.focus();
  });
  return h(
    'div',
    { class: 'board-run', 'data-testid': `${action}-panel` },
    Object.values(fields).map((f) => f.wrap),
    problem,
    h('div', { class: 'button-row' }, previewButton, runButton),
    result,
  );
}

export const noBoard = () =>
  emptyState('Choose a board above, or record the one that met, to ratify marks and confer awards at it.');
