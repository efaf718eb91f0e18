import { ApiError, api, session } from './api.js';
import { errorPanel, h, loading, ROLE } from './dom.js';
import { atRiskPage } from './pages/at-risk.js';
import { examBoardPage } from './pages/board-workspace.js';
import { cohortAdminPage } from './pages/cohort-admin.js';
import { newCohortPage } from './pages/cohort-new.js';
import { cohortPage, cohortsPage } from './pages/cohorts.js';
import { historyPage } from './pages/history.js';
import { marksPage } from './pages/marks.js';
import { outcomesPage } from './pages/outcomes.js';
import { registerPage } from './pages/register.js';
import { reviewsPage } from './pages/reviews.js';
import { signInPage } from './pages/sign-in.js';
import { studentPage } from './pages/student.js';
import { studentsPage } from './pages/students.js';
import { visitsPage } from './pages/visits.js';

// The pages' shell: a hash router (#/students/<id>, #/cohorts/<id>, ...), the signed-in user and the
// navigation their role allows. Each page is a function that fetches what it shows and returns
// { el, update?, focus? }; `update` lets a page react to a new query (e.g. a replay step) in place.

const ROUTES = [
  { pattern: /^\/sign-in$/, page: signInPage, title: 'Sign in', open: true },
  { pattern: /^\/$/, page: home, title: 'NASENCO ledger' },
  { pattern: /^\/students$/, page: studentsPage, title: 'Students' },
  { pattern: /^\/students\/([^/]+)$/, page: studentPage, title: 'Student record' },
  { pattern: /^\/students\/([^/]+)\/history$/, page: historyPage, title: 'History and replay' },
  { pattern: /^\/students\/([^/]+)\/outcomes$/, page: outcomesPage, title: 'Learning outcomes' },
  { pattern: /^\/cohorts$/, page: cohortsPage, title: 'Cohorts' },
  { pattern: /^\/cohorts\/new$/, page: newCohortPage, title: 'Create a cohort' },
  { pattern: /^\/cohorts\/([^/]+)$/, page: cohortPage, title: 'Cohort' },
  { pattern: /^\/cohorts\/([^/]+)\/register$/, page: registerPage, title: 'Register' },
  { pattern: /^\/cohorts\/([^/]+)\/visits$/, page: visitsPage, title: 'Partner-school visits' },
  { pattern: /^\/cohorts\/([^/]+)\/marks$/, page: marksPage, title: 'Marks' },
  { pattern: /^\/cohorts\/([^/]+)\/admin$/, page: cohortAdminPage, title: 'Cohort administration' },
  { pattern: /^\/cohorts\/([^/]+)\/exam-board$/, page: examBoardPage, title: 'Exam board' },
  { pattern: /^\/at-risk$/, page: atRiskPage, title: 'At risk of a statutory deadline' },
  { pattern: /^\/reviews$/, page: reviewsPage, title: 'Awards for registry review' },
];

const NAV = {
  registry: [
    ['/students', 'Students'],
    ['/cohorts', 'Cohorts'],
    ['/at-risk', 'At risk'],
    ['/reviews', 'Reviews'],
  ],
  admin: [
    ['/students', 'Students'],
    ['/cohorts', 'Cohorts'],
    ['/at-risk', 'At risk'],
    ['/reviews', 'Reviews'],
  ],
  tutor: [
    ['/students', 'Students'],
    ['/cohorts', 'Cohorts'],
    ['/at-risk', 'At risk'],
  ],
  examiner: [
    ['/students', 'Students'],
    ['/cohorts', 'Cohorts'],
  ],
  student: [],
};

let me = null;
let current = null;
let renders = 0;

export const navigate = (path) => {
  location.hash = `#${path}`;
};

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path: path.replace(/\/+$/, '') || '/', query: new URLSearchParams(search), raw };
}

async function whoAmI() {
  if (me || !session.token()) return me;
  try {
    me = await api('/me');
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    session.signOut();
    me = null;
  }
  return me;
}

