import { api, qs, seg } from '../api.js';
import { badge, emptyState, fmtDate, h, link, pageHeader, plural, RISK, section } from '../dom.js';
import { localList } from '../lists.js';
import { studentDirectory, studentLink } from './shared.js';

// Students at risk of a statutory deadline: three years from appointment as SENCO (SEND Regulations
// 2014 reg. 49) and the end of the National Award, 1 September 2027 (SI 2024/535).

/** Sorted and paged: nearest deadline first; at national scale the list is long. */
export function atRiskTable(rows, directory, { showCohort = true, caption } = {}) {
  const name = (r) => directory.get(r.studentId)?.name ?? r.studentId;
  const columns = [
    { label: 'Student', sort: 'name', value: name },
    ...(showCohort ? [{ label: 'Cohort', sort: 'cohort', value: (r) => r.cohortId ?? '' }] : []),
    { label: 'Appointed SENCO', sort: 'appointed', value: (r) => r.appointedOn ?? '' },
    { label: 'Three-year deadline', sort: 'three-year', value: (r) => r.threeYearDeadline ?? '9999' },
    { label: '1 September 2027' },
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
      badge(RISK, r.transitionRisk),
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

/** Those at risk of a statutory deadline, with any withdrawn student listed apart: not at risk any more. */
export function atRiskSection(
  rows,
  directory,
  withdrawn,
  emptyText,
  showCohort = true,
  title = 'At risk of a statutory deadline',
) {
  const atRisk = rows.filter((r) => !withdrawn.has(r.studentId));
  const gone = rows.filter((r) => withdrawn.has(r.studentId));
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
          h('h3', {}, `Withdrawn, with a deadline that has passed or is near (${gone.length})`),
          h(
            'p',
            { class: 'small muted' },
            'They left the programme, so they are not counted as at risk; the statutory duty may still apply to them in their school.',
          ),
          atRiskTable(gone, directory, { showCohort, caption: 'Withdrawn students' }),
        )
      : null,
  );
}

export async function atRiskPage({ query }) {
  const on = query.get('on') ?? undefined;
  const [{ atRisk }, directory] = await Promise.all([
    api(`/deadlines/at-risk${qs({ on })}`),
    studentDirectory(),
  ]);
  const withdrawn = new Set(
    [...directory.values()].filter((s) => s.outcome === 'withdrawn').map((s) => s.studentId),
  );
  return {
    el: h(
      'div',
      {},
      pageHeader('At risk of a statutory deadline', {
        lead: 'Students whose three-year deadline (from their appointment as SENCO) or the 1 September 2027 end of the National Award is near or has passed without the Award, nearest first.',
      }),
      atRiskSection(
        atRisk,
        directory,
        withdrawn,
        'No student you can see is at risk of a statutory deadline today.',
        true,
        'Students at risk',
      ),
    ),
  };
}
