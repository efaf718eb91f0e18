import { api, command, qs, seg } from '../api.js';
import {
  announce,
  badge,
  emptyState,
  facts,
  field,
  fmtDate,
  h,
  MODULE_STATUS,
  plural,
  section,
  shortId,
  uid,
} from '../dom.js';
import { clearErrors, dateInput, input, numberInput, numberOf, select, showApiError } from '../forms.js';
import { cohortHeader } from './cohort-nav.js';

// The mark grid of a cohort for one module and attempt (a gradebook): per student the submission, the
// mark as it stands with its marker, each moderation and correction, and whether an exam board ratified
// it. A tutor records a submission, a first mark, or a moderation in the student's row; each is the
// student command of that name. The pass mark and the cap on a resubmission are shown above the grid.
// The URL holds the module and attempt (?module=M1&attempt=1).

const nameOf = (r) => r.name ?? `Student ${shortId(r.studentId)}`;

export async function marksPage({ params: [cohortId], query, me }) {
  const moduleCode = query.get('module') ?? undefined;
  const attempt = Number(query.get('attempt') ?? 1) || 1;
  const load = () => api(`/cohorts/${seg(cohortId)}/marks${qs({ moduleCode, attempt })}`);
  let data = await load();
  const m = data.module;
  const path = `#/cohorts/${seg(cohortId)}/marks`;
  const go = (module, n) => {
    location.hash = `${path}${qs({ module, attempt: n })}`;
  };
  const modulePick = field(
    'Module',
    select(
      'module',
      data.modules.map((x) => [x.code, `${x.code}: ${x.title}`]),
      { value: m.code },
    ),
  );
  const attempts = Array.from({ length: m.attemptsAllowed }, (_, i) => [
    String(i + 1),
    i === 0 ? 'First attempt' : `Resubmission (attempt ${i + 1})`,
  ]);
  const attemptPick = field('Attempt', select('attempt', attempts, { value: String(data.attempt) }));
  modulePick.control.addEventListener('change', () => go(modulePick.control.value, 1));
  attemptPick.control.addEventListener('change', () => go(m.code, attemptPick.control.value));

  const about = facts(
    [
      ['Pass mark', h('strong', { 'data-testid': 'pass-mark' }, `${m.passMark}`)],
      ['Credits', `${m.credits}`],
      [
        'Attempts allowed',
        `${m.attemptsAllowed} (${m.attemptsAllowed - 1} resubmission${m.attemptsAllowed === 2 ? '' : 's'})`,
      ],
      [
        'A resubmission',
        h(
          'span',
          { 'data-testid': 'resubmission-cap' },
          m.resubmissionCap === null
            ? 'is not capped'
            : `is capped at ${m.resubmissionCap}: a higher mark counts as ${m.resubmissionCap}`,
        ),
      ],
    ],
    'facts facts--module',
  );
  const gridHolder = h('div', {});
  const draw = (focusStudent = null) => {
    gridHolder.replaceChildren(grid(data, me, refresh));
    if (focusStudent)
      gridHolder
        .querySelector(`tr[data-student="${focusStudent}"] input, tr[data-student="${focusStudent}"] th`)
        ?.focus();
  };
  async function refresh(studentId, text) {
    data = await load();
    draw(studentId);
    announce(text);
  }
  draw();
  return {
    el: h(
      'div',
      {},
      ...cohortHeader(data.cohort, `Marks: ${data.cohort.name}`, '/marks', me),
      h('div', { class: 'filters' }, modulePick.wrap, attemptPick.wrap),
      section(
        `${m.code}: ${m.title}, ${data.attempt === 1 ? 'first attempt' : `resubmission (attempt ${data.attempt})`}`,
        about,
        gridHolder,
      ),
    ),
  };
}

