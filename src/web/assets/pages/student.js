import { api, seg } from '../api.js';
import {
  badge,
  DECISION,
  emptyState,
  errorPanel,
  facts,
  fmtDate,
  h,
  link,
  pageHeader,
  RISK,
  RULE,
  STATUS,
  section,
  shortId,
} from '../dom.js';
import { correctionSection } from './correction.js';
import {
  creditsMeter,
  decisionSummary,
  eventLink,
  modulesTable,
  rulesTable,
  studentName,
  typeWords,
} from './shared.js';

// A student's record at a glance, the award decision with its explanation, the conferred awards, and
// (for admins) the mark-correction form.

export async function loadStudent(studentId) {
  const base = `/students/${seg(studentId)}`;
  const [record, { decision, reviewFlag }, { credits }, deadlines] = await Promise.all([
    api(base),
    api(`${base}/decision`),
    api(`${base}/credits`),
    api(`${base}/deadlines`),
  ]);
  return { record, decision, reviewFlag, credits, deadlines };
}

export async function studentPage({ params: [studentId], me }) {
  const el = h('div', {});
  const draw = (data, correctionResult = null) => {
    el.replaceChildren(...studentView(data, me, { correctionResult, onCorrected: redraw }));
  };
  const redraw = async ({ before, response }) => {
    const fresh = await loadStudent(studentId);
    draw(fresh, { before, response, after: { decision: fresh.decision, credits: fresh.credits } });
    el.querySelector('[data-testid="correction-result"]')?.focus();
  };
  draw(await loadStudent(studentId));
  return { el };
}

function personName(record) {
  if (record.personal === undefined) return null; // not shown to this role
  if (record.personal?.erased) return `Student ${shortId(record.studentId)} (personal data erased)`;
  return record.personal?.fullName ?? null;
}

function studentView(data, me, { correctionResult, onCorrected }) {
  const { record, decision, reviewFlag, credits } = data;
  const id = record.studentId;
  const name = studentName(personName(record), id);
  const staff = me.role !== 'student';
  const crumbs = staff ? [['#/students', 'Students']] : [];
  if (staff && record.enrolment)
    crumbs.push([`#/cohorts/${seg(record.enrolment.cohortId)}`, record.enrolment.cohortId]);

  const enrolment = record.enrolment;
  const spec = decision?.specification;
  const header = pageHeader(name, {
    crumbs,
    after: [
      h(
        'p',
        { class: 'programme-line' },
        enrolment
          ? [
              h('strong', {}, spec?.title ?? enrolment.programmeId),
              ` · ${enrolment.programmeId}, version ${enrolment.specVersion} · cohort `,
              staff ? link(`#/cohorts/${seg(enrolment.cohortId)}`, enrolment.cohortId) : enrolment.cohortId,
              ` · enrolled ${fmtDate(enrolment.enrolledOn)}`,
            ]
          : record.application
            ? `Applied for ${record.application.programmeId}; not enrolled yet.`
            : 'Not enrolled.',
      ),
      h(
        'div',
        { class: 'header-meta' },
        h(
          'span',
          {},
          'Record: ',
          // the record's status and the review banner say the same thing in the same words
          reviewFlag && record.status === 'awarded'
            ? badge({ review: { text: UNDER_REVIEW, tone: 'pending' } }, 'review', {
                'data-testid': 'record-status',
              })
            : badge(STATUS, record.status, { 'data-testid': 'record-status' }),
        ),
        decision ? h('span', {}, 'Decision now: ', badge(DECISION, decision.outcome)) : null,
        h('span', {}, 'Student id ', h('code', {}, id)),
        h(
          'span',
          { class: 'button-row' },
          link(`#/students/${seg(id)}/history`, 'History and replay', { class: 'button button--secondary' }),
          enrolment
            ? link(`#/students/${seg(id)}/outcomes`, 'Learning outcomes', {
                class: 'button button--secondary',
              })
            : null,
        ),
      ),
    ],
  });

  const parts = [header];
  if (reviewFlag) parts.push(reviewBanner(id, reviewFlag));
  parts.push(glance(data));
  parts.push(
    section(
      'Modules and marks',
      credits
        ? modulesTable(id, credits, 'Modules and marks', true)
        : emptyState('No modules yet: credits are counted once the student is enrolled on a programme.'),
    ),
  );
  if (me.role === 'admin' && credits)
    parts.push(correctionSection(data, { result: correctionResult, onCorrected }));
  parts.push(
    section(
      'Award decision',
      decision
        ? [decisionSummary(decision), h('h3', {}, 'How it was reached'), rulesTable(id, decision)]
        : emptyState('There is no decision yet: the student is not enrolled on a programme specification.'),
    ),
  );
  if (record.awards.length) parts.push(awardsSection(id, record.awards));
  return parts;
}

