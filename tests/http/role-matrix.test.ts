import { readFileSync } from 'node:fs';
import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer, type Who } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// Every route the server actually has, against every kind of caller, as this table says. The table is
// written here, by hand, from the README's route and role tables (which it is checked against): it is
// not read from the code under test. A route the server has but the table lacks fails, and so does an
// entry for a route the server no longer has.
//
// A role listed may use the route within its scope: tutors and examiners for the cohorts assigned to
// them, a student for their own record. So on a route naming a student or a cohort, the tutor, examiner
// and student of another cohort or record are refused (403) like a role not listed; on the other routes
// (lists, reference data) they are let through and see only what is theirs. "allowed" means the request
// got past authentication and the role rules: a domain answer (404, 409, 422, even 400 for a body the
// rules check) still counts; "refused" is 403, and an anonymous caller gets 401 on every route but the
// public ones.

import { MATRIX, type Role, type Roles } from '../support/role-matrix.ts';

const ROLE_OF: Record<Who, Role | null> = {
  anonymous: null,
  registry: 'registry',
  admin: 'admin',
  tutor: 'tutor',
  otherTutor: 'tutor',
  examiner: 'examiner',
  otherExaminer: 'examiner',
  student: 'student',
  otherStudent: 'student',
};
const OUT_OF_SCOPE: Who[] = ['otherTutor', 'otherExaminer', 'otherStudent'];
const CALLERS = Object.keys(ROLE_OF) as Who[];

function expected(route: string, who: Who, command?: string): 'allowed' | 'refused' | 'unauthenticated' {
  const roles = MATRIX[route]!;
  if (roles === 'as the command') return expected(`POST /students/:studentId/${command}`, who);
  if (roles === 'public') return 'allowed';
  const role = ROLE_OF[who];
  if (role === null) return 'unauthenticated';
  if (!roles.includes(role)) return 'refused';
  const scoped = /:(studentId|cohortId)\b/.test(route);
  return scoped && OUT_OF_SCOPE.includes(who) ? 'refused' : 'allowed';
}

