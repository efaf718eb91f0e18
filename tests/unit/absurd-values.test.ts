import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../events/index.ts';
import { isAdultOn } from '../../events/personal.ts';
import { CommandHandler } from '../../src/app/handle-command.ts';
import { commandDefinitions } from '../../src/domain/commands.ts';
import { asLedgerError } from '../../src/errors.ts';
import { sampleBodies } from '../support/samples.ts';

// The catalogue refuses values no record can hold, naming the field: dates outside 1900-2099 or not on
// the calendar, an applicant who would be a child, and text that is only spaces or hides control
// characters.

function issuesOf(run: () => unknown): { field: string; reason: string }[] {
  try {
    run();
  } catch (error) {
    // a refusal of the command (the ledger's) or of the event (the catalogue's, mapped to the ledger's)
    const refusal = asLedgerError(error);
    if (refusal) return refusal.issues;
    throw error;
  }
  throw new Error('expected a refusal');
}

type Body = Record<string, unknown>;
/** The sample application with some fields replaced (`personal` and `school` are merged, not replaced). */
const application = (patch: Body) => () => {
  const sample = sampleBodies.submitApplication as Body;
  const body = {
    ...sample,
    ...patch,
    personal: { ...(sample.personal as Body), ...(patch.personal as Body | undefined) },
    school: { ...(sample.school as Body), ...(patch.school as Body | undefined) },
  };
  return CommandHandler.parse(commandDefinitions.submitApplication.schema, body);
};

describe('absurd values', () => {
  it('refuses dates in year 0001 or 9999, and dates not on the calendar', () => {
    for (const markedOn of ['0001-01-01', '9999-12-31', '1899-12-31', '2100-01-01'])
      expect(
        issuesOf(() =>
          validateEvent('AssignmentMarked', {
            moduleCode: 'M1',
            attempt: 1,
            mark: 60,
            markedOn,
            marker: { id: 't' },
          }),
        ),
      ).toEqual([{ field: 'data.markedOn', reason: 'must be between 1900-01-01 and 2099-12-31' }]);
    expect(issuesOf(application({ submittedOn: '2023-02-29' }))).toEqual([
      { field: 'submittedOn', reason: 'must be a date as YYYY-MM-DD' },
    ]);
    expect(() => application({ submittedOn: '2024-02-29' })()).not.toThrow();
  });

  it('refuses a date of birth that makes the applicant a child on the day they applied', () => {
    const child = issuesOf(application({ personal: { dateOfBirth: '2010-05-01' } }));
    expect(child).toEqual([
      {
        field: 'personal.dateOfBirth',
        reason: 'makes the applicant younger than 18 on the day they applied (2024-06-01)',
      },
    ]);
    expect(issuesOf(application({ personal: { dateOfBirth: '2006-06-02' } }))[0]!.field).toBe(
      'personal.dateOfBirth',
    );
    expect(() => application({ personal: { dateOfBirth: '2006-06-01' } })()).not.toThrow();
    expect(isAdultOn('2006-02-29'.replace('29', '28'), '2024-02-28')).toBe(true);
    expect(isAdultOn('2004-02-29', '2022-02-28')).toBe(false);
    expect(isAdultOn('2004-02-29', '2022-03-01')).toBe(true);
  });

  it('refuses text that is only whitespace or holds control characters, naming the field', () => {
    const cases: [string, Body, string, RegExp][] = [
      ['a name of spaces', { personal: { fullName: '   ' } }, 'personal.fullName', /empty/],
      ['a NUL in a name', { personal: { fullName: 'Ada\u0000' } }, 'personal.fullName', /control/],
      ['an escape in a school', { school: { name: 'Hill\u001b[2J' } }, 'school.name', /control/],
      ['a line break in a school', { school: { name: 'Hill\nPrimary' } }, 'school.name', /control/],
      ['a tab-only school', { school: { name: '\t ' } }, 'school.name', /empty/],
    ];
    for (const [what, patch, field, reason] of cases) {
      const issues = issuesOf(application(patch));
      expect(
        issues.map((i) => i.field),
        what,
      ).toContain(field);
      expect(issues.find((i) => i.field === field)!.reason, what).toMatch(reason);
    }
    const withdraw = (reason: string) => () =>
      CommandHandler.parse(commandDefinitions.withdrawStudent.schema, { on: '2024-05-01', reason });
    expect(issuesOf(withdraw('     '))[0]).toMatchObject({ field: 'reason', reason: /at least 3/ });
    expect(issuesOf(withdraw('Left\u0007 the post'))[0]).toMatchObject({
      field: 'reason',
      reason: /control/,
    });
    // A reason may run over several lines.
    expect(() => withdraw('Left the post.\r\nMoved to another county.')()).not.toThrow();
  });
});
