import { api, command, qs, seg } from '../api.js';
import { announce, emptyState, fmtDate, h, plural, section, shortId } from '../dom.js';
import { commandForm, dateInput, fieldsOf, input, numberOf, select } from '../forms.js';
import { localList } from '../lists.js';
import { cohortHeader } from './cohort-nav.js';

// Partner-school visits across a cohort: each student's days per module against the module's
// requirement (seed 003: 2, 1 and 2 days on the blended programme), and a form to record a visit for a
// student (school, phase, date, module, hours), with the visits already recorded for them. The URL holds
// the student the form is for (?student=<id>).

const PHASES = [
  ['early-years', 'Early years'],
  ['primary', 'Primary'],
  ['secondary', 'Secondary'],
  ['all-through', 'All-through'],
  ['special', 'Special'],
  ['post-16', 'Post-16'],
];
const nameOf = (s) => s.name ?? `Student ${shortId(s.studentId)}`;

function moduleCell(m) {
  if (m.replacedByApl) return h('span', { class: 'badge badge--neutral' }, 'Replaced by APL/RPL');
  const met = m.days >= m.required;
  return h(
    'span',
    {},
    h(
      'span',
      { class: `badge ${met ? 'badge--good' : 'badge--pending'}` },
      `${m.days} of ${plural(m.required, 'day')}`,
    ),
    m.hours ? h('span', { class: 'small muted' }, ` (${m.hours} h)`) : null,
  );
}

export async function visitsPage({ params: [cohortId], query, me }) {
  const load = () => api(`/cohorts/${seg(cohortId)}/visits`);
  let data = await load();
  const path = `#/cohorts/${seg(cohortId)}/visits`;
  const mayRecord = me.may.includes('recordPartnerSchoolVisit');
  const req = data.requirement;
  const lead = `${req.totalDays} partner-school days in all: ${req.modules.map((m) => `${m.moduleCode} ${m.days}`).join(', ')} (${req.source}). Each visit counts as a day.`;

  const columns = [
    { label: 'Student', sort: 'name', value: (s) => nameOf(s) },
    ...req.modules.map((m, i) => ({
      label: `${m.moduleCode} (${m.days} required)`,
      sort: m.moduleCode,
      value: (s) => s.modules[i].days - s.modules[i].required,
    })),
    { label: 'In all', sort: 'total', value: (s) => s.modules.reduce((n, m) => n + m.days, 0) },
    ...(mayRecord ? [{ label: 'Record' }] : []),
  ];
  const row = (s) => ({
    attrs: { 'data-student': s.studentId },
    cells: [
      nameOf(s),
      ...s.modules.map(moduleCell),
      `${s.modules.reduce((n, m) => n + m.days, 0)} of ${plural(
        s.modules.reduce((n, m) => n + m.required, 0),
        'day',
      )}`,
      ...(mayRecord
        ? [
            h(
              'a',
              { href: `${path}${qs({ student: s.studentId })}`, onclick: (e) => pick(e, s.studentId) },
              'Record a visit',
              h('span', { class: 'visually-hidden' }, ` for ${nameOf(s)}`),
            ),
          ]
        : []),
    ],
  });
  const current = () => data.students.filter((s) => s.status !== 'withdrawn');
  const list = localList({
    caption: (n) => `${plural(n, 'student')}: days recorded against each module's requirement`,
    columns,
    items: current(),
    row,
    sorted: { key: 'name', order: 'asc' },
    className: 'table--visits',
    empty: emptyState('No students are enrolled on this cohort yet.'),
  });
  const withdrawn = data.students.filter((s) => s.status === 'withdrawn');

  const formHolder = h('div', {});
  let chosen = query.get('student') ?? current()[0]?.studentId ?? null;
  function pick(event, studentId) {
    event.preventDefault();
    chosen = studentId;
    history.replaceState(null, '', `${path}${qs({ student: studentId })}`);
    drawForm(true);
  }
  async function drawForm(focus = false, notice = null) {
    if (!mayRecord || !chosen) return;
    formHolder.replaceChildren(await visitForm(data, chosen, req, onRecorded, notice));
    if (focus) formHolder.querySelector('select[name="studentId"]')?.focus();
  }
  async function onRecorded(studentId, text) {
    data = await load();
    list.setItems(current());
    chosen = studentId;
    const notice = h(
      'p',
      { class: 'message message--success', role: 'status', tabindex: '-1', 'data-testid': 'visit-recorded' },
      text,
    );
    await drawForm(false, notice);
    notice.focus();
  }
  await drawForm();
  return {
    el: h(
      'div',
      {},
      ...cohortHeader(data.cohort, `Partner-school visits: ${data.cohort.name}`, '/visits', me, lead),
      mayRecord ? section('Record a visit', formHolder) : null,
      section(
        'Visits so far',
        list.el,
        withdrawn.length
          ? h(
              'p',
              { class: 'small muted withdrawn' },
              `Withdrawn, not listed: ${withdrawn.map(nameOf).join(', ')}.`,
            )
          : null,
      ),
    ),
  };
}