function grid(data, me, refresh) {
  const rows = data.rows.filter((r) => r.status !== 'withdrawn');
  const withdrawn = data.rows.filter((r) => r.status === 'withdrawn');
  const mayEnter = me.may.includes('markAssignment');
  if (rows.length === 0) return emptyState('No students are enrolled on this cohort yet.');
  const columns = [
    'Student',
    'Submitted',
    'Mark',
    'Marker',
    'Moderation and corrections',
    'Exam board',
    ...(mayEnter ? ['Enter'] : []),
  ];
  const open = rows.filter((r) => r.open).length;
  return h(
    'div',
    {},
    data.attempt > 1
      ? h('p', {}, `${plural(open, 'student')} may resubmit: registry permitted it after a ratified fail.`)
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table--marks', 'data-testid': 'mark-grid' },
        h(
          'caption',
          {},
          `${plural(rows.length, 'student')}; a mark is provisional until an exam board ratifies it`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) => gridRow(r, data, me, mayEnter, refresh)),
        ),
      ),
    ),
    withdrawn.length
      ? h(
          'p',
          { class: 'small muted withdrawn' },
          `Withdrawn, not listed: ${withdrawn.map(nameOf).join(', ')}.`,
        )
      : null,
  );
}

function markText(r) {
  const k = r.mark;
  return h(
    'div',
    {},
    h('strong', { class: 'mark', 'data-testid': 'mark' }, `${k.effectiveMark}`),
    k.cappedAt !== null && k.mark > k.cappedAt
      ? h('span', { class: 'small' }, ` (${k.mark}, capped at ${k.cappedAt})`)
      : null,
    ' ',
    badge(
      { pass: { text: 'Pass', tone: 'good' }, fail: { text: 'Below the pass mark', tone: 'bad' } },
      k.passed ? 'pass' : 'fail',
    ),
  );
}

