import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { londonDate } from '../../src/domain/calendar.ts';
import { type CommandName, commandDefinitions, commandNames } from '../../src/domain/commands.ts';
import { FACT_DATES } from '../../src/domain/decide/dates.ts';
import { LedgerError } from '../../src/errors.ts';
import { testLedger } from '../support/ledger.ts';
import { sampleBodies } from '../support/samples.ts';

// No command with a fact dated after "now" is ever accepted. Over the real command path (schema,
// app-layer checks, decider, append) on the demo ledger with its clock at NOW: any command, on any
// demo student, by the roles that may send it, with every date in its body (nested ones too: a birth
// date, a remedy's deadline) moved to a day around now. Accepted or refused for another reason when
// every fact is on or before today; refused otherwise (as date_in_future naming the field, unless the
// schema refused the shape first); and nothing appended is dated after today.

const NOW = '2026-12-01'; // on or after the demo's last fact (2026-11-20)
const ROLES = { registry: 'registry', tutor: 'tutor-1', admin: 'admin-1' } as const;
const DAY = 86_400_000;
const around = (offset: number) =>
  new Date(Date.parse(`${NOW}T12:00:00Z`) + offset * DAY).toISOString().slice(0, 10);
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The body with every date in it replaced, in order, by the next of `dates`. */
function redate(body: unknown, dates: string[]): unknown {
  let i = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && ISO_DAY.test(v)) return dates[i++ % dates.length];
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(body);
}

/** The fact dates of a body (as the decider and the app layer read them). */
function factDates(name: CommandName, body: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = FACT_DATES[name]
    .map((f) => [f, body[f]] as [string, unknown])
    .filter((e): e is [string, string] => typeof e[1] === 'string');
  const personal = body.personal as { dateOfBirth?: string } | undefined;
  if (personal?.dateOfBirth) out.push(['personal.dateOfBirth', personal.dateOfBirth]);
  return out;
}

let ledger: Ledger;
let students: string[];

beforeAll(async () => {
  ({ ledger } = await testLedger(NOW));
  await loadDemo(ledger);
  students = ledger.queries.studentIds();
}, 60_000);
afterAll(async () => ledger?.stop());

describe('no fact after now', () => {
  it('is ever accepted, whatever the command, the student and the dates around now', async () => {
    let accepted = 0;
    let future = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commandNames),
        fc.nat(),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 6 }),
        async (name, pick, offsets) => {
          const body = redate(sampleBodies[name], offsets.map(around)) as Record<string, unknown>;
          const facts = factDates(name, body);
          const late = facts.filter(([, date]) => date > NOW);
          const studentId = name === 'submitApplication' ? null : students[pick % students.length]!;
          const roles = commandDefinitions[name].roles;
          const role = roles[pick % roles.length]! as keyof typeof ROLES;
          let outcome: { events: { metadata: { occurredAt: string } }[] } | LedgerError;
          try {
            outcome = await ledger.execute(studentId, name, body, { actor: { id: ROLES[role], role } });
          } catch (error) {
            if (!(error instanceof LedgerError)) throw error;
            outcome = error;
          }
          if (late.length) {
            future++;
            expect(outcome).toBeInstanceOf(LedgerError);
            const error = outcome as LedgerError;
            // the schema may refuse the shape first (a birth date too recent for the application's day)
            if (error.kind === 'invalid') return;
            expect(error.code).toBe('date_in_future');
            expect(late.map(([field]) => field)).toContain(error.issues[0]!.field);
            return;
          }
          if (outcome instanceof LedgerError) {
            expect(outcome.code).not.toBe('date_in_future');
            return;
          }
          accepted++;
          for (const e of outcome.events) expect(londonDate(e.metadata.occurredAt) <= NOW).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    // the property is not vacuous: both sides were tried
    expect(future).toBeGreaterThan(50);
    expect(accepted).toBeGreaterThan(10);
  }, 120_000);
});
