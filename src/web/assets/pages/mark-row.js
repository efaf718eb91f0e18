import { command } from '../api.js';
import { badge, field, fmtDate, h, MODULE_STATUS, shortId, uid } from '../dom.js';
import { clearErrors, dateInput, input, numberInput, numberOf, showApiError } from '../forms.js';

// One student's row of the mark grid: the submission, the mark as it stands (and its cap), the marker,
// moderations and corrections, the exam board, and the form for what can be recorded next: a
// submission, a first mark (Enter in the row saves it), or a moderation (folded away until opened).

const nameOf = (r) => r.name ?? `Student ${shortId(r.studentId)}`;

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

export function gridRow(r, data, me, mayEnter, refresh) {
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
    submittedCell = h(
      'div',
      {},
      cellField('submittedOn', 'Submitted on', dateInput('submittedOn')),
      r.permitted?.dueBy ? h('span', { class: 'small muted' }, `due by ${fmtDate(r.permitted.dueBy)}`) : null,
    );
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
