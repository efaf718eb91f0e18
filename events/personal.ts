import { z } from 'zod';
import { IsoDate } from './common.ts';

/**
 * The personal details inside an ApplicationSubmitted's sealed `personal` field. They are validated
 * in clear at the edge, then sealed with the student key (src/privacy/seal.ts) before the event exists.
 */
export const PersonalDetails = z.object({
  fullName: z.string().trim().min(1, 'must not be empty').max(200),
  email: z.email('must be an email address'),
  dateOfBirth: IsoDate,
  // seed 004 Q9: the 7-digit teacher reference number evidences QTS
  teacherReferenceNumber: z
    .string()
    .regex(/^\d{7}$/, 'must be a 7-digit teacher reference number')
    .nullable(),
});
export type PersonalDetails = z.infer<typeof PersonalDetails>;
