import { z } from 'zod';
import { EventMetadata } from '../../events/envelope.ts';
import type { CommandResult } from './handle-command.ts';

// What a command answers (201): the events it appended, as the log recorded them, the stream's new
// revision (also the ETag) and the position of the last event.

export const CommandAnswerSchema = z.object({
  streamId: z.string(),
  studentId: z.string().optional().describe('for a student command: the student, new or existing'),
  revision: z.bigint(),
  position: z.bigint(),
  events: z.array(
    z.object({
      eventId: z.string(),
      type: z.string(),
      revision: z.bigint(),
      position: z.bigint(),
      recordedAt: z.string(),
      metadata: EventMetadata,
      data: z.unknown(),
    }),
  ),
});
export type CommandAnswer = z.infer<typeof CommandAnswerSchema>;

export function commandAnswer(result: CommandResult): CommandAnswer {
  return {
    streamId: result.streamId,
    studentId: result.streamId.startsWith('student-') ? result.streamId.slice('student-'.length) : undefined,
    revision: result.revision,
    position: result.position,
    events: result.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      revision: e.revision,
      position: e.position,
      recordedAt: e.recordedAt,
      metadata: e.metadata,
      data: e.data,
    })),
  };
}
