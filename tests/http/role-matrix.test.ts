import { beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, commandNames } from '../../src/domain/commands.ts';
import { kebab } from '../../src/http/students.ts';
import { auth, demoServer, type Who } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// Every route against every kind of caller. "allow" means the request got past authentication and the
// role rules (it may still be refused by a domain rule, a 422, or conflict, a 409); "deny" is 403 and
// an anonymous caller always gets 401 on the API. Public routes answer everyone.

type Rule = (who: Who) => 'allow' | 'deny';
interface Route {
  method: 'GET' | 'POST';
  url: (ctx: Ctx) => string;
  body?: (ctx: Ctx) => unknown;
  contentType?: string;
  rule: Rule | 'public';
}
interface Ctx {
  studentId: string;
  cohortId: string;
}

const ALL: Who[] = [
  'anonymous',
  'registry',
  'admin',
  'tutor',
  'otherTutor',
  'examiner',
  'otherExaminer',
  'student',
  'otherStudent',
];
const roleOf: Record<Who, string> = {
  anonymous: '-',
  registry: 'registry',
  admin: 'admin',
  tutor: 'tutor',
  otherTutor: 'tutor',
  examiner: 'examiner',
  otherExaminer: 'examiner',
  student: 'student',
  otherStudent: 'student',
};
const only =
  (...allowed: Who[]): Rule =>
  (who) =>
    allowed.includes(who) ? 'allow' : 'deny';
const readStudent = only('registry', 'admin', 'tutor', 'examiner', 'student');
const staffInCohort = only('registry', 'admin', 'tutor', 'examiner');
const anyone = only(
  'registry',
  'admin',
  'tutor',
  'otherTutor',
  'examiner',
  'otherExaminer',
  'student',
  'otherStudent',
);

const commandRoutes: Route[] = commandNames
  .filter((n) => n !== 'submitApplication')
  .map((name) => {
    const roles = commandDefinitions[name].roles as readonly string[];
    return {
      method: 'POST' as const,
      url: (c: Ctx) => `/students/${c.studentId}/${kebab(name)}`,
      body: () => sampleBodies[name],
      // A tutor may write only for the cohorts assigned to them.
      rule: (who: Who) => (roles.includes(roleOf[who]) && who !== 'otherTutor' ? 'allow' : 'deny'),
    };
  });

// Each command's preview takes the same body, roles and scope, and appends nothing.
const previewRoutes: Route[] = commandNames
  .filter((n) => n !== 'submitApplication')
  .map((name, i) => ({
    ...commandRoutes[i]!,
    url: (c: Ctx) => `/students/${c.studentId}/preview/${kebab(name)}`,
  }));

const APPLICANTS_CSV =
  'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type\nMatrix Row,matrix@school.example,1990-01-01,7654321,QTS,2024-01-01,0,Oak School,academy\n';

