import { randomUUID } from 'node:crypto';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import grpc from '@grpc/grpc-js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import {
  type AppendOutcome,
  DoubleLog,
  type ExpectedState,
  type ProposedEvent,
  type StoredRecord,
} from './log.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// An in-process gRPC server built from the service definitions the client package generates
// (@eventstore/db-client/generated/*_grpc_pb.js), so the real client talks real gRPC to it. It serves:
// - ServerFeatures.GetSupportedMethods: which methods exist (the client picks BatchAppend over Append
//   when BatchAppend is listed, as it is on EventStoreDB 21.10 and later);
// - Streams.Append (client streaming: options, then one message per event) and Streams.BatchAppend
//   (bidirectional: batches keyed by correlation id, answered with success or a google.rpc.Status
//   whose details pack event_store.client.WrongExpectedVersion);
// - Streams.Read of a stream (StreamNotFound for a missing one), of $all (forwards from a position
//   inclusive, backwards from a position exclusive), and its subscription form: a confirmation, the
//   events after the position or revision (exclusive), CaughtUp, then live events;
// - the 1 MiB maximum append size of a default EventStoreDB node.
// The semantics of the log (positions, system events, expected versions, idempotency) are in log.ts.
// Test controls: abortSubscriptions() ends every live subscription with a status (UNAVAILABLE by
// default); stop() kills the server; start({ port, log }) brings one back on the same port and data.

export interface ProtocolDoubleOptions {
  /** 0 (the default) picks a free port; pass a stopped double's port to restart it. */
  port?: number;
  /** The data: pass a stopped double's `log` to restart with the same events. */
  log?: DoubleLog;
  /** List BatchAppend among the supported methods (true, like a current server) or only Append. */
  batchAppend?: boolean;
  maxAppendSize?: number;
}

/** How many calls of each kind the double has served: tests check which path the client took. */
export interface CallCounts {
  read: number;
  subscribe: number;
  append: number;
  batchAppend: number;
}

interface Controls {
  calls: CallCounts;
  /** Commit the next append, then answer it with UNAVAILABLE, as when a connection drops mid-call. */
  loseNextAppendResponse: boolean;
}

interface LiveSubscription {
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  detach: () => void;
}

const MAX_APPEND_SIZE = 1024 * 1024;
/** EventStoreDB's words (status INVALID_ARGUMENT) for a read that does not start at a record. */
const INVALID_POSITION = 'Trying to read from an invalid position.';
const { ReadResp: ReadRespMsg } = streamsPb;

export class EsdbProtocolDouble {
  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    readonly log: DoubleLog,
    private readonly live: Set<LiveSubscription>,
    private readonly controls: Controls,
  ) {}

  get calls(): Readonly<CallCounts> {
    return this.controls.calls;
  }

  /** The next append is committed, then its answer is lost: the client sees UNAVAILABLE. */
  loseNextAppendResponse(): void {
    this.controls.loseNextAppendResponse = true;
  }

  static async start(options: ProtocolDoubleOptions = {}): Promise<EsdbProtocolDouble> {
    const log = options.log ?? new DoubleLog();
    const live = new Set<LiveSubscription>();
    const controls: Controls = {
      calls: { read: 0, subscribe: 0, append: 0, batchAppend: 0 },
      loseNextAppendResponse: false,
    };
    const server = new grpc.Server();
    const batchAppend = options.batchAppend ?? true;
    const limit = options.maxAppendSize ?? MAX_APPEND_SIZE;
    server.addService(streamsGrpc.StreamsService, streamsService(log, live, limit, controls));
    server.addService(serverFeaturesGrpc.ServerFeaturesService, serverFeatures(batchAppend));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `127.0.0.1:${options.port ?? 0}`,
        grpc.ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    log.startEpoch();
    return new EsdbProtocolDouble(server, port, log, live, controls);
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  get liveSubscriptions(): number {
    return this.live.size;
  }

  /** Ends every live subscription with this status, as a node that loses its connection or leadership does. */
  abortSubscriptions(
    code: grpc.status = grpc.status.UNAVAILABLE,
    details = 'subscription aborted by the protocol double',
  ): void {
    for (const sub of [...this.live]) {
      sub.detach();
      sub.call.emit('error', { code, details, metadata: new grpc.Metadata() });
    }
  }

  /** Kills the server and every connection to it, like a node that dies. */
  async stop(): Promise<void> {
    for (const sub of [...this.live]) sub.detach();
    this.server.forceShutdown();
  }
}

