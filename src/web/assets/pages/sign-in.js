import { ApiError, api, session } from '../api.js';
import { errorPanel, field, h, ROLE } from '../dom.js';

// Sign in with a bearer token. The token stays in this tab's sessionStorage (gone when the tab closes)
// and goes with every request as "Authorization: Bearer <token>"; /me says whose it is.

export function signInPage({ query, me, navigate, signedIn }) {
  const input = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    required: true,
    class: 'input input--wide',
  });
  const token = field('Bearer token', input, {
    hint: 'Paste the token you were given. It starts with nsl_. For the demo, use the registry token the ledger prints when it starts.',
  });
  const problem = h('div', {});
  const submit = h('button', { type: 'submit', class: 'button' }, 'Sign in');
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-describedby': 'sign-in-privacy' },
    token.wrap,
    h(
      'p',
      { id: 'sign-in-privacy', class: 'muted small' },
      'The token is kept in this browser tab only and is forgotten when the tab is closed.',
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    const value = input.value.trim();
    if (!value) {
      token.setError('paste your token');
      input.focus();
      return;
    }
    token.setError(null);
    submit.disabled = true;
    const previous = session.token();
    session.signIn(value);
    try {
      const user = await api('/me');
      signedIn(user);
      const next = query.get('next');
      navigate(next?.startsWith('/') && !next.startsWith('/sign-in') ? next : '/');
    } catch (error) {
      // a failed attempt leaves whoever was signed in still signed in
      if (previous) session.signIn(previous);
      else session.signOut();
      if (error instanceof ApiError && error.status === 401) token.setError(error.message);
      else problem.replaceChildren(errorPanel(error));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  const notices = [];
  if (query.get('expired'))
    notices.push('Your token is no longer accepted (it may have been revoked). Sign in again.');
  if (query.get('signedOut')) notices.push('You have signed out.');
  return {
    el: h(
      'div',
      { class: 'narrow' },
      h('h1', {}, 'Sign in'),
      notices.map((text) => h('div', { class: 'message message--info', role: 'status' }, h('p', {}, text))),
      me
        ? h(
            'p',
            {},
            `You are signed in as ${me.id} (${ROLE[me.role] ?? me.role}). Sign in again to change user.`,
          )
        : h(
            'p',
            { class: 'lead' },
            'Registry staff, tutors, external examiners, admins and students each see what their role allows.',
          ),
      problem,
      form,
    ),
    focus: input,
  };
}