function gridRow(r, data, me, mayEnter, refresh) {
  const name = nameOf(r);
  const cells = { student: h('th', { scope: 'row', 'data-label': 'Student' }, name) };
  const td = (label, ...content) => h('td', { 'data-label': label }, ...content);
  const formId = uid('row');
  const form = h('form', { id: formId, novalidate: true, class: 'row-form' });
  const problem = h('div', {});
  const fields = {};
  const cellField = (name2, label, control) => {
    control.setAttribute('form', formId);
    fields[name2] = field(`${label}, ${name}`, control, { hideLabel: true });
    fields[name2].wrap.classList.add('field--cell');
    const visible = h('span', { class: 'small muted', 'aria-hidden': 'true' }, label);
    fields[name2].wrap.prepend(visible);
    return fields[name2].wrap;
  };
  let submit = null;
  let done = '';
  let act = null;
  const closed = !r.open || r.moduleStatus === 'apl-approved' || (r.moduleStatus === 'passed' && !r.mark);
  const submitted = r.submission
    ? h(
        'span',
        {},
        fmtDate(r.submission.on),
        r.plan ? h('span', { class: 'small muted' }, ` (plan ${fmtDate(r.plan.on)})`) : null,
      )
    : null;
  let submittedCell = submitted ?? h('span', { class: 'muted' }, 'not submitted');
  let markCell = r.mark ? markText(r) : h('span', { class: 'muted' }, 'not marked');
  let markerCell = r.mark
    ? h('span', {}, r.mark.marker, h('span', { class: 'small muted' }, `, ${fmtDate(r.mark.markedOn)}`))
    : '—';
  const later = r.mark?.later.length
    ? h(
        'ul',
        { class: 'plain-list small' },
        r.mark.later.map((s) =>
          h(
            'li',
            {},
            `${s.kind === 'moderated' ? 'Moderated' : 'Corrected'} to ${s.mark} by ${s.by}, ${fmtDate(s.on)}${s.reason ? `: ${s.reason}` : ''}`,
          ),
        ),
      )
    : null;
  let moderationCell = later ?? (r.mark ? h('span', { class: 'muted' }, 'none') : '—');
  if (closed) {
    submittedCell = submitted ?? h('span', { class: 'muted' }, r.open ? '—' : 'no resubmission permitted');
  } else if (mayEnter && !r.submission) {
    submittedCell = cellField('submittedOn', 'Submitted on', dateInput('submittedOn'));
    submit = 'Record the submission';
    done = `Submission recorded for ${name}.`;
    act = () =>
      command(r.studentId, 'submitAssignment', {
        moduleCode: data.module.code,
        attempt: data.attempt,
        kind: 'final',
        submittedOn: fields.submittedOn.control.value,
      });
  } else if (mayEnter && !r.mark) {
    markCell = h(
      'div',
      { class: 'cell-fields' },
      cellField('mark', 'Mark', numberInput('mark', { min: 0, max: 100 })),
      cellField('markedOn', 'Marked on', dateInput('markedOn')),
    );
    markerCell = cellField(
      'marker.id',
      'Marker',
      input('marker', { placeholder: me.id, class: 'input input--short', autocomplete: 'off' }),
    );
    submit = 'Save the mark';
    done = `Mark saved for ${name}.`;
    act = () => {
      const marker = fields['marker.id'].control.value.trim();
      return command(r.studentId, 'markAssignment', {
        moduleCode: data.module.code,
        attempt: data.attempt,
        mark: numberOf(fields.mark.control),
        markedOn: fields.markedOn.control.value,
        ...(marker ? { marker: { id: marker } } : {}),
      });
    };
  } else if (mayEnter && r.mark) {
    // Moderation is occasional (second marking of a sample): folded away until asked for.
    submit = 'Moderate';
    done = `Moderation recorded for ${name}.`;
    // The fields are made when the tutor opens the fold: a 200-student grid stays light.
    const fold = h('div', { class: 'cell-fields' });
    const details = h(
      'details',
      { class: 'moderate' },
      h('summary', {}, 'Moderate this mark', h('span', { class: 'visually-hidden' }, ` (${name})`)),
      fold,
    );
    details.addEventListener('toggle', () => {
      if (!details.open || fold.childElementCount) return;
      fold.append(
        cellField('moderatedMark', 'Moderated mark', numberInput('moderatedMark', { min: 0, max: 100 })),
        cellField('moderatedOn', 'Moderated on', dateInput('moderatedOn')),
        cellField('note', 'Note (optional)', input('note', { class: 'input' })),
        form,
      );
      fields.moderatedMark.control.focus();
    });
    moderationCell = h('div', {}, later, details);
    act = () => {
      const note = fields.note.control.value.trim();
      return command(r.studentId, 'moderateMark', {
        markEventId: r.mark.markEventId,
        moderatedMark: numberOf(fields.moderatedMark.control),
        moderatedOn: fields.moderatedOn.control.value,
        ...(note ? { note } : {}),
      });
    };
  }
  const board = r.mark
    ? r.mark.ratified
      ? h(
          'span',
          {},
          h('span', { class: 'badge badge--good' }, 'Ratified'),
          h('span', { class: 'small' }, ` ${r.mark.board.examBoardId}, ${fmtDate(r.mark.board.boardDate)}`),
        )
      : h(
          'span',
          {},
          h('span', { class: 'badge badge--pending' }, 'Provisional'),
          r.mark.changedAfterRatification
            ? h('span', { class: 'small' }, ` changed after the board ratified ${r.mark.board.mark}`)
            : null,
        )
    : badge(MODULE_STATUS, r.moduleStatus);
  if (submit) {
    const button = h(
      'button',
      { type: 'submit', class: 'button button--small' },
      submit,
      h('span', { class: 'visually-hidden' }, ` for ${name}`),
    );
    form.append(button, problem);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(fields, problem);
      button.disabled = true;
      try {
        await act();
        await refresh(r.studentId, done);
      } catch (error) {
        showApiError(error, fields, problem);
        button.disabled = false;
      }
    });
  }
  return h(
    'tr',
    { 'data-student': r.studentId },
    cells.student,
    td('Submitted', submittedCell),
    td('Mark', markCell),
    td('Marker', markerCell),
    td('Moderation and corrections', moderationCell),
    td('Exam board', board),
    mayEnter
      ? td(
          'Enter',
          submit && submit !== 'Moderate'
            ? form
            : closed || r.mark
              ? null
              : h('span', { class: 'muted small' }, '—'),
        )
      : null,
  );
}