const routes: Route[] = [
  { method: 'GET', url: () => '/health', rule: 'public' },
  { method: 'GET', url: () => '/ready', rule: 'public' },
  { method: 'GET', url: () => '/docs/json', rule: 'public' },
  { method: 'GET', url: () => '/', rule: 'public' },
  {
    method: 'POST',
    url: () => '/students',
    body: () => sampleBodies.submitApplication,
    rule: only('registry'),
  },
  ...commandRoutes,
  ...previewRoutes,
  { method: 'GET', url: () => '/students', rule: anyone },
  { method: 'GET', url: () => '/students/search?q=okafor', rule: only('registry', 'admin') },
  { method: 'GET', url: (c) => `/students/${c.studentId}/outcomes`, rule: readStudent },
  { method: 'GET', url: (c) => `/cohorts/${c.cohortId}/register`, rule: staffInCohort },
  { method: 'GET', url: (c) => `/cohorts/${c.cohortId}/visits`, rule: staffInCohort },
  { method: 'GET', url: (c) => `/cohorts/${c.cohortId}/marks?moduleCode=M2`, rule: staffInCohort },
  { method: 'GET', url: () => '/staff?role=tutor', rule: only('registry', 'admin') },
  {
    method: 'POST',
    url: (c) => `/cohorts/${c.cohortId}/applicants`,
    body: () => APPLICANTS_CSV,
    contentType: 'text/csv',
    rule: only('registry'),
  },
  { method: 'GET', url: (c) => `/students/${c.studentId}`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/decision`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/credits`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/deadlines`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/audit-trail`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/replay?occurredBy=2024-11-15`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/as-of?position=40`, rule: readStudent },
  { method: 'GET', url: (c) => `/students/${c.studentId}/reproduce`, rule: readStudent },
  {
    method: 'GET',
    url: () => '/cohorts',
    rule: only('registry', 'admin', 'tutor', 'otherTutor', 'examiner', 'otherExaminer'),
  },
  { method: 'GET', url: (c) => `/cohorts/${c.cohortId}`, rule: staffInCohort },
  {
    method: 'GET',
    url: (c) => `/cohorts/${c.cohortId}/exam-board.csv`,
    rule: only('registry', 'admin', 'examiner'),
  },
  {
    method: 'POST',
    url: () => '/cohorts',
    body: () => ({
      cohortId: 'matrix-cohort',
      name: 'Matrix',
      programmeId: 'blended-3module',
      specVersion: 1,
      intake: 'autumn',
      location: 'Online',
      mode: 'online',
      startsOn: '2024-09-02',
      sessions: [],
    }),
    rule: only('registry'),
  },
  {
    method: 'POST',
    url: (c) => `/cohorts/${c.cohortId}/staff`,
    body: () => ({ staffId: 'tutor-7', role: 'tutor' }),
    rule: only('registry'),
  },
  {
    method: 'POST',
    url: (c) => `/cohorts/${c.cohortId}/exam-boards`,
    body: () => ({ examBoardId: 'board-x', heldOn: '2025-01-10', externalExaminers: [] }),
    rule: only('registry'),
  },
  {
    method: 'POST',
    url: (c) => `/cohorts/${c.cohortId}/assessment-windows`,
    body: () => ({ windowId: 'w-x', moduleCodes: ['M1'], opensOn: '2025-01-10', closesOn: '2025-01-17' }),
    rule: only('registry'),
  },
  { method: 'GET', url: () => '/reviews', rule: only('registry', 'admin') },
  { method: 'GET', url: () => '/verify', rule: only('registry', 'admin') },
  { method: 'GET', url: () => '/checkpoints', rule: only('registry', 'admin') },
  {
    method: 'GET',
    url: () => '/deadlines/at-risk',
    rule: only('registry', 'admin', 'tutor', 'otherTutor', 'examiner', 'otherExaminer'),
  },
  { method: 'GET', url: () => '/specifications', rule: anyone },
  { method: 'GET', url: () => '/specifications/blended-3module/1', rule: anyone },
  { method: 'GET', url: () => '/frameworks', rule: anyone },
  {
    method: 'POST',
    url: () => '/specifications',
    body: () => ({ specification: { programmeId: 'not-valid' } }),
    rule: only('admin'),
  },
];

describe('routes x roles', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  beforeAll(async () => {
    server = await demoServer();
  });

  it('answers every route for every caller as the role rules say', async () => {
    const ctx: Ctx = { studentId: server.studentId, cohortId: 'blended-2024-spring-online' };
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      for (const who of ALL) {
        const url = route.url(ctx);
        const response = await server.app.inject({
          method: route.method,
          url,
          headers: {
            ...auth(server.tokens[who]),
            ...(route.contentType ? { 'content-type': route.contentType } : {}),
          },
          ...(route.body ? { payload: route.body(ctx) as object } : {}),
        });
        const status = response.statusCode;
        checked++;
        let ok: boolean;
        let expected: string;
        if (route.rule === 'public') {
          expected = '200';
          ok = status === 200;
        } else if (who === 'anonymous') {
          expected = '401';
          ok = status === 401;
        } else if (route.rule(who) === 'deny') {
          expected = '403';
          ok = status === 403;
        } else {
          // Allowed: a success, or a domain answer (422 refusal, 409 conflict, 400 from a rule-checked body).
          expected = '200/201/409/422';
          ok =
            [200, 201, 409, 422].includes(status) ||
            (route.method === 'POST' && url === '/specifications' && status === 400);
        }
        if (!ok)
          failures.push(
            `${route.method} ${url} as ${who}: got ${status}, expected ${expected}: ${response.body.slice(0, 160)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(routes.length * ALL.length);
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
