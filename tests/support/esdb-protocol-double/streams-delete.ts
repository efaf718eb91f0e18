import type {
  DeleteReq,
  DeleteResp,
  TombstoneReq,
  TombstoneResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import grpc from '@grpc/grpc-js';
import { checkCall } from './access.ts';
import { errors, expectedState, statusError, streamName } from './messages.ts';
import { leadership, type NodeContext } from './node-context.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Streams.Delete (soft delete) and Streams.Tombstone (hard delete), as Streams.Delete.cs serves them:
// the expected revision is checked like an append's (WrongExpectedVersion otherwise), a tombstoned
// stream answers StreamDeleted, and the answer carries the position written. What each leaves behind is
// in log.ts. The ledger never deletes; these exist so tests can do to a stream what an operator could.

export function deleteHandler(ctx: NodeContext): grpc.handleUnaryCall<DeleteReq, DeleteResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    const done = remove(ctx, call, options && streamName(options.getStreamIdentifier()), 'soft');
    if (done instanceof Error) return callback(done);
    const resp = new streamsPb.DeleteResp();
    callback(
      null,
      resp.setPosition(
        new streamsPb.DeleteResp.Position()
          .setCommitPosition(done.toString())
          .setPreparePosition(done.toString()),
      ),
    );
  };
}

export function tombstoneHandler(ctx: NodeContext): grpc.handleUnaryCall<TombstoneReq, TombstoneResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    const done = remove(ctx, call, options && streamName(options.getStreamIdentifier()), 'tombstone');
    if (done instanceof Error) return callback(done);
    callback(
      null,
      new streamsPb.TombstoneResp().setPosition(
        new streamsPb.TombstoneResp.Position()
          .setCommitPosition(done.toString())
          .setPreparePosition(done.toString()),
      ),
    );
  };
}

function remove(
  ctx: NodeContext,
  call: grpc.ServerUnaryCall<DeleteReq | TombstoneReq, unknown>,
  stream: string | undefined,
  how: 'soft' | 'tombstone',
): bigint | grpc.ServerErrorResponse {
  ctx.membership.served();
  ctx.controls.calls.delete++;
  const options = call.request.getOptions();
  if (!options || stream === undefined) return errors.unimplemented('a delete without options');
  const refusal =
    checkCall(ctx.access, call.metadata, { kind: 'delete', stream }) ??
    leadership(ctx, call.metadata, 'write');
  if (refusal) return refusal;
  const expected = expectedState(options);
  const outcome =
    how === 'soft' ? ctx.log.deleteStream(stream, expected) : ctx.log.tombstone(stream, expected);
  if (outcome.kind === 'stream_deleted') return errors.streamDeleted(stream);
  if (outcome.kind === 'wrong_expected_version')
    return statusError(
      grpc.status.FAILED_PRECONDITION, // with the trailers the client reads a WrongExpectedVersionError from
      `Delete failed due to WrongExpectedVersion. Stream: ${stream}`,
      {
        exception: 'wrong-expected-version',
        'stream-name': stream,
        'expected-version': expected.kind === 'revision' ? String(expected.revision) : '-2',
        'actual-version': outcome.current === null ? '' : String(outcome.current),
      },
    );
  return outcome.position;
}
