import { z } from 'zod';
import { IsoDate, Line } from './common.ts';

/**
 * The personal details inside an ApplicationSubmitted's sealed `personal` field. They are validated
 * in clear at the edge, then sealed with the student key (src/privacy/seal.ts) before the event exists.
 */
export const PersonalDetails = z.object({
  fullName: Line(200, { trim: true }),
  email: z.email('must be an email address'),
  dateOfBirth: IsoDate,
  // seed 004 Q9: the 7-digit teacher reference number evidences QTS
  teacherReferenceNumber: z
    .string()
    .regex(/^\d{7}$/, 'must be a 7-digit teacher reference number')
    .nullable(),
});
export type PersonalDetails = z.infer<typeof PersonalDetails>;

/**
 * The applicant's own school, by name (and URN). Personal in effect: a school usually has one SENCO, so
 * its name points at the person. Sealed with the other details since ApplicationSubmitted v2.
 */
export const ApplicantSchoolName = z.object({ name: Line(200), urn: Line(20).optional() });
export type ApplicantSchoolName = z.infer<typeof ApplicantSchoolName>;

/** What is sealed in an application's `personal` field (applications before v2 sealed no school). */
export const SealedDetails = PersonalDetails.extend({ school: ApplicantSchoolName.optional() });
export type SealedDetails = z.infer<typeof SealedDetails>;

/** Provider default (no seed states an age): an applicant is an adult, at least 18 on the day they apply. */
export const ADULT_AGE = 18;

/** Whether someone born on `dateOfBirth` has had their 18th birthday by `on` (both YYYY-MM-DD). */
export function isAdultOn(dateOfBirth: string, on: string): boolean {
  const year = Number(dateOfBirth.slice(0, 4)) + ADULT_AGE;
  // Born on 29 February: "YYYY-02-29" in a common year sorts before 1 March, the day the law counts.
  return `${String(year).padStart(4, '0')}${dateOfBirth.slice(4)}` <= on;
}
