import { z } from 'zod';
import { IsoDate, Line, ModuleCode, Phase } from './common.ts';
import { defineEvent } from './define.ts';

const family = 'visits';

export const PartnerSchoolVisitRecorded = defineEvent({
  type: 'PartnerSchoolVisitRecorded',
  family,
  description: 'A day (or part) in a partner school, counted towards the module and total requirement.',
  schema: z.object({
    school: z.object({ name: Line(200), urn: Line(20).optional() }),
    phase: Phase,
    visitedOn: IsoDate,
    moduleCode: ModuleCode,
    hours: z.number().positive('must be more than 0 hours').max(12, 'a visit day is at most 12 hours'),
  }),
});

export const visitEvents = [PartnerSchoolVisitRecorded] as const;
