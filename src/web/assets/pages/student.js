import { api, seg } from '../api.js';
import {
  badge,
  DECISION,
  emptyState,
  fmtDate,
  h,
  link,
  pageHeader,
  STATUS,
  section,
  shortId,
} from '../dom.js';
import { correctionSection } from './correction.js';
import { decisionSummary, eventLink, modulesTable, rulesTable, studentName, typeWords } from './shared.js';
import { awardsSection } from './student-awards.js';
import { glance } from './student-glance.js';

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
