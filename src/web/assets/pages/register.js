import { api, command, seg } from '../api.js';
import { announce, emptyState, field, fill, fmtDate, h, plural, section } from '../dom.js';
import { dateInput, showApiError } from '../forms.js';
import { cohortHeader } from './cohort-nav.js';
import { cellText, nameOf, sessionLabel, shortLabel } from './register-cells.js';
import { takeSection } from './register-take.js';

// A cohort's register, as a tutor takes it (Moodle's Attendance register is the model): pick a session,
// mark each student attended or absent (a reported absence, with its reason), with the date, and save;
// each mark is one command, refused or accepted on its own. Below: the reported WebEx absences still
// to catch up, with a form to record each catch-up, and the whole register, sessions by students.
// The URL holds the session (?session=webex-M1-1).

export async function registerPage({ params: [cohortId], query, me }) {
  const el = h('div', {});
  const load = () => api(`/cohorts/${seg(cohortId)}/register`);
  let data = await load();
  const sessionId = query.get('session') ?? data.sessions[0]?.sessionId ?? null;
  const mayTake =
    me.may.includes('recordWebexAttendance') ||
    me.may.includes('recordFacilitatedDay') ||
    me.may.includes('recordParticipation');
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
