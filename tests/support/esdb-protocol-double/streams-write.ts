import codePb from '@eventstore/db-client/generated/code_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type grpc from '@grpc/grpc-js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import { checkCall } from './access.ts';
import { commitAppend } from './commit.ts';
import type { AppendOutcome, ExpectedState, ProposedEvent } from './log.ts';
import {
  batchErrors,
  errors,
  expectedState,
  proposed,
  rpcStatus,
  type ServiceError,
  streamName,
  uuidString,
} from './messages.ts';
import { leadership, type NodeContext } from './node-context.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Streams.Append (client streaming: options, then one message per event) and Streams.BatchAppend
// (bidirectional: appends keyed by correlation id, each answered with success or a google.rpc.Status,
// on a call that stays open), as Services/Transport/Grpc/Streams.Append.cs and Streams.BatchAppend.cs
// serve them. In BatchAppend the right to write is checked for each append (AccessDenied answers that
// append only), while a lost leadership fails the whole call with NotLeader, as the server's envelope
// does. Committing, with its timeouts, is in commit.ts.

type Failure = ServiceError;

export function appendHandler(ctx: NodeContext): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    ctx.membership.served();
    ctx.controls.calls.append++;
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failure: Failure | null = null;
    call.on('data', (req: AppendReq) => {
      if (failure) return;
      if (req.hasOptions()) {
        options = req.getOptions();
        return;
      }
      const message = req.getProposedMessage();
      if (!message) return;
      const event = proposed(message);
      if ('code' in event) {
        failure = event;
        return;
      }
      size += event.data.length + event.customMetadata.length;
      if (size > ctx.settings.maxAppendSize) failure = errors.maxAppendSize(ctx.settings.maxAppendSize);
      events.push(event);
    });
    call.on('error', () => undefined);
    call.on('end', async () => {
      if (failure) return callback(failure);
      if (!options) return callback(errors.unimplemented('an append without options'));
      const stream = streamName(options.getStreamIdentifier());
      const refusal =
        checkCall(ctx.access, call.metadata, { kind: 'write', stream }) ??
        leadership(ctx, call.metadata, 'write');
      if (refusal) return callback(refusal);
      const expected = expectedState(options);
      const deadline = call.getDeadline();
      const timeoutMs = Math.min(
        ctx.settings.writeTimeoutMs,
        typeof deadline === 'number' ? deadline - Date.now() : deadline.getTime() - Date.now(),
      );
      const result = await commitAppend(ctx, stream, expected, events, timeoutMs);
      if (result.kind === 'failed') return callback(result.error);
      if (result.kind === 'timeout') return callback(errors.timeout());
      if (result.outcome.kind === 'stream_deleted') return callback(errors.streamDeleted(stream));
      callback(null, appendResp(result.outcome, expected));
    });
  };
}

interface PendingBatch {
  options: BatchAppendReq.Options | undefined;
  events: ProposedEvent[];
  size: number;
}

export function batchAppendHandler(
  ctx: NodeContext,
): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    ctx.controls.calls.batchAppend++;
    const authenticated = checkCall(ctx.access, call.metadata, null);
    if (authenticated) return call.emit('error', authenticated);
    const pending = new Map<string, PendingBatch>();
    const inFlight = new Set<Promise<void>>();
    let failed = false;
    const fail = (error: ServiceError) => {
      if (failed) return;
      failed = true;
      call.emit('error', error);
    };
    const answer = (resp: BatchAppendResp) => {
      if (!failed) call.write(resp);
    };

    const complete = async (req: BatchAppendReq, batch: PendingBatch) => {
      ctx.membership.served();
      const options = batch.options!;
      const stream = streamName(options.getStreamIdentifier());
      const resp = new streamsPb.BatchAppendResp()
        .setCorrelationId(req.getCorrelationId())
        .setStreamIdentifier(options.getStreamIdentifier());
      const expected = expectedState(options);
      setExpected(resp, expected);
      if (checkCall(ctx.access, call.metadata, { kind: 'write', stream }))
        return answer(resp.setError(batchErrors.accessDenied()));
      const deadline = options.getDeadline();
      const timeoutMs = Math.min(
        ctx.settings.writeTimeoutMs,
        deadline ? deadline.toDate().getTime() - Date.now() : Number.POSITIVE_INFINITY,
      );
      if (batch.size > ctx.settings.maxAppendSize)
        return answer(resp.setError(batchErrors.maxAppendSize(ctx.settings.maxAppendSize)));
      const notLeader = leadership(ctx, call.metadata, 'write');
      if (notLeader) return fail(notLeader);
      const result = await commitAppend(ctx, stream, expected, batch.events, timeoutMs);
      if (result.kind === 'failed') return fail(result.error);
      if (result.kind === 'timeout') return answer(resp.setError(batchErrors.timeout()));
      answer(withOutcome(resp, result.outcome, expected, options));
    };

    call.on('data', (req: BatchAppendReq) => {
      const key = uuidString(req.getCorrelationId());
      const batch = pending.get(key) ?? { options: req.getOptions(), events: [], size: 0 };
      pending.set(key, batch);
      for (const message of req.getProposedMessagesList()) {
        const event = proposed(message);
        if ('code' in event) return fail(event);
        batch.size += event.data.length + event.customMetadata.length;
        batch.events.push(event);
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      if (!batch.options) return fail(errors.unimplemented('an append without options'));
      const done = complete(req, batch).finally(() => inFlight.delete(done));
      inFlight.add(done);
    });
    call.on('error', () => undefined);
    call.on('end', async () => {
      await Promise.allSettled([...inFlight]);
      if (!failed) call.end();
    });
  };
}

