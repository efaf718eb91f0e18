import { z } from 'zod';

// Shapes shared by several families of events.

// Dates and instants a record can sensibly hold: a real calendar date (zod refuses 30 February) from
// 1900 to 2099. Nothing the programmes record lies outside it (provider default: the oldest date of
// birth or QTS award to expect, and every statutory deadline of SI 2024/535 falls inside it), while a
// typing slip such as year 0001 or 9999 would otherwise pass and move deadlines by centuries.
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2099-12-31';
const inBounds = (date: string) => date >= EARLIEST_DATE && date <= LATEST_DATE;
const BOUNDS = `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`;

export const IsoDate = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD' })
  .refine(inBounds, { error: BOUNDS, abort: true });
export const IsoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset' })
  .refine((t) => inBounds(t.slice(0, 10)), { error: BOUNDS, abort: true });

// Free text is refused when it is only whitespace, or holds control characters (a NUL, an escape
// sequence, a backspace): they hide or change what a reader of the record sees. A line holds none; a
// paragraph (a reason, a note) may hold line breaks and tabs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL_IN_PARAGRAPH = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const text =
  (control: RegExp, what: string) =>
  (max: number, options: { min?: number; trim?: boolean; tooShort?: string } = {}) => {
    const min = options.min ?? 1;
    const base = options.trim ? z.string().trim() : z.string();
    return base
      .max(max, `must be at most ${max} characters`)
      .refine((s) => s.trim().length >= min, {
        error:
          options.tooShort ??
          (min === 1
            ? 'must not be empty or only spaces'
            : `must be at least ${min} characters besides spaces`),
      })
      .refine((s) => !control.test(s), { error: `must not contain control characters (${what})` });
  };
/** One line of text: a name, a title, a reference. */
export const Line = text(CONTROL_IN_LINE, 'not even a line break');
/** Text that may run over several lines: a reason, a note, a summary. */
export const Paragraph = text(CONTROL_IN_PARAGRAPH, 'line breaks and tabs are allowed');

export const Id = Line(200);
export const Code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be a short code of letters, digits, dot, dash or underscore',
  );
export const ModuleCode = Code.describe('a module code from the programme specification, e.g. M1');
export const OutcomeCode = Code.describe('a learning-outcome code from the framework, e.g. A1.1');
export const Reason = Paragraph(2000, {
  min: 3,
  trim: true,
  tooShort: 'must give a reason of at least 3 characters',
});
export const Mark = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');
export const Attempt = z.number().int().min(1, 'attempts count from 1').max(9);
export const PositionString = z.string().regex(/^\d+$/, 'must be a non-negative integer as a string');

export const StaffRef = z.object({ id: Id });

/**
 * Personal data is never stored in clear: it is sealed with the student's own key, held outside the log
 * (src/privacy/). Destroying the key erases it everywhere while the record and the hash chain stay whole.
 */
export const Sealed = z.object({
  alg: z.literal('A256GCM'),
  keyId: Id,
  iv: z.string().min(1),
  tag: z.string().min(1),
  ct: z.string().min(1),
});
export type Sealed = z.infer<typeof Sealed>;

export const SchoolType = z.enum([
  'maintained-mainstream',
  'academy',
  'free-school',
  // Children and Families Act 2014 s.67(1)(b): maintained nursery schools are under the SENCO duty too
  'maintained-nursery',
  'pre-school',
  'independent',
  'special',
  'pru',
  'fe-college',
  'other',
]);

export const Phase = z.enum(['early-years', 'primary', 'secondary', 'all-through', 'special', 'post-16']);