function streamsService(
  log: DoubleLog,
  live: Set<LiveSubscription>,
  maxAppendSize: number,
  controls: Controls,
) {
  const lost = () => {
    if (!controls.loseNextAppendResponse) return false;
    controls.loseNextAppendResponse = false;
    return true;
  };
  const unavailable = () =>
    statusError(grpc.status.UNAVAILABLE, 'connection dropped before the answer (protocol double)');
  const read: grpc.handleServerStreamingCall<ReadReq, ReadResp> = (call) => {
    const options = call.request.getOptions();
    if (!options) return fail(call, grpc.status.INVALID_ARGUMENT, 'read options are required');
    if (options.hasFilter())
      return fail(
        call,
        grpc.status.UNIMPLEMENTED,
        'filtered reads are not implemented by the protocol double',
      );
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    const toResp = (r: StoredRecord, fromAll: boolean) => eventResp(r, fromAll, structuredIds);

    if (options.hasSubscription()) {
      controls.calls.subscribe++;
      const origin = subscriptionOrigin(log, options);
      if (origin instanceof Error) return fail(call, grpc.status.INVALID_ARGUMENT, origin.message);
      const confirmation = new ReadRespMsg.SubscriptionConfirmation().setSubscriptionId(randomUUID());
      call.write(new ReadRespMsg().setConfirmation(confirmation));
      for (const r of origin.backlog) call.write(toResp(r, origin.all));
      call.write(new ReadRespMsg().setCaughtUp(new ReadRespMsg.CaughtUp()));
      const onRecord = (r: StoredRecord) => {
        if (origin.follows(r)) call.write(toResp(r, origin.all));
      };
      log.appended.on('record', onRecord);
      const sub: LiveSubscription = {
        call,
        detach: () => {
          log.appended.off('record', onRecord);
          live.delete(sub);
        },
      };
      live.add(sub);
      call.on('cancelled', sub.detach);
      call.on('close', sub.detach);
      return;
    }

    controls.calls.read++;
    const count = Number(options.getCount());
    const stream = options.getStream();
    if (stream) {
      const name = streamName(stream.getStreamIdentifier());
      const records = log.stream(name);
      if (!records) {
        const notFound = new ReadRespMsg.StreamNotFound().setStreamIdentifier(stream.getStreamIdentifier());
        call.write(new ReadRespMsg().setStreamNotFound(notFound));
        return call.end();
      }
      const last = records.length - 1;
      const Case = streamsPb.ReadReq.Options.StreamOptions.RevisionOptionCase;
      const from =
        stream.getRevisionOptionCase() === Case.REVISION
          ? Number(stream.getRevision())
          : stream.getRevisionOptionCase() === Case.END
            ? backwards
              ? last
              : records.length
            : backwards
              ? 0
              : 0;
      const picked = backwards ? records.slice(0, Math.min(from, last) + 1).reverse() : records.slice(from);
      for (const r of picked.slice(0, count)) call.write(toResp(r, false));
      return call.end();
    }

    const all = options.getAll();
    if (!all) return fail(call, grpc.status.INVALID_ARGUMENT, 'read a stream or $all');
    const Case = streamsPb.ReadReq.Options.AllOptions.AllOptionCase;
    let picked: StoredRecord[];
    if (all.getAllOptionCase() === Case.POSITION) {
      const position = all.getPosition()!;
      const commit = BigInt(position.getCommitPosition());
      if (BigInt(position.getPreparePosition()) !== commit || !log.isBoundary(commit))
        return fail(call, grpc.status.INVALID_ARGUMENT, INVALID_POSITION);
      // Forwards from a position includes the event there; backwards from it starts before it.
      picked = backwards
        ? log.records.filter((r) => r.position < commit).reverse()
        : log.records.filter((r) => r.position >= commit);
    } else if (all.getAllOptionCase() === Case.END) {
      picked = backwards ? [...log.records].reverse() : [];
    } else {
      picked = backwards ? [] : log.records;
    }
    for (const r of picked.slice(0, count)) call.write(toResp(r, true));
    call.end();
  };

  const append: grpc.handleClientStreamingCall<AppendReq, AppendResp> = (call, callback) => {
    controls.calls.append++;
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failure: grpc.ServerErrorResponse | null = null;
    call.on('data', (req: AppendReq) => {
      if (failure) return;
      if (req.hasOptions()) {
        options = req.getOptions();
        return;
      }
      const message = req.getProposedMessage();
      if (!message) return;
      const event = proposed(message);
      if (event instanceof Error) {
        failure = event as grpc.ServerErrorResponse;
        return;
      }
      size += event.data.length + event.customMetadata.length;
      if (size > maxAppendSize) failure = maxAppendSizeError(maxAppendSize);
      events.push(event);
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (failure) return callback(failure);
      if (!options) return callback(statusError(grpc.status.INVALID_ARGUMENT, 'append options are required'));
      const expected = appendExpected(options);
      const outcome = log.append(streamName(options.getStreamIdentifier()), expected, events);
      if (lost()) return callback(unavailable());
      callback(null, appendResp(outcome, expected));
    });
  };

  const batchAppend: grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> = (call) => {
    controls.calls.batchAppend++;
    const pending = new Map<
      string,
      { options: BatchAppendReq.Options | undefined; events: ProposedEvent[]; size: number; failure: boolean }
    >();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      const key = uuidString(correlation);
      const batch = pending.get(key) ?? { options: req.getOptions(), events: [], size: 0, failure: false };
      pending.set(key, batch);
      for (const message of req.getProposedMessagesList()) {
        const event = proposed(message);
        if (event instanceof Error) return call.emit('error', event);
        batch.size += event.data.length + event.customMetadata.length;
        batch.events.push(event);
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      const options = batch.options;
      if (!options)
        return call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'batch options missing'));
      const resp = new streamsPb.BatchAppendResp()
        .setCorrelationId(correlation)
        .setStreamIdentifier(options.getStreamIdentifier());
      const expected = batchExpected(options);
      if (expected.kind === 'revision') resp.setStreamPosition(expected.revision.toString());
      else if (expected.kind === 'no_stream') resp.setNoStream(new emptyPb.Empty());
      else if (expected.kind === 'any') resp.setAny(new emptyPb.Empty());
      else resp.setStreamExists(new emptyPb.Empty());
      if (batch.size > maxAppendSize) {
        const details = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
        resp.setError(
          rpcStatus(
            codePb.Code.INVALID_ARGUMENT,
            'Maximum Append Size Exceeded',
            details,
            'MaximumAppendSizeExceeded',
          ),
        );
        return call.write(resp);
      }
      const outcome = log.append(streamName(options.getStreamIdentifier()), expected, batch.events);
      if (lost()) return call.emit('error', unavailable());
      if (outcome.kind === 'wrong_expected_version') {
        const wev = new sharedPb.WrongExpectedVersion();
        if (outcome.current === null) wev.setCurrentNoStream(new emptyPb.Empty());
        else wev.setCurrentStreamRevision(outcome.current.toString());
        if (expected.kind === 'revision') wev.setExpectedStreamPosition(expected.revision.toString());
        else if (expected.kind === 'no_stream') wev.setExpectedNoStream(new emptyPb.Empty());
        else if (expected.kind === 'any') wev.setExpectedAny(new emptyPb.Empty());
        else wev.setExpectedStreamExists(new emptyPb.Empty());
        resp.setError(
          rpcStatus(codePb.Code.FAILED_PRECONDITION, 'Wrong expected version', wev, 'WrongExpectedVersion'),
        );
        return call.write(resp);
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
      call.write(resp.setSuccess(success));
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  };

  return { read, append, batchAppend } as grpc.UntypedServiceImplementation;
}

