import { setTimeout as sleep } from 'node:timers/promises';
import type { MemberView } from './gossip.ts';
import { DoubleLog } from './log.ts';
import { errors } from './messages.ts';
import type { CallCounts, Membership, NodeRole } from './node-context.ts';
import { connectionUri, EsdbProtocolDouble, type ProtocolDoubleOptions } from './server.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// A cluster: two or more nodes (server.ts) sharing one log, reached through a multi-host connection
// string like docker-compose.yml's. The client asks a node for gossip, connects to the leader, and
// follows NotLeader answers to wherever the leader went. Replication is instant (every node sees the
// whole log), so what differs between nodes is only who leads. Controls:
// - moveLeader(): another node leads from now on (optionally after an election during which no node
//   leads); the old leader's subscriptions that required the leader end with NotLeader, and the new
//   leader writes an $epoch-information record, as an elected EventStoreDB leader does;
// - moveLeaderEvery(n): the leader moves as the n-th, 2n-th ... request reaches any node, so a whole
//   test suite runs through leader changes at points that do not depend on timing;
// - failover(): the leader dies (its connections drop) and another node is elected; atRequest(n, ...)
//   does something (a failover, say) as the n-th request from now arrives;
// - stopNode(i) / startNode(i): a node dies, and comes back on the same port.

export interface ClusterDoubleOptions
  extends Omit<ProtocolDoubleOptions, 'port' | 'log' | 'cluster' | 'writesEpoch'> {
  /** How many nodes (3 by default, as in docker-compose.yml). */
  nodes?: number;
}

export class EsdbClusterDouble {
  readonly log = new DoubleLog();
  private readonly nodes: (EsdbProtocolDouble | null)[] = [];
  private readonly ports: number[] = [];
  private leaderIndex: number | null = 0;
  private moveEvery: number | null = null;
  private served = 0;
  private total = 0;
  private readonly triggers: { at: number; action: () => unknown }[] = [];
  private readonly retired: CallCounts[] = [];

  private constructor(private readonly options: ClusterDoubleOptions) {}

  static async start(options: ClusterDoubleOptions = {}): Promise<EsdbClusterDouble> {
    const cluster = new EsdbClusterDouble(options);
    const size = options.nodes ?? 3;
    if (size < 2) throw new Error('a cluster double needs at least two nodes');
    for (let i = 0; i < size; i++) {
      const node = await cluster.launch(i, 0);
      cluster.nodes.push(node);
      cluster.ports.push(node.port);
    }
    cluster.log.startEpoch();
    return cluster;
  }

  private launch(index: number, port: number): Promise<EsdbProtocolDouble> {
    return EsdbProtocolDouble.start({
      ...this.options,
      port,
      log: this.log,
      writesEpoch: false,
      cluster: { membership: () => this.membership(index), gossip: () => this.gossip() },
    });
  }

  private membership(index: number): Membership {
    return {
      role: () => this.roleOf(index),
      leaderEndpoint: () =>
        this.leaderIndex === null ? null : { host: '127.0.0.1', port: this.ports[this.leaderIndex]! },
      served: () => {
        this.served++;
        this.total++;
        if (this.moveEvery !== null && this.served % this.moveEvery === 0) this.elect(this.nextAlive());
        for (const trigger of this.triggers.filter((t) => t.at === this.total)) trigger.action();
      },
    };
  }

  private roleOf(index: number): NodeRole {
    if (this.leaderIndex === null) return 'electing';
    return this.leaderIndex === index ? 'leader' : 'follower';
  }

  private gossip(): MemberView[] {
    return this.ports.map((port, i) => ({ port, role: this.roleOf(i), alive: this.nodes[i] !== null }));
  }

  /** Every node, host:port, with the credentials and TLS settings of a secure cluster. */
  get connectionString(): string {
    return connectionUri(this.ports, this.options.security !== undefined);
  }

  connectionStringAs(user: string, password: string): string {
    return connectionUri(this.ports, this.options.security !== undefined, { user, password });
  }

  get leader(): EsdbProtocolDouble {
    if (this.leaderIndex === null) throw new Error('no node leads: an election is under way');
    return this.nodes[this.leaderIndex]!;
  }

  get leaderNumber(): number | null {
    return this.leaderIndex;
  }

  node(index: number): EsdbProtocolDouble | null {
    return this.nodes[index] ?? null;
  }

  /** Calls served by every node, including nodes since stopped. */
  get calls(): CallCounts {
    const total: CallCounts = { read: 0, subscribe: 0, append: 0, batchAppend: 0, delete: 0, gossip: 0 };
    for (const counts of [...this.retired, ...this.nodes.flatMap((n) => (n ? [n.calls] : []))])
      for (const key of Object.keys(total) as (keyof CallCounts)[]) total[key] += counts[key];
    return total;
  }

  /** Another node leads (the next one alive by default), after an election of `electionMs`. */
  async moveLeader(to = this.nextAlive(), options: { electionMs?: number } = {}): Promise<void> {
    if (options.electionMs) {
      this.elect(null);
      await sleep(options.electionMs);
    }
    this.elect(to);
  }

  /** The leader moves as every n-th request reaches the cluster (null: it stays). */
  moveLeaderEvery(requests: number | null): void {
    this.moveEvery = requests;
    this.served = 0;
  }

  /** Runs an action (e.g. a failover) as the n-th request from now reaches any node. */
  atRequest(n: number, action: () => unknown): void {
    this.triggers.push({ at: this.total + n, action });
  }

  /** The leader dies and, after an election, another node leads. */
  async failover(options: { electionMs?: number } = {}): Promise<void> {
    const old = this.leaderIndex;
    if (old === null) throw new Error('no node leads');
    const next = this.nextAlive();
    this.elect(null);
    await this.stopNode(old);
    if (options.electionMs) await sleep(options.electionMs);
    this.elect(next);
  }

  async stopNode(index: number): Promise<void> {
    const node = this.nodes[index];
    if (!node) return;
    this.retired.push({ ...node.calls });
    this.nodes[index] = null;
    if (this.leaderIndex === index) this.leaderIndex = null;
    await node.stop();
  }

  async startNode(index: number): Promise<void> {
    if (this.nodes[index]) return;
    this.nodes[index] = await this.launch(index, this.ports[index]!);
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.nodes.length; i++) await this.stopNode(i);
  }

  private nextAlive(): number {
    const from = this.leaderIndex ?? 0;
    for (let step = 1; step <= this.ports.length; step++) {
      const i = (from + step) % this.ports.length;
      if (this.nodes[i]) return i;
    }
    throw new Error('no node is alive');
  }

  private elect(index: number | null): void {
    const old = this.leaderIndex;
    if (old === index) return;
    this.leaderIndex = index;
    const oldNode = old === null ? null : this.nodes[old];
    if (oldNode)
      oldNode.endLeaderSubscriptions(
        index === null ? errors.notReady() : errors.notLeader('127.0.0.1', this.ports[index]!),
      );
    if (index !== null) this.log.startEpoch();
  }
}
