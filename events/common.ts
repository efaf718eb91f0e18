import { z } from 'zod';

// Shapes shared by several families of events.

export const IsoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const IsoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with an offset',
});
export const Id = z.string().min(1, 'must not be empty').max(200);
export const Code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be a short code of letters, digits, dot, dash or underscore',
  );
export const ModuleCode = Code.describe('a module code from the programme specification, e.g. M1');
export const OutcomeCode = Code.describe('a learning-outcome code from the framework, e.g. A1.1');
export const Reason = z.string().trim().min(3, 'must give a reason of at least 3 characters').max(2000);
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