function serverFeatures(batchAppend: boolean): grpc.UntypedServiceImplementation {
  const getSupportedMethods: grpc.handleUnaryCall<unknown, serverFeaturesPb.SupportedMethods> = (
    _call,
    callback,
  ) => {
    const supported = new serverFeaturesPb.SupportedMethods().setEventStoreServerVersion('24.10.0');
    const methods = [
      ['event_store.client.streams.streams', 'read'],
      ['event_store.client.streams.streams', 'append'],
      ...(batchAppend ? [['event_store.client.streams.streams', 'batchappend']] : []),
      ['event_store.client.server_features.serverfeatures', 'getsupportedmethods'],
    ];
    for (const [service, method] of methods) {
      supported.addMethods(
        new serverFeaturesPb.SupportedMethod().setServiceName(service!).setMethodName(method!),
      );
    }
    callback(null, supported);
  };
  return { getSupportedMethods };
}

/** Where a subscription starts (exclusive) and which new records it follows. */
function subscriptionOrigin(log: DoubleLog, options: ReadReq.Options) {
  const stream = options.getStream();
  if (stream) {
    const name = streamName(stream.getStreamIdentifier());
    const records = log.stream(name) ?? [];
    const Case = streamsPb.ReadReq.Options.StreamOptions.RevisionOptionCase;
    const backlog =
      stream.getRevisionOptionCase() === Case.REVISION
        ? records.slice(Number(stream.getRevision()) + 1)
        : stream.getRevisionOptionCase() === Case.END
          ? []
          : [...records];
    return { all: false, backlog, follows: (r: StoredRecord) => r.streamId === name };
  }
  const all = options.getAll();
  if (!all) return new Error('subscribe to a stream or $all');
  const Case = streamsPb.ReadReq.Options.AllOptions.AllOptionCase;
  let backlog: StoredRecord[];
  if (all.getAllOptionCase() === Case.POSITION) {
    const commit = BigInt(all.getPosition()!.getCommitPosition());
    if (!log.isBoundary(commit)) return new Error(INVALID_POSITION);
    backlog = log.records.filter((r) => r.position > commit);
  } else backlog = all.getAllOptionCase() === Case.END ? [] : [...log.records];
  return { all: true, backlog, follows: () => true };
}