async function visitForm(data, studentId, req, onRecorded, recorded = null) {
  const student = data.students.find((s) => s.studentId === studentId);
  const { entries } = await api(`/students/${seg(studentId)}/audit-trail`);
  const visits = entries.filter((e) => e.ref.type === 'PartnerSchoolVisitRecorded');
  const students = data.students.filter((s) => s.status !== 'withdrawn');
  const fields = fieldsOf([
    [
      'studentId',
      'Student',
      select(
        'studentId',
        students.map((s) => [s.studentId, nameOf(s)]),
        { value: studentId },
      ),
    ],
    [
      'school.name',
      'School',
      input('schoolName', { class: 'input input--wide', autocomplete: 'organization' }),
    ],
    [
      'school.urn',
      'School URN (optional)',
      input('schoolUrn', { class: 'input input--short', inputmode: 'numeric' }),
      { hint: 'The unique reference number, if known.' },
    ],
    ['phase', 'Phase', select('phase', PHASES, { blank: 'Choose the phase' })],
    ['visitedOn', 'Date of the visit', dateInput('visitedOn')],
    [
      'moduleCode',
      'Module',
      select(
        'moduleCode',
        req.modules.map((m) => [m.moduleCode, `${m.moduleCode}: ${m.title}`]),
        { blank: 'Choose the module' },
      ),
    ],
    [
      'hours',
      'Hours',
      input('hours', {
        type: 'number',
        min: 0.5,
        max: 12,
        step: 0.5,
        inputmode: 'decimal',
        class: 'input input--short',
      }),
      { hint: 'Up to 12 hours in a day.' },
    ],
  ]);
  const holder = h('div', { class: 'visit-form' });
  fields.studentId.control.addEventListener('change', async () => {
    history.replaceState(
      null,
      '',
      `${location.hash.split('?')[0]}${qs({ student: fields.studentId.control.value })}`,
    );
    const next = await visitForm(data, fields.studentId.control.value, req, onRecorded);
    holder.replaceWith(next);
    next.querySelector('select[name="studentId"]')?.focus();
  });
  const { form } = commandForm({
    fields,
    submitText: 'Record the visit',
    testId: 'visit-form',
    onSubmit: async (f) => {
      const urn = f['school.urn'].control.value.trim();
      const name = nameOf(student);
      await command(f.studentId.control.value, 'recordPartnerSchoolVisit', {
        school: { name: f['school.name'].control.value.trim(), ...(urn ? { urn } : {}) },
        phase: f.phase.control.value || null,
        visitedOn: f.visitedOn.control.value,
        moduleCode: f.moduleCode.control.value || null,
        hours: numberOf(f.hours.control),
      });
      announce(`Visit recorded for ${name}.`);
      const moduleCode = f.moduleCode.control.value;
      await onRecorded(
        studentId,
        `Visit recorded for ${name}: ${moduleCode}, ${fmtDate(f.visitedOn.control.value)}.`,
      );
    },
  });
  const mine = student?.modules ?? [];
  holder.replaceChildren(
    form,
    h(
      'div',
      { class: 'visit-history' },
      h('h3', {}, `${nameOf(student)}: visits so far`),
      h(
        'p',
        {},
        mine
          .map(
            (m) =>
              `${m.moduleCode}: ${m.replacedByApl ? 'replaced by APL/RPL' : `${m.days} of ${plural(m.required, 'day')}`}`,
          )
          .join(' · '),
      ),
      visits.length
        ? h(
            'ul',
            { class: 'plain-list', 'data-testid': 'visit-list' },
            visits.map((v) =>
              h(
                'li',
                {},
                `${fmtDate(v.data.visitedOn)}: ${v.data.school.name}${v.data.school.urn ? ` (URN ${v.data.school.urn})` : ''}, ${PHASES.find(([p]) => p === v.data.phase)?.[1] ?? v.data.phase}, ${v.data.moduleCode}, ${v.data.hours} h`,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No visits recorded yet.'),
    ),
  );
  if (recorded) holder.prepend(recorded);
  return holder;
}
