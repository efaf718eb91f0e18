import gossipGrpc from '@eventstore/db-client/generated/gossip_grpc_pb.js';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import grpc from '@grpc/grpc-js';
import type { AccessControl } from './access.ts';
import { gossipService, type MemberView } from './gossip.ts';
import { DoubleLog } from './log.ts';
import { errors, type ServiceError } from './messages.ts';
import {
  type CallCounts,
  type Controls,
  type Membership,
  type NodeContext,
  type NodeSettings,
  newControls,
} from './node-context.ts';
import { deleteHandler, tombstoneHandler } from './streams-delete.ts';
import { readHandler } from './streams-read.ts';
import { appendHandler, batchAppendHandler } from './streams-write.ts';
import type { DoubleSubscription } from './subscription.ts';
import { testCertificates } from './tls.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// One node: an in-process gRPC server built from the service definitions the client package generates
// (@eventstore/db-client/generated/*_grpc_pb.js), so the real client talks real gRPC to it. It serves:
// - ServerFeatures.GetSupportedMethods (the client picks BatchAppend over Append when it is listed, as
//   on EventStoreDB 21.10 and later) and Gossip.Read (the cluster's members, for discovery);
// - Streams.Read (streams-read.ts, subscription.ts), Append and BatchAppend (streams-write.ts, with
//   commit.ts), Delete and Tombstone (streams-delete.ts), over the log in log.ts;
// - with `security`, TLS and authorization (access.ts, tls.ts); without, it is an insecure node.
// A cluster of nodes sharing one log is in cluster.ts; a node started alone is its own leader.
// Test controls: loseNextAppendResponse, timeOutNextAppend, writeLatencyMs, holdSubscriptions,
// abortSubscriptions; stop() kills the node; start({ port, log }) brings one back on the same port
// and data.

export interface ProtocolDoubleOptions {
  /** 0 (the default) picks a free port; pass a stopped double's port to restart it. */
  port?: number;
  /** The data: pass a stopped double's `log` to restart with the same events. */
  log?: DoubleLog;
  /** List BatchAppend among the supported methods (true, like a current server) or only Append. */
  batchAppend?: boolean;
  maxAppendSize?: number;
  /** EventStoreDB's WriteTimeoutMs (2,000 by default). */
  writeTimeoutMs?: number;
  /** Live events a subscription may have waiting before it falls behind (32, as in EventStoreDB). */
  liveBufferSize?: number;
  /** A secure node: TLS with a test CA, and these users and rights. */
  security?: AccessControl;
  /** Set by cluster.ts: where the node stands and what gossip says. */
  cluster?: { membership: (node: EsdbProtocolDouble) => Membership; gossip: () => MemberView[] };
  /** Whether the node writes an epoch record when it starts (a cluster's elected leader does). */
  writesEpoch?: boolean;
}

const MAX_APPEND_SIZE = 1024 * 1024;
const WRITE_TIMEOUT_MS = 2_000;
const LIVE_BUFFER_SIZE = 32;

