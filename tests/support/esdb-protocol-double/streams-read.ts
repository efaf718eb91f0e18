import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type grpc from '@grpc/grpc-js';
import { checkCall } from './access.ts';
import type { StoredRecord } from './log.ts';
import { errors, eventResp, ReadRespMsg, streamName } from './messages.ts';
import { leadership, type NodeContext } from './node-context.ts';
import { DoubleSubscription, type SubscriptionSpec } from './subscription.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Streams.Read: a stream (StreamNotFound for a missing or soft-deleted one, StreamDeleted for a
// tombstoned one, the revisions before a `$tb` hidden), $all (forwards from a position inclusive,
// backwards from a position exclusive, only from a record boundary), and the subscription form
// (subscription.ts). Options the double does not model are refused with UNIMPLEMENTED, so that no test
// passes by accident on something the double would silently ignore: server-side filters and resolving
// links.

const AllCase = streamsPb.ReadReq.Options.AllOptions.AllOptionCase;
const RevisionCase = streamsPb.ReadReq.Options.StreamOptions.RevisionOptionCase;

export function readHandler(ctx: NodeContext): grpc.handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    ctx.membership.served();
    const fail = (error: grpc.ServerErrorResponse) => call.emit('error', error);
    const options = call.request.getOptions();
    if (!options) return fail(errors.unimplemented('a read without options'));
    if (options.hasFilter()) return fail(errors.unimplemented('a filtered read'));
    if (options.getResolveLinks()) return fail(errors.unimplemented('resolving links'));
    const stream = options.getStream();
    if (!stream && !options.getAll())
      return fail(errors.unimplemented('a read of neither a stream nor $all'));
    const target = stream ? streamName(stream.getStreamIdentifier()) : '$all';
    const refusal =
      checkCall(ctx.access, call.metadata, { kind: 'read', stream: target }) ??
      leadership(ctx, call.metadata, 'read');
    if (refusal) return fail(refusal);
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;

    if (options.hasSubscription()) {
      ctx.controls.calls.subscribe++;
      const requiresLeader = call.metadata.get('requires-leader')[0] === 'true';
      const spec = subscriptionSpec(ctx, options, { structuredIds, requiresLeader });
      if (spec instanceof Error) return fail(spec as grpc.ServerErrorResponse);
      const subscription: DoubleSubscription = new DoubleSubscription(
        call,
        ctx.log,
        spec,
        { liveBufferSize: ctx.settings.liveBufferSize, held: () => ctx.controls.hold },
        () => ctx.live.delete(subscription),
      );
      ctx.live.add(subscription);
      subscription.start();
      return;
    }

    ctx.controls.calls.read++;
    const count = Number(options.getCount());
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    let picked: StoredRecord[];
    if (stream) {
      const found = ctx.log.read(target);
      if (found.kind === 'deleted') return fail(errors.streamDeleted(target));
      if (found.kind === 'not_found') {
        const notFound = new ReadRespMsg.StreamNotFound().setStreamIdentifier(stream.getStreamIdentifier());
        call.write(new ReadRespMsg().setStreamNotFound(notFound));
        return call.end();
      }
      const records = found.records;
      const revisionCase = stream.getRevisionOptionCase();
      if (revisionCase === RevisionCase.REVISION) {
        const from = BigInt(stream.getRevision());
        picked = backwards
          ? records.filter((r) => r.revision <= from).reverse()
          : records.filter((r) => r.revision >= from);
      } else if (revisionCase === RevisionCase.END) picked = backwards ? [...records].reverse() : [];
      else picked = backwards ? [] : records;
    } else {
      const all = options.getAll()!;
      const records = ctx.log.records;
      if (all.getAllOptionCase() === AllCase.POSITION) {
        const position = all.getPosition()!;
        const commit = BigInt(position.getCommitPosition());
        if (BigInt(position.getPreparePosition()) !== commit || !ctx.log.isBoundary(commit))
          return fail(errors.invalidPosition());
        // Forwards from a position includes the event there; backwards from it starts before it.
        picked = backwards
          ? records.filter((r) => r.position < commit).reverse()
          : records.filter((r) => r.position >= commit);
      } else if (all.getAllOptionCase() === AllCase.END) picked = backwards ? [...records].reverse() : [];
      else picked = backwards ? [] : records;
    }
    for (const r of picked.slice(0, count)) call.write(eventResp(r, !stream, structuredIds));
    call.end();
  };
}

/** Where a subscription starts (exclusive). */
function subscriptionSpec(
  ctx: NodeContext,
  options: ReadReq.Options,
  flags: Pick<SubscriptionSpec, 'structuredIds' | 'requiresLeader'>,
): SubscriptionSpec | Error {
  const stream = options.getStream();
  if (stream) {
    const revisionCase = stream.getRevisionOptionCase();
    return {
      stream: streamName(stream.getStreamIdentifier()),
      from:
        revisionCase === RevisionCase.REVISION
          ? BigInt(stream.getRevision())
          : revisionCase === RevisionCase.END
            ? 'end'
            : -1n,
      ...flags,
    };
  }
  const all = options.getAll()!;
  if (all.getAllOptionCase() === AllCase.POSITION) {
    const commit = BigInt(all.getPosition()!.getCommitPosition());
    if (!ctx.log.isBoundary(commit)) return errors.invalidPosition();
    return { stream: null, from: commit, ...flags };
  }
  return { stream: null, from: all.getAllOptionCase() === AllCase.END ? 'end' : -1n, ...flags };
}
