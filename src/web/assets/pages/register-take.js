import { command, qs, seg } from '../api.js';
import { announce, field, h, plural, section, sentence, uid } from '../dom.js';
import { dateInput, select, showApiError } from '../forms.js';
import { cellText, nameOf, sessionLabel } from './register-cells.js';

// Taking the register for one session: each student marked attended or absent (a reported absence asks
// for its reason), with the date; each mark is its own command, so one refusal leaves the others saved
// and is shown beside that student.

export function takeSection(cohortId, data, sessionId, refresh) {
  const sessions = data.sessions;
  const picker = field(
    'Session',
    select(
      'session',
      sessions.map((s) => [s.sessionId, sessionLabel(s)]),
      { value: sessionId ?? '' },
    ),
  );
  const body = h('div', {});
  const draw = () =>
    body.replaceChildren(
      takeForm(
        data,
        sessions.find((s) => s.sessionId === picker.control.value),
        refresh,
      ),
    );
  picker.control.addEventListener('change', () => {
    history.replaceState(
      null,
      '',
      `#/cohorts/${seg(cohortId)}/register${qs({ session: picker.control.value })}`,
    );
    draw();
  });
  draw();
  return section('Take the register', h('div', { class: 'filters' }, picker.wrap), body);
}

function takeForm(data, session, refresh) {
  const webex = session.kind === 'webex';
  const active = data.students.filter((s) => s.status !== 'withdrawn');
  const date = field('Date', dateInput('attendedOn', session.date ?? ''), {
    hint: 'The day attended, or the day the absence was reported.',
  });
  const mode = webex
    ? null
    : field(
        'Attended',
        select('mode', [
          ['face-to-face', 'Face to face'],
          ['online', 'Online'],
        ]),
      );
  const rows = active.map((student) => rowOf(student, session, webex));
  const problem = h('div', {});
  const save = h('button', { type: 'submit', class: 'button' }, 'Save the register');
  const form = h(
    'form',
    { class: 'register', novalidate: true, 'data-testid': 'register-form' },
    h('div', { class: 'filters' }, date.wrap, mode?.wrap),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table--register' },
        h('caption', {}, `${sessionLabel(session)}: ${plural(active.length, 'student')}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Student', 'Recorded', 'Mark', webex ? 'Reason for the absence' : ''].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) => r.tr),
        ),
      ),
    ),
    problem,
    save,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    date.setError(null);
    const chosen = rows.filter((r) => r.choice());
    if (chosen.length === 0) {
      problem.replaceChildren(
        h('p', { class: 'message message--info', role: 'status' }, 'Mark at least one student, then save.'),
      );
      return;
    }
    save.disabled = true;
    let saved = 0;
    const refusedRows = [];
    for (const r of chosen) {
      try {
        await r.send(date.control.value, mode?.control.value);
        saved++;
      } catch (error) {
        refusedRows.push(r);
        r.showError(error, { attendedOn: date, reportedOn: date });
      }
    }
    save.disabled = false;
    announce(
      `${plural(saved, 'mark')} saved${refusedRows.length ? `; ${refusedRows.length} refused, shown beside the student` : ''}.`,
    );
    problem.replaceChildren(
      h(
        'p',
        {
          class: `message ${refusedRows.length ? 'message--error' : 'message--success'}`,
          role: 'status',
          'data-testid': 'register-saved',
        },
        `${plural(saved, 'mark')} saved.${refusedRows.length ? ` ${refusedRows.length} refused: see the ${refusedRows.length === 1 ? 'student' : 'students'} marked.` : ''}`,
      ),
    );
    await refresh();
    (refusedRows[0]?.focusTarget() ?? problem.firstElementChild)?.focus?.();
  });
  return form;
}

function rowOf(student, session, webex) {
  const mark = student.attendance[session.sessionId];
  const name = nameOf(student);
  const recorded = h('span', {}, cellText(mark));
  const th = h(
    'th',
    { scope: 'row', 'data-label': 'Student' },
    name,
    student.status === 'interrupted' ? h('span', { class: 'small muted' }, ' (study interrupted)') : null,
  );
  if (mark || student.status === 'interrupted') {
    return {
      tr: h(
        'tr',
        {},
        th,
        h('td', { 'data-label': 'Recorded' }, recorded),
        h('td', { 'data-label': 'Mark' }, mark ? '' : '—'),
        h('td', {}),
      ),
      choice: () => null,
    };
  }
  const group = uid('mark');
  const options = [
    ['attended', 'Attended'],
    ...(webex ? [['absent', 'Absent (reported)']] : []),
    ['', 'Not recorded'],
  ];
  const radios = options.map(([value, text]) => {
    const id = uid('radio');
    const radio = h('input', { type: 'radio', name: group, value, id, checked: value === '' });
    return { radio, el: h('span', { class: 'choice' }, radio, h('label', { for: id }, text)) };
  });
  const error = h('p', { class: 'field__error', hidden: true, id: uid('row-error') });
  const fieldset = h(
    'fieldset',
    { class: 'choices' },
    h('legend', { class: 'visually-hidden' }, `Mark for ${name}`),
    radios.map((r) => r.el),
    error,
  );
  const reason = webex
    ? h('input', { name: 'reason', class: 'input', 'aria-label': `Reason ${name} was absent` })
    : null;
  const reasonError = h('p', { class: 'field__error', hidden: true, id: uid('reason-error') });
  let saved = false;
  const choice = () => (saved ? null : radios.find((r) => r.radio.checked)?.radio.value || null);
  const setError = (el, control) => (message) => {
    el.textContent = message ? `Error: ${message}` : '';
    el.hidden = !message;
    if (control) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      if (message) control.setAttribute('aria-describedby', el.id);
      else control.removeAttribute('aria-describedby');
    }
  };
  const rowField = { setError: setError(error, null), control: radios[0].radio };
  const reasonField = { setError: setError(reasonError, reason), control: reason };
  // the reason is asked for only once the student is marked absent
  const reasonBox = h('div', { class: 'reason', hidden: true }, reason, reasonError);
  const reasonCell = h(
    'td',
    { 'data-label': webex ? 'Reason for the absence' : '' },
    webex ? reasonBox : null,
  );
  for (const { radio } of radios)
    radio.addEventListener('change', () => {
      reasonBox.hidden = choice() !== 'absent';
    });
  const tr = h(
    'tr',
    { 'data-student': student.studentId },
    th,
    h('td', { 'data-label': 'Recorded' }, recorded),
    h('td', { 'data-label': 'Mark' }, fieldset),
    reasonCell,
  );
  return {
    tr,
    choice,
    focusTarget: () =>
      reasonError.hidden || reasonBox.hidden ? radios.find((r) => r.radio.checked)?.radio : reason,
    async send(on, mode) {
      rowField.setError(null);
      reasonField.setError(null);
      const base = { sessionId: session.sessionId };
      // the sessions and activities a participation threshold counts (the NPQ's) are recorded as participation
      if (session.kind === 'session' || session.kind === 'activity')
        await command(student.studentId, 'recordParticipation', { ...base, participatedOn: on });
      else if (!webex)
        await command(student.studentId, 'recordFacilitatedDay', { ...base, attendedOn: on, mode });
      else if (choice() === 'attended')
        await command(student.studentId, 'recordWebexAttendance', {
          ...base,
          moduleCode: session.moduleCode,
          attendedOn: on,
        });
      else
        await command(student.studentId, 'reportWebexAbsence', {
          ...base,
          moduleCode: session.moduleCode,
          reason: reason.value,
          reportedOn: on,
        });
      const what = choice() === 'attended' ? 'Attended' : 'Absent (reported)';
      saved = true;
      recorded.replaceChildren(h('span', { class: 'badge badge--good' }, 'Saved'));
      fieldset.replaceWith(h('span', { class: 'small' }, what));
      reasonCell.replaceChildren();
    },
    showError(error, shared) {
      const holder = h('div', {});
      showApiError(
        error,
        { ...shared, reason: reasonField, sessionId: rowField, moduleCode: rowField },
        holder,
      );
      // a refusal of the whole mark (already recorded, withdrawn) belongs to the student's row
      if (holder.firstElementChild) rowField.setError(sentence(error.message));
    },
  };
}
