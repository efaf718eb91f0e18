import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, commandNames } from '../../src/domain/commands.ts';
import { kebab } from '../../src/http/commands.ts';
import { auth, demoServer, type Who } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// Arbitrary bodies thrown at every write route by a caller who is allowed to use it: the answer is
// always one a client can act on (never a 500), and a refused request writes nothing at all.

const ACCEPTABLE = new Set([201, 400, 404, 409, 413, 415, 422]);

const mutate = (sample: Record<string, unknown>) =>
  fc
    .tuple(
      fc.subarray(Object.keys(sample)),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.boolean(),
    )
    .map(([keys, extra, value, drop]) => {
      const body: Record<string, unknown> = { ...sample, ...extra };
      for (const k of keys) {
        if (drop) delete body[k];
        else body[k] = value;
      }
      return body;
    });

describe('fuzzing the write routes', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let studentId: string;
  beforeAll(async () => {
    server = await demoServer();
    studentId = server.ledger.queries.studentIds('blended-2024-spring-online')[4]!;
  });

  const writeRoutes = [
    ...commandNames.map((name) => ({
      name,
      url: () => (name === 'submitApplication' ? '/students' : `/students/${studentId}/${kebab(name)}`),
      who: (commandDefinitions[name].roles[0] === 'tutor'
        ? 'tutor'
        : commandDefinitions[name].roles[0]) as Who,
      sample: sampleBodies[name],
    })),
    {
      name: 'createCohort',
      url: () => '/cohorts',
      who: 'registry' as Who,
      sample: {
        cohortId: 'fuzz-cohort',
        name: 'Fuzz',
        programmeId: 'blended-3module',
        specVersion: 1,
        intake: 'autumn',
        location: 'Online',
        mode: 'online',
        startsOn: '2024-09-02',
        sessions: [],
      },
    },
    {
      name: 'assignCohortStaff',
      url: () => '/cohorts/blended-2024-spring-online/staff',
      who: 'registry' as Who,
      sample: { staffId: 'tutor-8', role: 'tutor' },
    },
    {
      name: 'recordExamBoard',
      url: () => '/cohorts/blended-2024-spring-online/exam-boards',
      who: 'registry' as Who,
      sample: { examBoardId: 'board-f', heldOn: '2025-01-10', externalExaminers: [] },
    },
    {
      name: 'setAssessmentWindow',
      url: () => '/cohorts/blended-2024-spring-online/assessment-windows',
      who: 'registry' as Who,
      sample: { windowId: 'w-f', moduleCodes: ['M1'], opensOn: '2025-01-10', closesOn: '2025-01-17' },
    },
    {
      name: 'publishSpecification',
      url: () => '/specifications',
      who: 'admin' as Who,
      sample: { specification: { programmeId: 'x', version: 2 } },
    },
  ];

  it('never answers 500 and never writes part of a refused request', async () => {
    const bodyArb = (sample: Record<string, unknown>) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map((v) => ({ kind: 'json' as const, v })) },
        { weight: 4, arbitrary: mutate(sample).map((v) => ({ kind: 'json' as const, v })) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((v) => ({ kind: 'raw' as const, v })) },
      );
    const routeArb = fc
      .constantFrom(...writeRoutes)
      .chain((route) => bodyArb(route.sample).map((body) => ({ route, body })));
    let created = 0;
    await fc.assert(
      fc.asyncProperty(routeArb, async ({ route, body }) => {
        const before = await server.ledger.store.headPosition();
        let payload: string;
        try {
          payload = body.kind === 'raw' ? body.v : (JSON.stringify(body.v) ?? 'null');
        } catch {
          payload = '{}'; // values JSON cannot hold (bigint): send an empty object instead
        }
        const response = await server.app.inject({
          method: 'POST',
          url: route.url(),
          headers: { ...auth(server.tokens[route.who]), 'content-type': 'application/json' },
          payload,
        });
        const status = response.statusCode;
        expect(
          ACCEPTABLE.has(status),
          `${route.name} answered ${status}: ${response.body.slice(0, 200)}`,
        ).toBe(true);
        const body2 = response.json();
        if (status === 201) created++;
        else {
          expect(body2.error.message.length).toBeGreaterThan(0);
          expect(await server.ledger.store.headPosition()).toBe(before);
        }
        if (status === 400) expect(body2.error.kind).toBe('invalid');
      }),
      { numRuns: 600 },
    );
    // The fuzzer reached the success path too, not only the refusals.
    expect(created).toBeGreaterThan(0);
    expect((await server.ledger.store.verify()).ok).toBe(true);
  });
});
