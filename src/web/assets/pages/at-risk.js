import { allPages, seg } from '../api.js';
import { badge, emptyState, fmtDate, h, link, pageHeader, plural, RISK, section } from '../dom.js';
import { localList } from '../lists.js';
import { studentDirectory, studentLink } from './shared.js';

// SENCOs at risk of a statutory deadline: three years from appointment as SENCO (SEND Regulations
// 2014 reg. 49(4)) and the National Award's completion before 1 September 2027 (reg. 49(7)(a)), with the
// qualification they still need. The API lists those no longer studying apart.

/** Sorted and paged: nearest deadline first; at national scale the list is long. */
export function atRiskTable(rows, directory, { showCohort = true, caption } = {}) {
  const name = (r) => directory.get(r.studentId)?.name ?? r.studentId;
  const columns = [
    { label: 'Student', sort: 'name', value: name },
    ...(showCohort ? [{ label: 'Cohort', sort: 'cohort', value: (r) => r.cohortId ?? '' }] : []),
    { label: 'Appointed SENCO', sort: 'appointed', value: (r) => r.appointedOn ?? '' },
    { label: 'Three-year deadline', sort: 'three-year', value: (r) => r.threeYearDeadline ?? '9999' },
    { label: 'Completion deadline' },
    { label: 'Missing' },
    { label: 'Days to the nearest', sort: 'days', value: (r) => r.daysToNearest ?? Number.MAX_SAFE_INTEGER },
    { label: 'Why' },
  ];
  const row = (r) => {
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
    return { cells };
  };
  return localList({
    caption,
    columns,
    items: rows,
    row,
    sorted: { key: 'days', order: 'asc' },
    className: 'table--at-risk',
  }).el;
}

/** Those at risk of a statutory deadline, with the withdrawn, lapsed and failed listed apart (the API's notStudying). */
export function atRiskSection(
  { atRisk, notStudying: gone = [] },
  directory,
  emptyText,
  showCohort = true,
  title = 'At risk of a statutory deadline',
) {
  return section(
    title,
    atRisk.length
      ? atRiskTable(atRisk, directory, {
          showCohort,
          caption: `${plural(atRisk.length, 'student')} at risk, nearest deadline first`,
        })
      : emptyState(emptyText),
    gone.length
      ? h(
          'div',
          { class: 'withdrawn' },
          h(
            'h3',
            {},
            `No longer studying (withdrawn, lapsed or failed), with a deadline that has passed or is near (${gone.length})`,
          ),
          h(
            'p',
            { class: 'small muted' },
            'They are not on the programme any more, so they are not counted as at risk; the statutory duty may still apply to them in their school.',
          ),
          atRiskTable(gone, directory, { showCohort, caption: 'Students no longer studying' }),
        )
      : null,
  );
}

export async function atRiskPage({ query }) {
  const on = query.get('on') ?? undefined;
  const [lists, directory] = await Promise.all([
    allPages('/deadlines/at-risk', { on }, ['atRisk', 'notStudying']),
    studentDirectory(),
  ]);
  return {
    el: h(
      'div',
      {},
      pageHeader('At risk of a statutory deadline', {
        lead: 'SENCOs under the duty whose three-year deadline (from their appointment) or whose qualification’s completion deadline (the National Award: before 1 September 2027) is near or has passed, nearest first, with the qualification they still need.',
      }),
      atRiskSection(
        lists,
        directory,
        'No student you can see is at risk of a statutory deadline today.',
        true,
        'Students at risk',
      ),
    ),
  };
}