function setExpected(resp: BatchAppendResp, expected: ExpectedState): void {
  if (expected.kind === 'revision') resp.setStreamPosition(expected.revision.toString());
  else if (expected.kind === 'no_stream') resp.setNoStream(new emptyPb.Empty());
  else if (expected.kind === 'any') resp.setAny(new emptyPb.Empty());
  else resp.setStreamExists(new emptyPb.Empty());
}

function withOutcome(
  resp: BatchAppendResp,
  outcome: AppendOutcome,
  expected: ExpectedState,
  options: BatchAppendReq.Options,
): BatchAppendResp {
  if (outcome.kind === 'stream_deleted')
    return resp.setError(batchErrors.streamDeleted(options.getStreamIdentifier()));
  if (outcome.kind === 'wrong_expected_version') {
    const wev = new sharedPb.WrongExpectedVersion();
    if (outcome.current === null) wev.setCurrentNoStream(new emptyPb.Empty());
    else wev.setCurrentStreamRevision(outcome.current.toString());
    if (expected.kind === 'revision') wev.setExpectedStreamPosition(expected.revision.toString());
    else if (expected.kind === 'no_stream') wev.setExpectedNoStream(new emptyPb.Empty());
    else if (expected.kind === 'any') wev.setExpectedAny(new emptyPb.Empty());
    else wev.setExpectedStreamExists(new emptyPb.Empty());
    return resp.setError(
      rpcStatus(codePb.Code.ALREADY_EXISTS, 'WrongExpectedVersion', wev, 'WrongExpectedVersion'),
    );
  }
  const success = new streamsPb.BatchAppendResp.Success();
  if (outcome.lastRevision < 0n) success.setNoStream(new emptyPb.Empty());
  else success.setCurrentRevision(outcome.lastRevision.toString());
  if (outcome.position < 0n) success.setNoPosition(new emptyPb.Empty());
  else
    success.setPosition(
      new sharedPb.AllStreamPosition()
        .setCommitPosition(outcome.position.toString())
        .setPreparePosition(outcome.position.toString()),
    );
  return resp.setSuccess(success);
}

function appendResp(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  const resp = new streamsPb.AppendResp();
  if (outcome.kind === 'stream_deleted') throw new Error('answered as an error before');
  if (outcome.kind === 'wrong_expected_version') {
    const wev = new streamsPb.AppendResp.WrongExpectedVersion();
    if (outcome.current === null)
      wev.setCurrentNoStream(new sharedPb.Empty()).setNoStream2060(new sharedPb.Empty());
    else wev.setCurrentRevision(outcome.current.toString()).setCurrentRevision2060(Number(outcome.current));
    if (expected.kind === 'revision')
      wev
        .setExpectedRevision(expected.revision.toString())
        .setExpectedRevision2060(Number(expected.revision));
    else if (expected.kind === 'no_stream') wev.setExpectedNoStream(new sharedPb.Empty());
    else if (expected.kind === 'any')
      wev.setExpectedAny(new sharedPb.Empty()).setAny2060(new sharedPb.Empty());
    else wev.setExpectedStreamExists(new sharedPb.Empty()).setStreamExists2060(new sharedPb.Empty());
    return resp.setWrongExpectedVersion(wev);
  }
  const success = new streamsPb.AppendResp.Success();
  if (outcome.lastRevision < 0n) success.setNoStream(new sharedPb.Empty());
  else success.setCurrentRevision(outcome.lastRevision.toString());
  if (outcome.position < 0n) success.setNoPosition(new sharedPb.Empty());
  else
    success.setPosition(
      new streamsPb.AppendResp.Position()
        .setCommitPosition(outcome.position.toString())
        .setPreparePosition(outcome.position.toString()),
    );
  return resp.setSuccess(success);
}
