import { refused } from '../errors.ts';
import type { EventStore } from '../store/port.ts';

// Who a token may be made for. A student token's id is the student id it reads: one for a student who
// does not exist would sign in to nothing, and would read the record of whoever is later given that id.

export async function requireTokenSubject(
  store: EventStore,
  subject: { id: string; role: string },
): Promise<void> {
  if (subject.role !== 'student') return;
  const head = await store.readStream(`student-${subject.id}`, { direction: 'backwards', maxCount: 1 });
  if (head.length === 0)
    throw refused(
      'unknown_student',
      `there is no student ${subject.id}: a student token's id is the student id (ledger show <studentId>)`,
      { studentId: subject.id },
      'id',
    );
}
