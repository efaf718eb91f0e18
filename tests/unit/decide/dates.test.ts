import { describe, expect, it } from 'vitest';
import type { Command, CommandName } from '../../../src/domain/commands.ts';
import { FACT_DATES } from '../../../src/domain/decide/dates.ts';
import { given, registry } from '../../support/given-when-then.ts';
import { sampleBodies } from '../../support/samples.ts';
import { enrolledStudent } from '../../support/student-events.ts';

// A fact cannot be recorded before it happens: every date a command states as a fact (attended, visited,
// marked, signed off, conferred...) is refused after today (Europe/London, given to the decider), naming
// the field, whatever the record holds. Dates that look ahead (deadlines, an expected return) are not
// facts. The property test (tests/property/no-future-facts.test.ts) tries dates around today at random.

const today = '2025-06-30';
const tomorrow = '2025-07-01';
const withDates = (Object.keys(FACT_DATES) as CommandName[]).flatMap((name) =>
  FACT_DATES[name].map((field) => [name, field] as const),
);

describe('dates after today: given / when / then', () => {
  it('every command names the dates it states as facts (at least one for most)', () => {
    expect(withDates.length).toBeGreaterThan(35);
  });

  it.each(withDates)('refuses %s with %s tomorrow, naming the field', (name, field) => {
    const data = { ...sampleBodies[name], [field]: tomorrow };
    const error = given(enrolledStudent(), { today })
      .when({ name, data } as Command, registry)
      .thenRefusedAt('date_in_future', field, { [field]: tomorrow, today });
    expect(error.message).toContain(`${field} is ${tomorrow}, after today (${today}`);
  });

  it('accepts a fact dated today, and deadlines after it', () => {
    const visit = { ...sampleBodies.recordPartnerSchoolVisit, visitedOn: today };
    given(enrolledStudent(), { today })
      .when({ name: 'recordPartnerSchoolVisit', data: visit } as Command)
      .thenEvents([{ type: 'PartnerSchoolVisitRecorded', data: visit } as never], today);
    given(enrolledStudent(), { today })
      .when(
        {
          name: 'interruptStudy',
          data: { from: today, expectedReturn: '2025-09-01', reason: 'Maternity leave' },
        },
        registry,
      )
      .thenEvents([
        {
          type: 'StudyInterrupted',
          data: { from: today, expectedReturn: '2025-09-01', reason: 'Maternity leave' },
        },
      ]);
  });
});
