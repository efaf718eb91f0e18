import { api, seg } from '../api.js';
import { h, pageHeader } from '../dom.js';

// The pages of one cohort, as tabs under its heading: the overview, the register, the partner-school
// visits, the marks, the exam board (registry, admins, examiners) and (for registry staff) its
// administration. A tab is a link: each page has its own address, and the current one is marked for
// screen readers.

const TABS = [
  ['', 'Overview'],
  ['/register', 'Register'],
  ['/visits', 'Partner-school visits'],
  ['/marks', 'Marks'],
  ['/exam-board', 'Exam board'],
  ['/admin', 'Administration'],
];

// the exam-board workspace reads the board's export, which tutors do not see
const BOARD_READERS = new Set(['registry', 'admin', 'examiner']);

export function cohortTabs(cohortId, current, me) {
  const tabs = TABS.filter(
    ([path]) =>
      (path !== '/admin' || me.may?.includes('assignCohortStaff')) &&
      (path !== '/exam-board' || BOARD_READERS.has(me.role)),
  );
  return h(
    'nav',
    { class: 'tabs', 'aria-label': 'This cohort' },
    h(
      'ul',
      { class: 'tabs__list' },
      tabs.map(([path, text]) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              class: 'tabs__link',
              href: `#/cohorts/${seg(cohortId)}${path}`,
              'aria-current': path === current ? 'page' : null,
            },
            text,
          ),
        ),
      ),
    ),
  );
}

/** The heading of a cohort's page: breadcrumbs, the title, the tabs. */
export function cohortHeader(cohort, title, current, me, lead = null) {
  return [
    pageHeader(title, {
      crumbs: [
        ['#/cohorts', 'Cohorts'],
        [`#/cohorts/${seg(cohort.cohortId)}`, cohort.cohortId],
      ],
      lead,
    }),
    cohortTabs(cohort.cohortId, current, me),
  ];
}

/** The cohort's programme specification (modules, pass marks, requirements). */
export async function cohortSpecification(cohort) {
  return api(`/specifications/${seg(cohort.programmeId)}/${seg(cohort.specVersion)}`);
}
