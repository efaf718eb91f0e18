import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendOutcome, ExpectedState, ProposedEvent } from './log.ts';
import { errors, type ServiceError } from './messages.ts';
import type { NodeContext } from './node-context.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Committing one append, with EventStoreDB's timeouts: the server waits for the commit at most
// min(the request's deadline, its write timeout -- WriteTimeoutMs, 2 s by default) and then answers
// Timeout (a deadline already past is answered at once, nothing written). A Timeout does not say
// whether the write happened: on a real cluster the leader may still commit it once a quorum of nodes
// has it, or lose it. The controls play both: `timeOutNextAppend({ committed })` commits the events
// or not and answers Timeout when the timeout passes; `writeLatencyMs` makes every commit that slow,
// so a commit slower than the timeout is answered Timeout and lands late.
//
// Stream metadata the double does not model is refused with UNIMPLEMENTED: anything in a `$metadata`
// event whose key starts with `$` ($maxAge, $maxCount, $tb, $acl, $cacheControl). Custom keys are kept
// as plain data.

export type CommitResult =
  | { kind: 'done'; outcome: AppendOutcome }
  | { kind: 'timeout' }
  | { kind: 'failed'; error: ServiceError };

export async function commitAppend(
  ctx: NodeContext,
  stream: string,
  expected: ExpectedState,
  events: ProposedEvent[],
  timeoutMs: number,
): Promise<CommitResult> {
  const unmodelled = unmodelledMetadata(stream, events);
  if (unmodelled) return { kind: 'failed', error: errors.unimplemented(`stream metadata ${unmodelled}`) };
  if (timeoutMs <= 0) return { kind: 'timeout' };
  const write = () => ctx.log.append(stream, expected, events);
  const fault = ctx.controls.timeOutNextAppend;
  if (fault) {
    ctx.controls.timeOutNextAppend = null;
    if (fault.committed) write();
    await sleep(timeoutMs);
    return { kind: 'timeout' };
  }
  let outcome: AppendOutcome;
  const latency = ctx.controls.writeLatencyMs;
  if (latency > 0) {
    const late = sleep(latency).then(write);
    if (latency >= timeoutMs) {
      await sleep(timeoutMs);
      return { kind: 'timeout' };
    }
    outcome = await late;
  } else outcome = write();
  if (ctx.controls.loseNextAppendResponse) {
    ctx.controls.loseNextAppendResponse = false;
    return { kind: 'failed', error: errors.lost() };
  }
  return { kind: 'done', outcome };
}

/** The first `$` key of a `$metadata` event written by a client, or null. */
function unmodelledMetadata(stream: string, events: ProposedEvent[]): string | null {
  if (!stream.startsWith('$$')) return null;
  for (const e of events) {
    if (e.type !== '$metadata') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(e.data).toString('utf8'));
    } catch {
      return '(not JSON)';
    }
    const key = Object.keys(parsed ?? {}).find((k) => k.startsWith('$'));
    if (key) return key;
  }
  return null;
}
