import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toLedgerEvent } from '../../events/index.ts';
import { conflict, refused } from '../errors.ts';
import type { IdempotencyKeys } from '../store/idempotency.ts';
import { type CommandAnswer, commandAnswer } from './command-answer.ts';
import { parseBigint } from './json.ts';
import type { Ledger } from './ledger.ts';
import type { UploadView } from './staff-views-schema.ts';

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a command sent again with the key it was
// first sent with is answered as it was the first time and writes nothing. The key is the caller's own
// (scoped to their token's role and id); the same key with another request is refused (422); a key whose
// request is still running is refused with 409 until it finishes.
//
// What is kept of an answer holds no personal data: a command's answer is kept as where its events are
// in the log (stream, first revision, count) and read back from the log when it is given again, so it
// says exactly what the log says (sealed details stay sealed, and an erasure reaches them too); an
// applicants' upload is kept as row numbers and student ids, the names read from the records again.

export { MemoryIdempotencyKeys, SqliteIdempotencyKeys } from '../store/idempotency.ts';
export type { IdempotencyKeys };

/** What a route answers, and so how its answer is kept and given again. */
export type AnswerKind = 'command' | 'upload';

// The draft's key is a structured-field string: printable ASCII.
const KEY = /^[\u0020-\u007e]{1,255}$/;

/** The header's value: a structured-field string (quoted), or the bare value many clients send. */
export const IdempotencyKeyHeader = z
  .string()
  .transform((v) => v.trim().replace(/^"(.*)"$/, '$1'))
  .refine((v) => KEY.test(v) && !/["\\]/.test(v) && v.trim() === v, {
    message: 'must be 1 to 255 printable ASCII characters (a UUID, say), without quotes or backslashes',
  })
  .describe(
    'a key of your choosing, unique per command (a UUID): sending the command again with it gives the first answer and writes nothing',
  );

const Revision = z.string().regex(/^-?\d+$/);
const KeptAnswer = z.object({
  status: z.number().int().min(200).max(299),
  etag: z.string().optional(),
  body: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('command'),
      streamId: z.string(),
      fromRevision: Revision,
      count: z.number().int().min(0),
      revision: Revision,
      position: Revision,
    }),
    z.object({
      kind: z.literal('upload'),
      cohortId: z.string(),
      added: z.array(z.object({ row: z.number(), studentId: z.string() })),
      alreadyInCohort: z.array(
        z.object({
          row: z.number(),
          studentId: z.string(),
          matchedBy: z.enum(['teacher reference number', 'email']),
        }),
      ),
    }),
  ]),
});
type KeptAnswer = z.infer<typeof KeptAnswer>;

export interface Claim {
  scope: string;
  key: string;
  kind: AnswerKind;
}

export type Claimed =
  | { state: 'new'; claim: Claim }
  | { state: 'replay'; status: number; etag: string | undefined; body: unknown };

export class IdempotentCommands {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly ledger: Ledger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims the key for this request, or gives the first answer again. `request` is everything that makes
   * two requests the same: the method, the URL and the (validated) body.
   */
  async claim(
    caller: { id: string; role: string },
    key: string,
    kind: AnswerKind,
    request: { method: string; url: string; body: unknown },
  ): Promise<Claimed> {
    const scope = `${caller.role}:${caller.id}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([request.method, request.url, request.body ?? null]))
      .digest('hex');
    const begun = this.keys.begin(scope, key, fingerprint, this.now());
    switch (begun.state) {
      case 'new':
        return { state: 'new', claim: { scope, key, kind } };
      case 'mismatch':
        throw refused(
          'idempotency_key_reused',
          `the Idempotency-Key "${key}" was sent before with another request (method, URL or body): use a new key for a new request`,
          { idempotencyKey: key },
        );
      case 'in_flight':
        throw conflict(
          'idempotency_key_in_flight',
          `the request first sent with the Idempotency-Key "${key}" is still being processed: send it again in a moment to get its answer`,
          { idempotencyKey: key, retryAfterSeconds: 1 },
        );
      case 'done': {
        const kept = KeptAnswer.parse(JSON.parse(begun.answer));
        return { state: 'replay', status: kept.status, etag: kept.etag, body: await this.restore(kept) };
      }
    }
  }

  /** Keeps what a successful request answered (what it wrote is in the log already). */
  complete(claim: Claim, status: number, etag: string | undefined, body: unknown): void {
    const kept: KeptAnswer = { status, ...(etag ? { etag } : {}), body: keep(claim.kind, body) };
    this.keys.complete(claim.scope, claim.key, JSON.stringify(KeptAnswer.parse(kept)));
  }

  /** A refused or failed request wrote nothing: its key is free again, and a retry is decided anew. */
  release(claim: Claim): void {
    this.keys.release(claim.scope, claim.key);
  }

  private async restore(kept: KeptAnswer): Promise<unknown> {
    const body = kept.body;
    if (body.kind === 'command') {
      const recorded = body.count
        ? await this.ledger.store.readStream(body.streamId, {
            fromRevision: parseBigint(body.fromRevision)!,
            maxCount: body.count,
          })
        : [];
      return commandAnswer({
        streamId: body.streamId,
        events: recorded.map(toLedgerEvent),
        revision: parseBigint(body.revision)!,
        position: parseBigint(body.position)!,
      });
    }
    const name = (studentId: string) => {
      const record = this.ledger.queries.findRecord(studentId);
      return (record && this.ledger.queries.personalDetails(record)?.fullName) ?? '(erased)';
    };
    return {
      cohortId: body.cohortId,
      added: body.added.map((a) => ({ ...a, fullName: name(a.studentId) })),
      alreadyInCohort: body.alreadyInCohort.map((a) => ({ ...a, fullName: name(a.studentId) })),
    } satisfies z.infer<typeof UploadView>;
  }
}

function keep(kind: AnswerKind, body: unknown): KeptAnswer['body'] {
  if (kind === 'command') {
    const answer = body as CommandAnswer;
    return {
      kind: 'command',
      streamId: answer.streamId,
      fromRevision: String(answer.events[0]?.revision ?? answer.revision + 1n),
      count: answer.events.length,
      revision: String(answer.revision),
      position: String(answer.position),
    };
  }
  const upload = body as z.infer<typeof UploadView>;
  return {
    kind: 'upload',
    cohortId: upload.cohortId,
    added: upload.added.map(({ row, studentId }) => ({ row, studentId })),
    alreadyInCohort: upload.alreadyInCohort.map(({ row, studentId, matchedBy }) => ({
      row,
      studentId,
      matchedBy,
    })),
  };
}
