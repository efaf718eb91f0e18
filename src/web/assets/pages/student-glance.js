import { badge, facts, fmtDate, h, RISK, RULE, section } from '../dom.js';
import { creditsMeter } from './shared.js';

// The record at a glance on a student's page: a card per area of the record (credits, attendance,
// partner-school visits, outcomes, portfolio), each with the rules of its area, and the deadlines.

// Each rule's result names the area of the record it concerns (the API's `area`), so a card shows the
// rules of its area without naming any rule here.
const rulesIn = (decision, area) => decision?.rules.filter((r) => r.area === area) ?? [];

function card(title, body, rules = []) {
  const shown = rules.filter((r) => r && r.outcome !== 'not-applicable');
  return h(
    'div',
    { class: 'card' },
    h('h3', { class: 'card__title' }, title),
    body,
    shown.map((r) => h('p', { class: 'card__rule' }, badge(RULE, r.outcome), ' ', r.reason)),
    rules.length && shown.length === 0 ? h('p', { class: 'muted' }, 'Not required on this programme.') : null,
  );
}

export function glance({ record, decision, credits, deadlines }) {
  const cards = [
    card(
      'Credits',
      credits
        ? h(
            'div',
            {},
            h(
              'p',
              { class: 'big-figure', 'data-testid': 'credits-earned' },
              `${credits.earned} of ${credits.required}`,
            ),
            creditsMeter(credits.earned, credits.required, credits.earnedIncludingProvisional, {
              figures: false,
            }),
          )
        : h('p', { class: 'muted' }, 'No credits yet.'),
      rulesIn(decision, 'marks'),
    ),
    card('Attendance', null, rulesIn(decision, 'attendance')),
    card(
      'Partner-school visits',
      h('p', {}, `${record.visits.length} recorded`),
      rulesIn(decision, 'visits'),
    ),
    card('Learning outcomes and viva', null, rulesIn(decision, 'outcomes')),
    card('Portfolio', null, rulesIn(decision, 'portfolio')),
    deadlineCard(deadlines),
  ];
  return section('At a glance', h('div', { class: 'cards' }, cards));
}

const REQUIREMENT = {
  required: 'Required: within three years of appointment',
  'exempt-prior-service': 'Not required: more than 12 months as SENCO before',
  'not-required-appointed-by-2009': 'Not required: SENCO by 1 September 2009',
  'not-required-school-outside-duty': 'Not required: the school is outside the duty (CFA 2014 s.67)',
  aspiring: 'Aspiring SENCO: no statutory deadline yet',
  unknown: 'Unknown: no appointment recorded',
};

function deadlineCard(deadlines) {
  const s = deadlines.statutory;
  const p = deadlines.programme;
  const limit = (l) => (l ? `${fmtDate(l.deadline)}${l.extended ? ' (extended)' : ''}` : 'none');
  return card(
    'Deadlines',
    h(
      'div',
      {},
      facts([
        ['Statutory duty', REQUIREMENT[s.requirement] ?? s.requirement],
        [
          'Three-year deadline',
          s.threeYearDeadline
            ? h('span', {}, fmtDate(s.threeYearDeadline), ' ', badge(RISK, s.threeYearRisk))
            : badge(RISK, s.threeYearRisk),
        ],
        ['Qualification needed', s.qualificationNeeded?.title ?? '—'],
        [
          'Complete before',
          s.transitionDeadline
            ? h('span', {}, fmtDate(s.transitionDeadline), ' ', badge(RISK, s.transitionRisk))
            : badge(RISK, s.transitionRisk),
        ],
        ['Learning outcomes by', limit(p.outcomes)],
        ['Assignments by', limit(p.assignments)],
        ...(deadlines.resubmissions ?? []).map((r) => [
          `Resubmission of ${r.moduleCode} by`,
          h(
            'span',
            {},
            fmtDate(r.deadline),
            r.submittedOn ? ` (handed in ${fmtDate(r.submittedOn)})` : ' (not handed in)',
            r.overdue ? h('span', {}, ' ', badge(RISK, 'overdue')) : null,
          ),
        ]),
      ]),
      s.reasons.length
        ? h(
            'ul',
            { class: 'outstanding small' },
            s.reasons.map((r) => h('li', {}, r)),
          )
        : null,
    ),
  );
}
