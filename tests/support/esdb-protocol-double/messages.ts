import codePb from '@eventstore/db-client/generated/code_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import type {
  AppendReq,
  BatchAppendReq,
  DeleteReq,
  ReadResp,
  TombstoneReq,
} from '@eventstore/db-client/generated/streams_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import grpc from '@grpc/grpc-js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type { ExpectedState, ProposedEvent, StoredRecord } from './log.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// The wire forms the double reads and writes: events in read answers, proposed events, expected
// revisions, and the errors EventStoreDB sends. The errors follow the server's own
// (Services/Transport/Grpc/RpcExceptions.cs for whole calls, Status.cs for one append inside a
// BatchAppend): the client recognises them by the `exception` trailer or by the packed detail type.

export const { ReadResp: ReadRespMsg } = streamsPb;

/** EventStoreDB's words (status INVALID_ARGUMENT) for a read that does not start at a record. */
export const INVALID_POSITION = 'Trying to read from an invalid position.';

export type ServiceError = grpc.ServerErrorResponse & { code: grpc.status };

export function statusError(code: grpc.status, details: string, trailers: Record<string, string> = {}) {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata }) as ServiceError;
}

export const errors = {
  notLeader: (host: string, port: number) =>
    statusError(grpc.status.NOT_FOUND, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': host,
      'leader-endpoint-port': String(port),
    }),
  notReady: () => statusError(grpc.status.UNAVAILABLE, 'Server Is Not Ready'),
  accessDenied: () =>
    statusError(grpc.status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' }),
  unauthenticated: () => statusError(grpc.status.UNAUTHENTICATED, 'Unauthenticated'),
  streamDeleted: (stream: string) =>
    statusError(grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, {
      exception: 'stream-deleted',
      'stream-name': stream,
    }),
  timeout: () => statusError(grpc.status.ABORTED, 'Operation timed out'),
  maxAppendSize: (limit: number) =>
    statusError(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${limit} Exceeded.`, {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': String(limit),
    }),
  invalidPosition: () => statusError(grpc.status.INVALID_ARGUMENT, INVALID_POSITION),
  unimplemented: (what: string) =>
    statusError(grpc.status.UNIMPLEMENTED, `${what} is not modelled by the protocol double`),
  lost: () => statusError(grpc.status.UNAVAILABLE, 'connection dropped before the answer (protocol double)'),
};

/** A google.rpc.Status for one append of a BatchAppend, with EventStoreDB's packed detail. */
export function rpcStatus(
  code: codePb.Code,
  message: string,
  details: { serializeBinary(): Uint8Array },
  typeName: string,
): statusPb.Status {
  const packed = new anyPb.Any();
  packed.pack(details.serializeBinary(), `event_store.client.${typeName}`);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(packed);
}

export const batchErrors = {
  accessDenied: () =>
    rpcStatus(codePb.Code.PERMISSION_DENIED, 'AccessDenied', new sharedPb.AccessDenied(), 'AccessDenied'),
  timeout: () => rpcStatus(codePb.Code.DEADLINE_EXCEEDED, 'Timeout', new sharedPb.Timeout(), 'Timeout'),
  streamDeleted: (identifier: sharedPb.StreamIdentifier | undefined) =>
    rpcStatus(
      codePb.Code.NOT_FOUND,
      'StreamDeleted',
      new sharedPb.StreamDeleted().setStreamIdentifier(identifier),
      'StreamDeleted',
    ),
  maxAppendSize: (limit: number) =>
    rpcStatus(
      codePb.Code.INVALID_ARGUMENT,
      'MaximumAppendSizeExceeded',
      new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(limit),
      'MaximumAppendSizeExceeded',
    ),
};

export function eventResp(r: StoredRecord, fromAll: boolean, structuredIds: boolean): ReadResp {
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

export function proposed(
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
): ProposedEvent | ServiceError {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!type || !contentType)
    return statusError(grpc.status.INVALID_ARGUMENT, 'Missing required metadata property', {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    });
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

/** The expected revision of an Append, a BatchAppend, a Delete or a Tombstone (their oneofs share a shape). */
export function expectedState(
  options: AppendReq.Options | BatchAppendReq.Options | DeleteReq.Options | TombstoneReq.Options,
): ExpectedState {
  if (options instanceof streamsPb.BatchAppendReq.Options) {
    if (options.hasStreamPosition())
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  } else if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

export function streamName(identifier: sharedPb.StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function uuidString(id: sharedPb.UUID | undefined): string {
  if (!id) return '';
  if (id.hasString()) return id.getString().toLowerCase();
  const structured = id.getStructured();
  if (!structured) return '';
  const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
  const h = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidMessage(id: string, structured: boolean): sharedPb.UUID {
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
