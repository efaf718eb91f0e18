import { describe, it } from 'vitest';
import { given } from '../../support/given-when-then.ts';
import { applied, enrolledStudent } from '../../support/student-events.ts';

const visit = {
  school: { name: 'Oak Primary', urn: '100001' },
  phase: 'primary' as const,
  visitedOn: '2024-03-05',
  moduleCode: 'M1',
  hours: 6,
};

describe('partner-school visits: given / when / then', () => {
  it('records a visit towards a module of the programme', () => {
    given(enrolledStudent())
      .when({ name: 'recordPartnerSchoolVisit', data: visit })
      .thenEvents([{ type: 'PartnerSchoolVisitRecorded', data: visit }], '2024-03-05');
  });

  it('refuses a visit dated before the application (2023-11-01)', () => {
    given(enrolledStudent())
      .when({ name: 'recordPartnerSchoolVisit', data: { ...visit, visitedOn: '2023-10-31' } })
      .thenRefusedAt('visit_before_application', 'visitedOn', { appliedOn: '2023-11-01' });
    given(enrolledStudent())
      .when({ name: 'recordPartnerSchoolVisit', data: { ...visit, visitedOn: '2023-11-01' } })
      .thenEvents([{ type: 'PartnerSchoolVisitRecorded', data: { ...visit, visitedOn: '2023-11-01' } }]);
  });

  it('refuses a visit before enrolment or towards a module not on the programme', () => {
    given([applied()]).when({ name: 'recordPartnerSchoolVisit', data: visit }).thenRefused('not_enrolled');
    given(enrolledStudent('sw'))
      .when({ name: 'recordPartnerSchoolVisit', data: visit })
      .thenRefused('module_not_on_programme', { moduleCode: 'M1' });
  });
});
