// The JSON API, called on this origin with the signed-in bearer token. Every error the API sends has one
// shape, { error: { kind, code, message, issues? } }; it becomes an ApiError the pages can show.

const TOKEN_KEY = 'nasenco-ledger.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && typeof body === 'object' && body.error ? body.error : {};
    super(e.message ?? `the ledger answered ${status}`);
    this.status = status;
    this.kind = e.kind ?? (status === 0 ? 'unavailable' : 'internal');
    this.code = e.code ?? 'unknown';
    this.issues = Array.isArray(e.issues) ? e.issues : [];
    this.details = e.details && typeof e.details === 'object' ? e.details : {};
  }
}

/**
 * Calls the API. `as` is 'json' (default) or 'text' (the exam-board CSV); `contentType` 'text/csv' sends
 * `body` as it is (the applicants' CSV), otherwise it is sent as JSON.
 * Throws ApiError for any answer that is not 2xx, and for a network failure (status 0).
 */
export async function api(
  path,
  { method = 'GET', body, as = 'json', contentType = 'application/json' } = {},
) {
  const headers = { Accept: as === 'json' ? 'application/json' : 'text/csv, text/plain' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, {
      error: {
        kind: 'unavailable',
        code: 'network',
        message: 'The ledger did not answer. Check that it is running and try again.',
      },
    });
  }
  if (!response.ok) {
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    throw new ApiError(response.status, parsed);
  }
  return as === 'json' ? response.json() : response.text();
}

/** POST a student command: the same route, roles and checks as any API client. */
export const command = (studentId, name, body) =>
  api(`/students/${seg(studentId)}/${kebab(name)}`, { method: 'POST', body });

/** The preview beside a command: decided by the same decider, nothing appended. */
export const preview = (studentId, name, body) =>
  api(`/students/${seg(studentId)}/preview/${kebab(name)}`, { method: 'POST', body });

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A path segment, escaped. */
export const seg = (value) => encodeURIComponent(String(value));

/** A query string from the defined values of an object. */
export function qs(values) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * Every page of a paged list (the API gives long lists `limit` at a time with a `nextCursor`), for the
 * pages that show one whole: a cohort's students, the reviews. `lists` names the answer's lists (the
 * at-risk answer has two, paged together); the answer is each list in full.
 */
export async function allPages(path, params = {}, lists = []) {
  const out = Object.fromEntries(lists.map((list) => [list, []]));
  let cursor;
  do {
    const page = await api(`${path}${qs({ ...params, limit: 500, cursor })}`);
    for (const list of lists) out[list].push(...page[list]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