export class EsdbProtocolDouble {
  private releaseHold: (() => void) | null = null;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly ctx: NodeContext,
    readonly secure: boolean,
  ) {}

  static async start(options: ProtocolDoubleOptions = {}): Promise<EsdbProtocolDouble> {
    const log = options.log ?? new DoubleLog();
    const settings: NodeSettings = {
      maxAppendSize: options.maxAppendSize ?? MAX_APPEND_SIZE,
      writeTimeoutMs: options.writeTimeoutMs ?? WRITE_TIMEOUT_MS,
      liveBufferSize: options.liveBufferSize ?? LIVE_BUFFER_SIZE,
    };
    const solo: Membership = {
      role: () => 'leader',
      leaderEndpoint: () => null,
      served: () => undefined,
    };
    const ctx: NodeContext = {
      log,
      settings,
      controls: newControls(),
      access: options.security ?? null,
      membership: solo,
      live: new Set<DoubleSubscription>(),
    };
    const server = new grpc.Server();
    server.addService(streamsGrpc.StreamsService, {
      read: readHandler(ctx),
      append: appendHandler(ctx),
      batchAppend: batchAppendHandler(ctx),
      delete: deleteHandler(ctx),
      tombstone: tombstoneHandler(ctx),
    } as grpc.UntypedServiceImplementation);
    server.addService(serverFeaturesGrpc.ServerFeaturesService, serverFeatures(options.batchAppend ?? true));
    let bound = 0;
    const alone = () => [{ port: bound, role: 'leader' as const, alive: true }];
    server.addService(
      gossipGrpc.GossipService,
      gossipService(options.cluster?.gossip ?? alone, ctx.controls),
    );
    const credentials = options.security
      ? grpc.ServerCredentials.createSsl(null, [
          { cert_chain: testCertificates().cert, private_key: testCertificates().key },
        ])
      : grpc.ServerCredentials.createInsecure();
    bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    const node = new EsdbProtocolDouble(server, bound, ctx, options.security !== undefined);
    if (options.cluster) ctx.membership = options.cluster.membership(node);
    if (options.writesEpoch ?? true) log.startEpoch();
    return node;
  }

  get log(): DoubleLog {
    return this.ctx.log;
  }

  get calls(): Readonly<CallCounts> {
    return this.ctx.controls.calls;
  }

  get controls(): Controls {
    return this.ctx.controls;
  }

  /** This node alone (a cluster is reached through cluster.ts's multi-host string); admin when secure. */
  get connectionString(): string {
    return connectionUri([this.port], this.secure);
  }

  connectionStringAs(user: string, password: string): string {
    return connectionUri([this.port], this.secure, { user, password });
  }

  get liveSubscriptions(): number {
    return this.ctx.live.size;
  }

  /** The next append is committed, then its answer is lost: the client sees UNAVAILABLE. */
  loseNextAppendResponse(): void {
    this.ctx.controls.loseNextAppendResponse = true;
  }

  /** The next append is answered with Timeout once its timeout passes, having been committed or not. */
  timeOutNextAppend(options: { committed: boolean }): void {
    this.ctx.controls.timeOutNextAppend = options;
  }

  /** Every append takes this long to commit (0: at once). */
  set writeLatencyMs(ms: number) {
    this.ctx.controls.writeLatencyMs = ms;
  }

  /** Subscriptions send nothing until released, as on a stalled network: live events pile up. */
  holdSubscriptions(): void {
    if (this.ctx.controls.hold) return;
    this.ctx.controls.hold = new Promise((resolve) => {
      this.releaseHold = resolve;
    });
  }

  releaseSubscriptions(): void {
    this.ctx.controls.hold = null;
    this.releaseHold?.();
    this.releaseHold = null;
  }

  /** Ends every live subscription with this status, as a node that loses its connection does. */
  abortSubscriptions(error: ServiceError = errors.lost()): void {
    for (const sub of [...this.ctx.live]) sub.fail(error);
  }

  /** Ends the subscriptions that required the leader (the others stay: a follower serves them). */
  endLeaderSubscriptions(error: ServiceError): void {
    for (const sub of [...this.ctx.live]) if (sub.requiresLeader) sub.fail(error);
  }

  /** Kills the server and every connection to it, like a node that dies. */
  async stop(): Promise<void> {
    this.releaseSubscriptions();
    for (const sub of [...this.ctx.live]) sub.fail(errors.lost());
    this.server.forceShutdown();
  }
}

/** A connection string for these nodes; a secure one trusts the test CA and logs in (as admin by default). */
export function connectionUri(
  ports: number[],
  secure: boolean,
  login: { user: string; password: string } = { user: 'admin', password: 'changeit' },
): string {
  const hosts = ports.map((port) => `127.0.0.1:${port}`).join(',');
  // Discovery (a cluster only) gives up after 3 rounds 50 ms apart rather than 10 rounds 100 ms apart,
  // so that a test of a cluster that stays down takes seconds, not tens of them.
  const discovery = ports.length > 1 ? '&maxDiscoverAttempts=3&discoveryInterval=50' : '';
  if (!secure) return `esdb://${hosts}?tls=false${discovery}`;
  const credentials = `${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}`;
  return `esdb://${credentials}@${hosts}?tls=true&tlsCAFile=${testCertificates().caFile}${discovery}`;
}

function serverFeatures(batchAppend: boolean): grpc.UntypedServiceImplementation {
  const getSupportedMethods: grpc.handleUnaryCall<unknown, serverFeaturesPb.SupportedMethods> = (
    _call,
    callback,
  ) => {
    const supported = new serverFeaturesPb.SupportedMethods().setEventStoreServerVersion('24.10.0');
    const streams = 'event_store.client.streams.streams';
    const methods = [
      [streams, 'read'],
      [streams, 'append'],
      ...(batchAppend ? [[streams, 'batchappend']] : []),
      [streams, 'delete'],
      [streams, 'tombstone'],
      ['event_store.client.gossip.gossip', 'read'],
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

export { DoubleLog };
