import { api } from '../api.js';
import { announce, h, pageHeader, section } from '../dom.js';
import { commandForm, dateInput, fieldsOf, input, select } from '../forms.js';

// A registry officer creates a cohort on a published programme specification, with its sessions (the
// WebEx sessions and facilitated days the register will list). "Plan the sessions" fills them in from
// the specification: each module's WebEx sessions at the module's start (modules a term apart) and the
// facilitated days a month apart, as the demo cohorts are planned; each can then be changed or removed.

const addMonths = (iso, n) => {
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
};

export async function newCohortPage({ navigate }) {
  const { specifications } = await api('/specifications');
  const specs = new Map(specifications.map((s) => [`${s.programmeId}@${s.version}`, s]));
  const fields = fieldsOf([
    [
      'cohortId',
      'Cohort id',
      input('cohortId', { autocomplete: 'off', spellcheck: 'false' }),
      { hint: 'Letters, digits, dot, dash or underscore, e.g. blended-2025-autumn-leeds.' },
    ],
    ['name', 'Name', input('name', { class: 'input input--wide' })],
    [
      'programmeId',
      'Programme specification',
      select(
        'programme',
        specifications.map((s) => [
          `${s.programmeId}@${s.version}`,
          `${s.provider}: ${s.programmeId}, version ${s.version}`,
        ]),
        { blank: 'Choose the programme', attrs: { class: 'input input--wide' } },
      ),
    ],
    [
      'intake',
      'Intake',
      select('intake', [
        ['autumn', 'Autumn'],
        ['spring', 'Spring'],
      ]),
    ],
    ['location', 'Location', input('location')],
    [
      'mode',
      'Mode',
      select('mode', [
        ['face-to-face', 'Face to face'],
        ['online', 'Online'],
        ['blended', 'Blended'],
      ]),
    ],
    ['startsOn', 'Starts on', dateInput('startsOn')],
  ]);
  const sessionRows = h('ol', { class: 'sessions', 'data-testid': 'sessions' });
  const live = [];
  const spec = () => specs.get(fields.programmeId.control.value);
  const moduleOptions = () => (spec()?.modules ?? []).map((m) => [m.code, m.code]);
  // the API names a session's field by its place in the list sent: sessions.2.date
  const reindex = () => {
    for (const k of Object.keys(fields)) if (k.startsWith('sessions.')) delete fields[k];
    live.forEach((e, i) => {
      for (const [n, f] of Object.entries(e.row)) fields[`sessions.${i}.${n}`] = f;
    });
  };

  function addSession(s = { sessionId: '', kind: 'webex', moduleCode: '', date: '' }) {
    const row = fieldsOf([
      ['sessionId', 'Session id', input('sessionId', { value: s.sessionId, class: 'input input--short' })],
      [
        'kind',
        'Kind',
        select(
          'kind',
          [
            ['webex', 'WebEx session'],
            ['facilitated-day', 'Facilitated day'],
          ],
          { value: s.kind },
        ),
      ],
      [
        'moduleCode',
        'Module',
        select('moduleCode', moduleOptions(), { value: s.moduleCode ?? '', blank: 'None (whole programme)' }),
      ],
      ['date', 'Date', dateInput('date', s.date)],
    ]);
    const remove = h(
      'button',
      { type: 'button', class: 'button button--quiet button--small' },
      'Remove this session',
    );
    const li = h(
      'li',
      { class: 'session-row' },
      Object.values(row).map((f) => f.wrap),
      remove,
    );
    const entry = { li, row };
    remove.addEventListener('click', () => {
      live.splice(live.indexOf(entry), 1);
      li.remove();
      reindex();
      addButton.focus();
    });
    live.push(entry);
    sessionRows.append(li);
    reindex();
    return row;
  }
  const clearSessions = () => {
    for (const e of live) e.li.remove();
    live.length = 0;
    reindex();
  };
  const addButton = h('button', { type: 'button', class: 'button button--secondary' }, 'Add a session');
  addButton.addEventListener('click', () => addSession().sessionId.control.focus());
  const planButton = h(
    'button',
    { type: 'button', class: 'button button--secondary' },
    'Plan the sessions from the programme',
  );
  const planNote = h('p', { class: 'small muted', 'aria-live': 'polite' });
  planButton.addEventListener('click', () => {
    const s = spec();
    const start = fields.startsOn.control.value;
    if (!s || !start) {
      planNote.textContent = 'Choose the programme and the start date first.';
      return;
    }
    clearSessions();
    s.modules.forEach((m, i) => {
      for (let k = 1; k <= m.webexSessions; k++)
        addSession({
          sessionId: `webex-${m.code}-${k}`,
          kind: 'webex',
          moduleCode: m.code,
          date: addMonths(start, i * 3),
        });
    });
    for (let d = 1; d <= s.attendance.facilitatedDaysRequired; d++)
      addSession({
        sessionId: `day-${d}`,
        kind: 'facilitated-day',
        moduleCode: '',
        date: addMonths(start, d - 1),
      });
    planNote.textContent = `${live.length} sessions planned from ${s.programmeId}, version ${s.version}. Change any before creating the cohort.`;
  });

  const { form } = commandForm({
    fields,
    submitText: 'Create the cohort',
    testId: 'new-cohort-form',
    extra: [
      h(
        'fieldset',
        { class: 'fieldset' },
        h('legend', {}, 'Sessions'),
        h('p', { class: 'field__hint' }, 'The WebEx sessions and facilitated days the register lists.'),
        h('div', { class: 'button-row' }, planButton, addButton),
        planNote,
        sessionRows,
      ),
    ],
    onSubmit: async (f) => {
      reindex();
      const [programmeId, version] = (f.programmeId.control.value || '@').split('@');
      const body = {
        cohortId: f.cohortId.control.value.trim(),
        name: f.name.control.value.trim(),
        programmeId: programmeId || null,
        specVersion: version ? Number(version) : null,
        intake: f.intake.control.value,
        location: f.location.control.value.trim(),
        mode: f.mode.control.value,
        startsOn: f.startsOn.control.value,
        sessions: live.map(({ row }) => ({
          sessionId: row.sessionId.control.value.trim(),
          kind: row.kind.control.value,
          moduleCode: row.moduleCode.control.value || null,
          date: row.date.control.value,
        })),
      };
      await api('/cohorts', { method: 'POST', body });
      announce(`Cohort ${body.cohortId} created.`);
      navigate(`/cohorts/${encodeURIComponent(body.cohortId)}/admin?created=1`);
    },
  });
  fields.specVersion = fields.programmeId; // the API names the version apart; the page picks both at once
  fields.programmeId.control.addEventListener('change', () => {
    for (const { row } of live) {
      const control = row.moduleCode.control;
      const value = control.value;
      control.replaceChildren(
        h('option', { value: '' }, 'None (whole programme)'),
        ...moduleOptions().map(([v, t]) => h('option', { value: v }, t)),
      );
      control.value = value;
    }
  });
  return {
    el: h(
      'div',
      {},
      pageHeader('Create a cohort', {
        crumbs: [['#/cohorts', 'Cohorts']],
        lead: 'A cohort runs one version of a programme specification; its students are enrolled on that version. Assign its tutors and examiners and upload its applicants next.',
      }),
      section('The cohort', form),
    ),
    focus: fields.cohortId.control,
  };
}