const UNDER_REVIEW = 'Awarded, under registry review';

function reviewBanner(studentId, flag) {
  const conferred = DECISION[flag.conferred]?.text ?? flag.conferred;
  return h(
    'div',
    { class: 'message message--warning', role: 'note', 'data-testid': 'review-banner' },
    h('h2', { class: 'message__title' }, UNDER_REVIEW),
    h(
      'p',
      {},
      `The ${conferred} stands, but a later event means that on the award's date the decision would now be `,
      h('strong', {}, DECISION[flag.decisionNow]?.text ?? flag.decisionNow),
      ': ',
      eventLink(
        studentId,
        flag.raisedBy,
        `${typeWords(flag.raisedBy.type)} by ${flag.raisedBy.actor.id}, ${fmtDate(flag.raisedBy.occurredAt)}`,
      ),
      '. The registry resolves the review: the award stands, or is withdrawn.',
    ),
  );
}

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

function glance({ record, decision, credits, deadlines }) {
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

function awardsSection(studentId, awards) {
  const result = h('div', { 'aria-live': 'polite' });
  const check = h(
    'button',
    { type: 'button', class: 'button button--secondary' },
    'Check the conferred decision is reproduced',
  );
  check.addEventListener('click', async () => {
    check.disabled = true;
    try {
      const { reproductions } = await api(`/students/${seg(studentId)}/reproduce`);
      result.replaceChildren(
        h(
          'ul',
          { class: 'plain-list' },
          reproductions.map((r) =>
            h(
              'li',
              { class: `message ${r.reproduced ? 'message--success' : 'message--error'}` },
              r.reproduced
                ? `Reproduced: recomputing the decision from the log at position ${r.decidedAt.position} (evaluated on ${fmtDate(r.decidedAt.evaluatedOn)}) gives the recorded digest ${r.recordedDigest.slice(0, 16)}.`
                : `Not reproduced: the recorded digest ${r.recordedDigest.slice(0, 16)} differs from the recomputed ${r.recomputedDigest.slice(0, 16)}.`,
            ),
          ),
        ),
      );
    } catch (error) {
      result.replaceChildren(errorPanel(error));
    } finally {
      check.disabled = false;
    }
  });
  return section(
    'Conferred awards',
    h(
      'ul',
      { class: 'plain-list' },
      awards.map((a) =>
        h(
          'li',
          { class: 'award' },
          h('strong', {}, a.title),
          ` conferred on ${fmtDate(a.conferredOn)} by exam board ${a.examBoardId} (`,
          eventLink(studentId, a.ref, 'the event'),
          `; decided at log position ${a.decidedAt.position}).`,
          a.withdrawn ? h('p', {}, badge(DECISION, 'withdrawn'), ` ${a.withdrawn.reason}`) : null,
          a.reviewResolved
            ? h('p', { class: 'small' }, `Review resolved: ${a.reviewResolved.resolution}`)
            : null,
        ),
      ),
    ),
    check,
    result,
  );
}
