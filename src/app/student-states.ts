import { toLedgerEvent } from '../../events/index.ts';
import { students } from '../../projections/students.ts';
import { emptyRecord, foldRecord, type StudentRecord } from '../domain/student-record.ts';
import type { EventStore } from '../store/port.ts';
import type { ReadModels } from './read-models.ts';

/**
 * The student states the command handler decides on. The first choice is the live read model's record
 * (projections/students.ts, the same fold of the same events): a stream's commands run one at a time and
 * each waits until the read models have applied its predecessor, so in this process that record is as
 * current as the log. Deciding on it keeps no second copy of each record being worked on: the handler's
 * own cache of folded records had cost a structured clone and a second fold of every event, and twice the
 * records surviving each young-generation collection. Deciding reads a record and never changes it.
 * Where the record may be behind (another process wrote; a rebuild is being adopted), the append's
 * expected revision refuses it and the retry folds the stream from the log, as does a refusal by the rules.
 */
export class StudentStates {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  /** The live read model's record of the student, if it holds one: to be read, never changed. */
  live(streamId: string): StudentRecord | undefined {
    return this.readModels.get(students, streamId);
  }

  /** Whether the log holds events of the stream after `revision`. */
  async newerThan(streamId: string, revision: bigint): Promise<boolean> {
    const newer = await this.store.readStream(streamId, { fromRevision: revision + 1n, maxCount: 1 });
    return newer.length > 0;
  }

  /** The student's state folded from the log: a record of its own (empty if the stream has no events). */
  async fromLog(streamId: string): Promise<StudentRecord> {
    const events = await this.store.readStream(streamId);
    return events.length === 0 ? emptyRecord(streamId) : foldRecord(streamId, events.map(toLedgerEvent));
  }
}
