// Building the page. Every piece of data becomes a text node (Element.append with a string, or
// textContent), never markup, so a name like "<img onerror=...>" shows as the characters it is.

/** h('p', { class: 'x', onclick: f }, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

export function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children, leaving out null, undefined and false as h() does. */
export const fill = (el, ...children) => {
  el.replaceChildren();
  return appendAll(el, children);
};

let ids = 0;
export const uid = (prefix) => `${prefix}-${++ids}`;

// ---- dates: the API speaks ISO dates (YYYY-MM-DD) and instants; people read "12 Jul 2024" ----

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const instantFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

export function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(`${String(iso).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFormat.format(d);
}

export function fmtInstant(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : instantFormat.format(d);
}

/** The London date a fact happened on: occurredAt carries London's offset, so its date part is it. */
export const occurredOn = (ref) => String(ref.occurredAt).slice(0, 10);

export const timeEl = (iso, text = fmtDate(iso)) => h('time', { datetime: String(iso).slice(0, 10) }, text);

// Student ids are UUIDv7: the first digits are a timestamp shared by ids made together, so the short
// form is the random tail.
export const shortId = (id) => String(id).slice(-8);

/** "1 student", "3 students" */
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---- labels for the API's codes ----

export const DECISION = {
  awarded: { text: 'Awarded', tone: 'good' },
  'fallback-certificate': { text: 'Fallback certificate', tone: 'info' },
  'exit-award': { text: 'Exit award', tone: 'info' },
  'not-yet-eligible': { text: 'Not yet eligible', tone: 'pending' },
  failed: { text: 'Failed', tone: 'bad' },
  withdrawn: { text: 'Withdrawn', tone: 'neutral' },
  lapsed: { text: 'Lapsed', tone: 'bad' },
};

export const RULE = {
  met: { text: 'Met', tone: 'good' },
  'not-met': { text: 'Not met', tone: 'pending' },
  failed: { text: 'Failed', tone: 'bad' },
  lapsed: { text: 'Lapsed', tone: 'bad' },
  fallback: { text: 'Fallback', tone: 'info' },
  'not-applicable': { text: 'Not applicable', tone: 'neutral' },
};

export const MODULE_STATUS = {
  'apl-approved': { text: 'APL/RPL approved', tone: 'good' },
  passed: { text: 'Passed (ratified)', tone: 'good' },
  'passed-provisional': { text: 'Passed (provisional)', tone: 'pending' },
  'resubmission-available': { text: 'Failed, resubmission available', tone: 'bad' },
  failed: { text: 'Failed', tone: 'bad' },
  'marked-provisional': { text: 'Below pass (provisional)', tone: 'pending' },
  'resubmission-permitted': { text: 'Failed, resubmission permitted', tone: 'pending' },
  submitted: { text: 'Not marked yet', tone: 'neutral' },
  'not-started': { text: 'Not started', tone: 'neutral' },
};

export const RISK = {
  met: { text: 'Met', tone: 'good' },
  overdue: { text: 'Overdue', tone: 'bad' },
  'at-risk': { text: 'At risk', tone: 'pending' },
  'on-track': { text: 'On track', tone: 'info' },
  'not-required': { text: 'Not required', tone: 'neutral' },
};

export const STATUS = {
  applied: { text: 'Applied', tone: 'neutral' },
  offered: { text: 'Offered a place', tone: 'neutral' },
  enrolled: { text: 'Enrolled', tone: 'info' },
  interrupted: { text: 'Interrupted', tone: 'pending' },
  withdrawn: { text: 'Withdrawn', tone: 'neutral' },
  awarded: { text: 'Awarded', tone: 'good' },
};

export const ROLE = {
  registry: 'Registry',
  tutor: 'Tutor',
  examiner: 'External examiner',
  admin: 'Admin',
  student: 'Student',
};

/** A badge: always words, never colour alone. */
export function badge(table, code, extra = {}) {
  const label = table[code] ?? { text: code ?? '—', tone: 'neutral' };
  return h('span', { class: `badge badge--${label.tone}`, ...extra }, label.text);
}

// ---- messages ----

const ERROR_TITLE = {
  unauthenticated: 'Please sign in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  invalid: 'Check what was entered',
  refused: 'The ledger refused this',
  conflict: 'Someone changed this meanwhile',
  unavailable: 'The ledger is unavailable',
};

/** An error from the API (or anything thrown), shown as an alert with the API's own message. */
export function errorPanel(error) {
  const kind = error?.kind ?? 'internal';
  return h(
    'div',
    { class: 'message message--error', role: 'alert' },
    h('h2', { class: 'message__title' }, ERROR_TITLE[kind] ?? 'Something went wrong'),
    h('p', {}, sentence(error?.message ?? String(error))),
    error?.code && error.code !== 'unknown'
      ? h(
          'p',
          { class: 'muted small' },
          `Code: ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`,
        )
      : null,
  );
}

/** The API's messages are lower-case clauses; on their own they read as sentences. */
export const sentence = (text) => {
  const s = String(text).trim();
  return s ? `${s[0].toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}` : s;
};

export const emptyState = (text, ...more) => h('div', { class: 'empty' }, h('p', {}, text), ...more);

export const loading = (what = 'Loading') => h('p', { class: 'loading', role: 'status' }, `${what}…`);

export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // a fresh text node after a tick, so screen readers announce a repeated message too
  setTimeout(() => {
    el.textContent = text;
  }, 50);
}

// ---- tables ----

/** A table with a caption and column headers; rows are arrays of cells (strings or nodes). */
export function table({ caption, captionHidden = false, columns, rows, className = '' }) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: `table ${className}` },
      caption ? h('caption', { class: captionHidden ? 'visually-hidden' : null }, caption) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            row.attrs ?? {},
            (row.cells ?? row).map((cell, i) =>
              // data-label: on a narrow screen each row stacks as a card, each cell under its heading
              i === 0
                ? h('th', { scope: 'row', 'data-label': columns[i] }, cell)
                : h('td', { 'data-label': columns[i] }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A description list from [term, description] pairs (null descriptions are left out). */
export function facts(pairs, className = 'facts') {
  return h(
    'dl',
    { class: className },
    pairs
      .filter(([, d]) => d !== null && d !== undefined)
      .flatMap(([t, d]) => [h('dt', {}, t), h('dd', {}, d)]),
  );
}

export const link = (href, text, attrs = {}) => h('a', { href, ...attrs }, text);

/** A page's heading and breadcrumbs. */
export function pageHeader(title, { crumbs = [], lead = null, after = [] } = {}) {
  return h(
    'div',
    { class: 'page-header' },
    crumbs.length
      ? h(
          'nav',
          { 'aria-label': 'Breadcrumb', class: 'crumbs' },
          h(
            'ol',
            {},
            crumbs.map(([href, text]) => h('li', {}, link(href, text))),
          ),
        )
      : null,
    h('h1', {}, title),
    lead ? h('p', { class: 'lead' }, lead) : null,
    after,
  );
}

export const section = (title, ...children) => {
  const id = uid('section');
  return h('section', { class: 'section', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
};

// ---- forms: every input has a label; an error sits next to its field and is tied to it ----

/** A labelled field. `control` is an input, select or textarea built by the caller. */
export function field(label, control, { hint = null, hideLabel = false } = {}) {
  const id = control.id || uid('field');
  control.id = id;
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  const describe = () =>
    [hintEl ? hintEl.id : null, errorEl.hidden ? null : errorEl.id].filter(Boolean).join(' ') || null;
  const sync = () => {
    const d = describe();
    if (d) control.setAttribute('aria-describedby', d);
    else control.removeAttribute('aria-describedby');
  };
  sync();
  const labelEl = h('label', { for: id, class: hideLabel ? 'visually-hidden' : null }, label);
  const wrap = h('div', { class: 'field' }, labelEl, hintEl, errorEl, control);
  return {
    wrap,
    control,
    setError(message) {
      errorEl.textContent = message ? `Error: ${message}` : '';
      errorEl.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      wrap.classList.toggle('field--error', !!message);
      sync();
    },
  };
}
