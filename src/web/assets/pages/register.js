import { api, command, qs, seg } from '../api.js';
import {
  announce,
  emptyState,
  field,
  fill,
  fmtDate,
  h,
  plural,
  section,
  sentence,
  shortId,
  uid,
} from '../dom.js';
import { dateInput, select, showApiError } from '../forms.js';
import { cohortHeader } from './cohort-nav.js';

// A cohort's register, as a tutor takes it (Moodle's Attendance register is the model): pick a session,
// mark each student attended or absent (a reported absence, with its reason), with the date, and save;
// each mark is one command, refused or accepted on its own. Below: the reported WebEx absences still
// to catch up, with a form to record each catch-up, and the whole register, sessions by students.
// The URL holds the session (?session=webex-M1-1).

const KIND = { webex: 'WebEx session', 'facilitated-day': 'Facilitated day' };

export const sessionLabel = (s) =>
  `${KIND[s.kind]}${s.moduleCode ? ` ${s.moduleCode}` : ''}${s.date ? `, ${fmtDate(s.date)}` : ''} (${s.sessionId})`;

/** A column heading: "WebEx M1" or "Day 3"; the date goes under it. */
const shortLabel = (s) =>
  s.kind === 'webex' ? `WebEx ${s.moduleCode ?? s.sessionId}` : `Day: ${s.sessionId}`;

const nameOf = (s) => s.name ?? `Student ${shortId(s.studentId)}`;

function cellText(mark) {
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

export async function registerPage({ params: [cohortId], query, me }) {
  const el = h('div', {});
  const load = () => api(`/cohorts/${seg(cohortId)}/register`);
  let data = await load();
  const sessionId = query.get('session') ?? data.sessions[0]?.sessionId ?? null;
  const mayTake = me.may.includes('recordWebexAttendance') || me.may.includes('recordFacilitatedDay');
  const mayCatchUp = me.may.includes('completeWebexCatchUp');
  let catchUps = catchUpSection(data, mayCatchUp, refresh);
  let overview = overviewSection(data);
  async function refresh() {
    data = await load();
    const next = [catchUpSection(data, mayCatchUp, refresh), overviewSection(data)];
    catchUps.replaceWith(next[0]);
    overview.replaceWith(next[1]);
    [catchUps, overview] = next;
  }
  fill(
    el,
    ...cohortHeader(
      data.cohort,
      `Register: ${data.cohort.name}`,
      '/register',
      me,
      data.rules?.webex === 'all-sessions'
        ? `Every WebEx session must be attended; an absence must be reported, and a catch-up then completes the session (${data.rules.source}).`
        : data.rules?.source,
    ),
    data.sessions.length === 0
      ? emptyState('This cohort lists no sessions yet.')
      : mayTake
        ? takeSection(cohortId, data, sessionId, refresh)
        : section(
            'Take the register',
            emptyState("The cohort's tutors take the register; you can read it below."),
          ),
    catchUps,
    overview,
  );
  return { el };
}

function takeSection(cohortId, data, sessionId, refresh) {
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
      if (!webex) await command(student.studentId, 'recordFacilitatedDay', { ...base, attendedOn: on, mode });
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

function catchUpSection(data, mayRecord, refresh) {
  const byId = new Map(data.students.map((s) => [s.studentId, s]));
  if (data.catchUps.length === 0)
    return section('Absences to catch up', emptyState('No reported absence is waiting for its catch-up.'));
  return section(
    'Absences to catch up',
    h('p', {}, `${plural(data.catchUps.length, 'reported absence')} still to catch up.`),
    h(
      'ul',
      { class: 'plain-list catch-ups' },
      data.catchUps.map((c) => {
        const student = byId.get(c.studentId);
        const session = data.sessions.find((s) => s.sessionId === c.sessionId);
        const summary = h(
          'p',
          {},
          h('strong', {}, nameOf(student)),
          `: ${session ? sessionLabel(session) : c.sessionId}, absence reported ${fmtDate(c.reportedOn)} (${c.reason}).`,
        );
        if (!mayRecord) return h('li', { class: 'catch-up' }, summary);
        const on = field('Caught up on', dateInput('completedOn'));
        const how = field('How', h('input', { name: 'how', class: 'input input--wide' }), {
          hint: 'e.g. "Watched the recording and discussed it with the tutor"',
        });
        const problem = h('div', {});
        const form = h(
          'form',
          { class: 'inline-form', novalidate: true },
          on.wrap,
          how.wrap,
          h('button', { type: 'submit', class: 'button button--secondary' }, 'Record the catch-up'),
          problem,
        );
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          try {
            await command(c.studentId, 'completeWebexCatchUp', {
              sessionId: c.sessionId,
              moduleCode: c.moduleCode,
              completedOn: on.control.value,
              how: how.control.value,
            });
            announce(`Catch-up recorded for ${nameOf(student)}.`);
            await refresh();
            document.querySelector('[data-testid="register-overview"]')?.focus();
          } catch (error) {
            showApiError(error, { completedOn: on, how, sessionId: on }, problem);
          }
        });
        return h('li', { class: 'catch-up', 'data-student': c.studentId }, summary, form);
      }),
    ),
  );
}

function overviewSection(data) {
  const withdrawn = data.students.filter((s) => s.status === 'withdrawn');
  const current = data.students.filter((s) => s.status !== 'withdrawn');
  const grid = (students, caption) =>
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table--grid' },
        h('caption', {}, caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Student'),
            data.sessions.map((s) =>
              h(
                'th',
                { scope: 'col', title: s.sessionId },
                shortLabel(s),
                s.date ? h('span', { class: 'th-date' }, fmtDate(s.date)) : null,
              ),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          students.map((s) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', 'data-label': 'Student' }, nameOf(s)),
              data.sessions.map((session) =>
                h(
                  'td',
                  {
                    'data-label': `${shortLabel(session)}${session.date ? `, ${fmtDate(session.date)}` : ''}`,
                  },
                  cellText(s.attendance[session.sessionId]),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  const heading = h(
    'h2',
    { id: 'register-overview', tabindex: '-1', 'data-testid': 'register-overview' },
    'The register',
  );
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'register-overview' },
    heading,
    current.length
      ? grid(current, `${plural(current.length, 'student')} by ${plural(data.sessions.length, 'session')}`)
      : emptyState('No students are enrolled on this cohort yet.'),
    withdrawn.length
      ? h(
          'div',
          { class: 'withdrawn' },
          h('h3', {}, `Withdrawn (${withdrawn.length})`),
          h(
            'p',
            { class: 'small muted' },
            'Nothing more can be recorded for a withdrawn student; what was recorded before stays.',
          ),
          grid(withdrawn, 'Withdrawn students'),
        )
      : null,
  );
}
