import { createHash } from 'node:crypto';
import gossipPb from '@eventstore/db-client/generated/gossip_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type grpc from '@grpc/grpc-js';
import type { Controls, NodeRole } from './node-context.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Gossip.Read, which the client asks any node it is given (a multi-host connection string) to find the
// cluster's members and connect to the one its node preference wants (the leader by default). Members
// are listed with their state (Leader, Follower, or Unknown during an election), whether they are
// alive, and the address clients reach them at. Gossip is served without credentials, as the client
// asks for it without any.

export interface MemberView {
  port: number;
  role: NodeRole;
  alive: boolean;
}

const State = gossipPb.MemberInfo.VNodeState;

export function gossipService(
  members: () => MemberView[],
  controls: Controls,
): grpc.UntypedServiceImplementation {
  const read: grpc.handleUnaryCall<sharedPb.Empty, gossipPb.ClusterInfo> = (_call, callback) => {
    controls.calls.gossip++;
    const info = new gossipPb.ClusterInfo();
    for (const member of members()) {
      info.addMembers(
        new gossipPb.MemberInfo()
          .setInstanceId(new sharedPb.UUID().setString(instanceId(member.port)))
          .setTimeStamp(String(Date.now() * 10_000))
          .setState(
            member.role === 'leader'
              ? State.LEADER
              : member.role === 'follower'
                ? State.FOLLOWER
                : State.UNKNOWN,
          )
          .setIsAlive(member.alive)
          .setHttpEndPoint(new gossipPb.EndPoint().setAddress('127.0.0.1').setPort(member.port)),
      );
    }
    callback(null, info);
  };
  return { read };
}

/** A stable id per node (its port), in a UUID's shape. */
function instanceId(port: number): string {
  const h = createHash('sha256').update(String(port)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
