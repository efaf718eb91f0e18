import type grpc from '@grpc/grpc-js';
import type { AccessControl } from './access.ts';
import type { DoubleLog } from './log.ts';
import { errors, type ServiceError } from './messages.ts';
import type { DoubleSubscription } from './subscription.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// What the Streams handlers of one node share: the log, the node's settings and fault controls, and
// where the node stands in its cluster. Leadership follows EventStoreDB's ClusterVNodeController: on a
// node that is not the leader, a request sent with `requires-leader: true` is refused with NotLeader and
// the leader's address (the client reconnects there); without it, a read is served by the node itself
// and a write is forwarded to the leader. While there is no leader (an election), a request that needs
// one is refused as "Server Is Not Ready" (UNAVAILABLE).

export interface NodeSettings {
  maxAppendSize: number;
  /** EventStoreDB's WriteTimeoutMs: an append not committed by then is answered with Timeout. */
  writeTimeoutMs: number;
  liveBufferSize: number;
}

/** How many calls of each kind the node has served: tests check which path the client took. */
export interface CallCounts {
  read: number;
  subscribe: number;
  append: number;
  batchAppend: number;
  delete: number;
  gossip: number;
}

export interface Controls {
  calls: CallCounts;
  /** Commit the next append, then answer it with UNAVAILABLE, as when a connection drops mid-call. */
  loseNextAppendResponse: boolean;
  /** Answer the next append with Timeout once its timeout passes, having committed it or not. */
  timeOutNextAppend: { committed: boolean } | null;
  /** Milliseconds every append takes to commit (a slow disk or a slow quorum). */
  writeLatencyMs: number;
  /** While set, subscriptions send nothing (a stalled network); resolves on release. */
  hold: Promise<void> | null;
}

export type NodeRole = 'leader' | 'follower' | 'electing';

export interface Membership {
  role(): NodeRole;
  leaderEndpoint(): { host: string; port: number } | null;
  /** Called at the start of every Streams request the node serves. */
  served(): void;
}

export interface NodeContext {
  log: DoubleLog;
  settings: NodeSettings;
  controls: Controls;
  access: AccessControl | null;
  membership: Membership;
  live: Set<DoubleSubscription>;
}

/** The refusal of a request this node cannot serve as things stand, or null to go ahead. */
export function leadership(
  ctx: NodeContext,
  metadata: grpc.Metadata,
  kind: 'read' | 'write',
): ServiceError | null {
  const role = ctx.membership.role();
  if (role === 'leader') return null;
  const requiresLeader = metadata.get('requires-leader')[0] === 'true';
  const leader = ctx.membership.leaderEndpoint();
  if (!leader) return requiresLeader || kind === 'write' ? errors.notReady() : null;
  if (requiresLeader) return errors.notLeader(leader.host, leader.port);
  return null;
}

export function newControls(): Controls {
  return {
    calls: { read: 0, subscribe: 0, append: 0, batchAppend: 0, delete: 0, gossip: 0 },
    loseNextAppendResponse: false,
    timeOutNextAppend: null,
    writeLatencyMs: 0,
    hold: null,
  };
}