/** The README's tables of routes and roles: route patterns (params as `:`), each with its roles. */
function readmeTable(): Map<string, Roles> {
  const table = new Map<string, Roles>();
  const api = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split(
    '\n## The HTTP API',
  )[1]!;
  for (const line of api.split('\n## ')[0]!.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = splitRow(line);
    const rolesCell = cells[cells.length - 1]!.replace(/\(.*?\)/g, '').trim();
    const roles: Roles =
      rolesCell === 'public' || rolesCell === 'as the command'
        ? rolesCell
        : (rolesCell.split(',').map((r) => r.trim()) as Role[]);
    let method = 'GET';
    let base = '';
    for (const [, item] of cells[0]!.matchAll(/`([^`]+)`/g)) {
      const full = /^(GET|POST) (\/\S*)$/.exec(item!);
      let path: string;
      if (full) [, method, path] = full as unknown as [string, string, string];
      else if (item!.startsWith('/')) path = item!;
      else path = `${base}/${item}`; // a command named after the full route before it
      path = path.split('?')[0]!;
      base = path.slice(0, path.lastIndexOf('/'));
      table.set(`${method} ${normalise(path)}`, roles);
    }
  }
  return table;
}

/** Splits a table row on the pipes that are not inside backticks. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let code = false;
  for (const c of line.trim().slice(1, -1)) {
    if (c === '`') code = !code;
    if (c === '|' && !code) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  return [...cells, cell.trim()];
}

const normalise = (route: string) => route.replace(/:\w+/g, ':');

function inReadme(table: Map<string, Roles>, route: string): Roles | undefined {
  const key = normalise(route);
  if (table.has(key)) return table.get(key);
  for (const [pattern, roles] of table)
    if (pattern.endsWith('/*') && key.startsWith(pattern.slice(0, -1))) return roles;
  return undefined;
}

describe('routes x roles', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  const actual: string[] = [];
  beforeAll(async () => {
    server = await demoServer({
      onRoute: (r: RouteOptions) => {
        for (const method of [r.method].flat()) if (method !== 'HEAD') actual.push(`${method} ${r.url}`);
      },
    });
  });

  it('has a table entry for every route the server has, and no entry for a route it lacks', () => {
    expect(actual.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !actual.includes(r))).toEqual([]);
  });

  it('agrees with the README: every route in its tables, with the same roles', () => {
    const table = readmeTable();
    const differs = Object.entries(MATRIX)
      .map(([route, roles]) => ({ route, roles, readme: inReadme(table, route) }))
      .filter(({ roles, readme }) => JSON.stringify(sorted(roles)) !== JSON.stringify(sorted(readme)))
      .map(({ route, roles, readme }) => `${route}: table ${roles}, README ${readme ?? 'missing'}`);
    expect(differs).toEqual([]);
  });

  it('answers every route for every caller as the table says', async () => {
    const failures: string[] = [];
    const calls = actual.flatMap((route): { route: string; command?: string }[] =>
      MATRIX[route] === 'as the command'
        ? COMMANDS.map((command) => ({ route, command }))
        : [{ route, command: undefined }],
    );
    for (const { route, command } of calls) {
      const [method, pattern] = route.split(' ') as ['GET' | 'POST', string];
      const url = concrete(pattern, server.studentId, command);
      for (const who of CALLERS) {
        const response = await server.app.inject({
          method,
          url,
          headers: { ...auth(server.tokens[who]), ...contentTypeOf(pattern) },
          ...(method === 'POST' ? { payload: bodyFor(pattern, command) } : {}),
        });
        const status = response.statusCode;
        const want = expected(route, who, command);
        const got =
          status === 401
            ? 'unauthenticated'
            : status === 403
              ? 'refused'
              : status < 500
                ? 'allowed'
                : 'error';
        if (got !== want)
          failures.push(
            `${method} ${url} as ${who}: ${status}, expected ${want}: ${response.body.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('every error body names its kind, code and a message', async () => {
    const r = await server.app.inject({
      method: 'GET',
      url: `/students/${server.studentId}`,
      headers: auth(server.tokens.otherStudent),
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({
      error: { kind: 'forbidden', code: 'forbidden', message: 'a student may read only their own record' },
    });
  });

  it('an examiner reads records without personal names; registry sees them; erased data stays erased', async () => {
    const url = `/students/${server.otherStudentId}`;
    const asExaminer = await server.app.inject({ method: 'GET', url, headers: auth(server.tokens.examiner) });
    expect(asExaminer.statusCode).toBe(200);
    expect(asExaminer.json().personal).toBeUndefined();
    const asRegistry = await server.app.inject({ method: 'GET', url, headers: auth(server.tokens.registry) });
    expect(asRegistry.json().personal.fullName).toBe('Gwen Pritchard');
    // The matrix sent an erasure request for the first student as admin: it took effect.
    const erased = await server.app.inject({
      method: 'GET',
      url: `/students/${server.studentId}`,
      headers: auth(server.tokens.registry),
    });
    expect(erased.json().personal).toEqual({ erased: true });
    expect(erased.json().erasure).toMatchObject({ erasedOn: '2024-11-20' });
  });
});

const sorted = (roles: Roles | undefined) => (Array.isArray(roles) ? [...roles].sort() : roles);

/** The student commands, as the table names them (each also previewed by the preview route). */
const COMMANDS = Object.keys(MATRIX)
  .map((route) => /^POST \/students\/:studentId\/([a-z-]+)$/.exec(route)?.[1])
  .filter((c): c is string => c !== undefined && c !== 'credentials');

const contentTypeOf = (pattern: string): Record<string, string> =>
  pattern === '/credentials/verify'
    ? { 'content-type': 'text/plain' }
    : pattern === '/cohorts/:cohortId/applicants'
      ? { 'content-type': 'text/csv' }
      : {};

/** A URL for a route pattern, on the demo's blended cohort (its tutor-1 and examiner-1) and first student. */
function concrete(pattern: string, studentId: string, command?: string): string {
  const values: Record<string, string> = {
    studentId,
    cohortId: 'blended-2024-spring-online',
    examBoardId: 'board-2024-11',
    programmeId: 'blended-3module',
    frameworkId: 'nasenco-national',
    version: '1',
    award: 'national-award',
    list: '1',
    credentialId: '00000000-0000-4000-8000-000000000000',
    command: command ?? '',
  };
  const url = pattern.replace(/:(\w+)/g, (_, name: string) => values[name]!).replace('*', 'app.js');
  if (pattern.endsWith('/replay')) return `${url}?occurredBy=2024-11-15`;
  if (pattern.endsWith('/as-of')) return `${url}?position=40`;
  if (pattern.endsWith('/marks')) return `${url}?moduleCode=M2`;
  if (pattern === '/students/search') return `${url}?q=okafor`;
  if (pattern === '/staff') return `${url}?role=tutor`;
  return url;
}

const APPLICANTS_CSV =
  'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type\nMatrix Row,matrix@school.example,1990-01-01,7654321,QTS,2024-01-01,0,Oak School,academy\n';

function bodyFor(pattern: string, previewed?: string): string | object {
  const command = previewed ?? /^\/students\/:studentId\/([a-z-]+)$/.exec(pattern)?.[1];
  if (command && command !== 'credentials') {
    const name = command.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof sampleBodies;
    return sampleBodies[name];
  }
  switch (pattern) {
    case '/students':
      return sampleBodies.submitApplication;
    case '/cohorts':
      return {
        cohortId: 'matrix-cohort',
        name: 'Matrix',
        programmeId: 'blended-3module',
        specVersion: 1,
        intake: 'autumn',
        location: 'Online',
        mode: 'online',
        startsOn: '2024-09-02',
        sessions: [],
      };
    case '/cohorts/:cohortId/staff':
      return { staffId: 'tutor-7', role: 'tutor' };
    case '/cohorts/:cohortId/exam-boards':
      return { examBoardId: 'board-x', heldOn: '2025-01-10', externalExaminers: ['examiner-1'] };
    case '/cohorts/:cohortId/assessment-windows':
      return { windowId: 'window-x', moduleCodes: ['M1'], opensOn: '2025-01-10', closesOn: '2025-01-20' };
    case '/specifications':
      return { specification: { programmeId: 'not-valid' } };
    case '/credentials/verify':
      return 'not.a.credential';
    case '/cohorts/:cohortId/applicants':
      return APPLICANTS_CSV;
    default:
      return {};
  }
}