function home({ me: user }) {
  const target = user.role === 'student' ? `/students/${encodeURIComponent(user.id)}` : '/students';
  history.replaceState(null, '', `#${target}`);
  queueMicrotask(render);
  return { el: loading() };
}

function navFor(user) {
  if (!user) return [];
  if (user.role === 'student') {
    const mine = `/students/${encodeURIComponent(user.id)}`;
    return [
      [mine, 'My record'],
      [`${mine}/history`, 'My history'],
    ];
  }
  return NAV[user.role] ?? [];
}

function renderChrome(user, path) {
  const nav = document.getElementById('site-nav');
  const links = navFor(user);
  // the current section: the longest link that is the path or a parent of it
  const here = links
    .map(([href]) => href)
    .filter((href) => path === href || path.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  nav.replaceChildren(
    links.length
      ? h(
          'ul',
          {},
          links.map(([href, text]) =>
            h('li', {}, h('a', { href: `#${href}`, 'aria-current': href === here ? 'page' : null }, text)),
          ),
        )
      : '',
  );
  const box = document.getElementById('signed-in');
  box.replaceChildren(
    user
      ? h(
          'div',
          { class: 'signed-in__inner' },
          h(
            'p',
            {},
            'Signed in as ',
            h('strong', { 'data-testid': 'signed-in-id' }, user.id),
            ' ',
            h('span', { class: 'role-tag', 'data-testid': 'signed-in-role' }, ROLE[user.role] ?? user.role),
          ),
          h('button', { type: 'button', class: 'button button--quiet', onclick: signOut }, 'Sign out'),
        )
      : '',
  );
}

function signOut() {
  session.signOut();
  me = null;
  current = null;
  navigate('/sign-in?signedOut=1');
}

function signedIn(user) {
  me = user;
  current = null;
}

async function render() {
  const { path, query, raw } = parseHash();
  const route = ROUTES.find((r) => r.pattern.test(path));
  // Only the query changed (a replay step, an event to show): the page updates itself in place.
  if (route && current && current.path === path && current.view.update) {
    current.view.update(query);
    return;
  }
  const n = ++renders;
  const main = document.getElementById('main');
  let user;
  try {
    user = await whoAmI();
  } catch (error) {
    main.replaceChildren(h('h1', {}, 'NASENCO ledger'), errorPanel(error));
    return;
  }
  if (route && !route.open && !user) {
    history.replaceState(null, '', `#/sign-in?next=${encodeURIComponent(raw)}`);
    return render();
  }
  renderChrome(user, path);
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(loading());
  let view;
  try {
    if (!route)
      view = {
        el: h(
          'div',
          {},
          h('h1', {}, 'Page not found'),
          h('p', {}, `There is no page ${path}. `, h('a', { href: '#/' }, 'Go to the start page')),
        ),
      };
    else {
      const params = route.pattern.exec(path).slice(1).map(decodeURIComponent);
      view = await route.page({ params, query, me: user, navigate, signedIn });
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.signOut();
      me = null;
      history.replaceState(null, '', `#/sign-in?expired=1&next=${encodeURIComponent(raw)}`);
      return render();
    }
    view = {
      el: h(
        'div',
        {},
        h('h1', {}, route?.title ?? 'Error'),
        errorPanel(error),
        h(
          'p',
          {},
          h('a', { href: '#/' }, user?.role === 'student' ? 'Go to your record' : 'Go to the start page'),
        ),
      ),
    };
  }
  if (n !== renders) return; // a later navigation has taken over
  main.replaceChildren(view.el);
  main.removeAttribute('aria-busy');
  current = { path, view };
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'NASENCO ledger'} · NASENCO ledger`;
  window.scrollTo(0, 0);
  const focus = view.focus ?? heading;
  if (focus) {
    if (focus === heading) focus.setAttribute('tabindex', '-1');
    focus.focus({ preventScroll: true });
  }
  view.mounted?.();
}

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#/') || location.hash === '') render();
});
document.getElementById('skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  const main = document.getElementById('main');
  (main.querySelector('h1') ?? main).focus();
});
render();
