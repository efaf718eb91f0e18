import { describe, it } from 'vitest';
import { admin, given } from '../../support/given-when-then.ts';
import { enrolledStudent } from '../../support/student-events.ts';

const erasure = { requestReference: 'DSAR-2024-17', erasedOn: '2024-06-01' };

describe('personal data: given / when / then', () => {
  it('records an erasure once', () => {
    given(enrolledStudent())
      .when({ name: 'erasePersonalData', data: erasure }, admin)
      .thenEvents([{ type: 'PersonalDataErased', data: erasure }], '2024-06-01');
    given([...enrolledStudent(), { type: 'PersonalDataErased', data: erasure }])
      .when({ name: 'erasePersonalData', data: { ...erasure, erasedOn: '2024-07-01' } }, admin)
      .thenRefused('already_erased');
  });
});