function eventResp(r: StoredRecord, fromAll: boolean, structuredIds: boolean): ReadResp {
  const recorded = new ReadRespMsg.ReadEvent.RecordedEvent()
    .setId(uuidMessage(r.eventId, structuredIds))
    .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(r.streamId, 'utf8')))
    .setStreamRevision(r.revision.toString())
    .setPreparePosition(r.position.toString())
    .setCommitPosition(r.position.toString())
    .setCustomMetadata(r.customMetadata)
    .setData(r.data);
  recorded
    .getMetadataMap()
    .set('type', r.type)
    .set('content-type', r.contentType)
    .set('created', r.created.toString());
  const event = new ReadRespMsg.ReadEvent().setEvent(recorded);
  if (fromAll) event.setCommitPosition(r.position.toString());
  else event.setNoPosition(new sharedPb.Empty());
  return new ReadRespMsg().setEvent(event);
}

function proposed(
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
): ProposedEvent | Error {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!type || !contentType) {
    const trailers = new grpc.Metadata();
    trailers.set('exception', 'missing-required-metadata-property');
    trailers.set('required-metadata-properties', 'type,content-type');
    return statusError(grpc.status.INVALID_ARGUMENT, 'Missing required metadata property', trailers);
  }
  const eventId = uuidString(message.getId());
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(eventId))
    return statusError(grpc.status.INVALID_ARGUMENT, `invalid event id "${eventId}"`);
  return {
    eventId,
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function appendExpected(options: AppendReq.Options): ExpectedState {
  const Case = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function batchExpected(options: BatchAppendReq.Options): ExpectedState {
  const Case = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function appendResp(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  const resp = new streamsPb.AppendResp();
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

function maxAppendSizeError(limit: number): grpc.ServerErrorResponse {
  const trailers = new grpc.Metadata();
  trailers.set('exception', 'maximum-append-size-exceeded');
  trailers.set('maximum-append-size', String(limit));
  return statusError(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${limit} Exceeded.`, trailers);
}

function rpcStatus(
  code: codePb.Code,
  message: string,
  details: { serializeBinary(): Uint8Array },
  typeName: string,
): statusPb.Status {
  const packed = new anyPb.Any();
  packed.pack(details.serializeBinary(), `event_store.client.${typeName}`);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(packed);
}

function statusError(
  code: grpc.status,
  details: string,
  metadata = new grpc.Metadata(),
): grpc.ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, metadata });
}

function fail(call: grpc.ServerWritableStream<ReadReq, ReadResp>, code: grpc.status, details: string): void {
  call.emit('error', statusError(code, details));
}

function streamName(identifier: sharedPb.StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidString(id: sharedPb.UUID | undefined): string {
  if (!id) return '';
  if (id.hasString()) return id.getString().toLowerCase();
  const structured = id.getStructured();
  if (!structured) return '';
  const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
  const h = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function uuidMessage(id: string, structured: boolean): sharedPb.UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replaceAll('-', '');
  const signed = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString();
  return uuid.setStructured(
    new sharedPb.UUID.Structured()
      .setMostSignificantBits(signed(hex.slice(0, 16)))
      .setLeastSignificantBits(signed(hex.slice(16))),
  );
}

export { DoubleLog };
