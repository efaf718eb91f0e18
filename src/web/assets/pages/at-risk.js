import { api, qs, seg } from '../api.js';
import { badge, emptyState, fmtDate, h, link, pageHeader, plural, RISK, table } from '../dom.js';
import { studentDirectory, studentLink } from './shared.js';

// SENCOs at risk of a statutory deadline: three years from appointment as SENCO (SEND Regulations
// 2014 reg. 49(4)) and the National Award's completion before 1 September 2027 (reg. 49(7)(a)).

export function atRiskTable(rows, directory, { showCohort = true, caption } = {}) {
  const columns = ['Student'];
  if (showCohort) columns.push('Cohort');
  columns.push(
    'Appointed SENCO',
    'Three-year deadline',
    'Completion deadline',
    'Missing',
    'Days to the nearest',
    'Why',
  );
  return table({
    caption,
    columns,
    className: 'table--at-risk',
    rows: rows.map((r) => {
      const cells = [studentLink(directory, r.studentId)];
      if (showCohort) cells.push(r.cohortId ? link(`#/cohorts/${seg(r.cohortId)}`, r.cohortId) : '—');
      cells.push(
        r.appointedOn ? fmtDate(r.appointedOn) : 'not appointed',
        r.threeYearDeadline
          ? h('span', {}, fmtDate(r.threeYearDeadline), ' ', badge(RISK, r.threeYearRisk))
          : badge(RISK, r.threeYearRisk),
        r.transitionDeadline
          ? h('span', {}, fmtDate(r.transitionDeadline), ' ', badge(RISK, r.transitionRisk))
          : badge(RISK, r.transitionRisk),
        r.qualificationMissing ?? '—',
        r.daysToNearest === null
          ? '—'
          : r.daysToNearest < 0
            ? `${-r.daysToNearest} days overdue`
            : `${r.daysToNearest} days`,
        h(
          'ul',
          { class: 'plain-list small' },
          r.reasons.map((reason) => h('li', {}, reason)),
        ),
      );
      return cells;
    }),
  });
}

export async function atRiskPage({ query }) {
  const on = query.get('on') ?? undefined;
  const [{ atRisk, notStudying }, directory] = await Promise.all([
    api(`/deadlines/at-risk${qs({ on })}`),
    studentDirectory(),
  ]);
  return {
    el: h(
      'div',
      {},
      pageHeader('At risk of a statutory deadline', {
        lead: 'SENCOs under the duty whose three-year deadline (from their appointment) or whose qualification’s completion deadline (the National Award: before 1 September 2027) is near or has passed, nearest first, with the qualification they still need. Those no longer studying are listed apart.',
      }),
      atRisk.length
        ? atRiskTable(atRisk, directory, { caption: `${plural(atRisk.length, 'student')} at risk` })
        : emptyState('No student you can see is at risk of a statutory deadline today.'),
      notStudying?.length
        ? atRiskTable(notStudying, directory, {
            caption: `${plural(notStudying.length, 'SENCO')} under the duty no longer studying (withdrawn, lapsed or failed)`,
          })
        : null,
    ),
  };
}
