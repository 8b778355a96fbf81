// The network between nodes (and between the harness's clients and nodes).
// A grudge says, for each node, the nodes whose traffic it drops (Jepsen's
// shape); `partition` replaces the current grudge, `heal` clears it.
import type { Layout } from '../cluster/types.ts';

export type NetMode = 'netns' | 'proxy';
export const NET_MODES: readonly NetMode[] = ['netns', 'proxy'];

/** node -> the nodes it receives nothing from. */
export type Grudge = ReadonlyMap<string, ReadonlySet<string>>;

/** One direction of a link's traffic: how it is disturbed. */
export interface FlowFault {
  /** Hold everything (blackhole): nothing is read from the sender, nothing is lost. */
  blocked: boolean;
  delayMs: number;
  /** Delay varies uniformly in [delayMs - jitterMs, delayMs + jitterMs] (never below 0, order kept). */
  jitterMs: number;
  /** 0 = unlimited. */
  bytesPerSecond: number;
  /**
   * On a quorum connection's replies (the leader's stream to a learner): pass the connection's first
   * packet (LEADERINFO), then hold the rest. Ignored on election and client links.
   */
  firstPacketOnly: boolean;
}

export const HEALTHY_FLOW: FlowFault = { blocked: false, delayMs: 0, jitterMs: 0, bytesPerSecond: 0, firstPacketOnly: false };

/** A link fault the nemeses can set (proxy mode). */
export type LinkFault =
  | { kind: 'drop' } // reset every connection, refuse new ones
  | { kind: 'blackhole' } // accept, hold, forward nothing
  | { kind: 'delay'; delayMs: number; jitterMs: number }
  | { kind: 'bandwidth'; bytesPerSecond: number }
  // Discovery cut short: on every quorum connection the leader's LEADERINFO passes (the learner promises the
  // epoch: ACKEPOCH reaches the leader), then the leader's stream is held, so no sync (NEWLEADER) completes.
  | { kind: 'stall-discovery' };

/** A directed link: `from` is a node name or `client` (the harness's clients), `to` a node. */
export interface LinkId {
  from: string;
  to: string;
}

export const CLIENT = 'client';

export interface Net {
  readonly mode: NetMode;
  readonly layout: Layout;
  /** netns mode: nodes must run in this namespace, each as its uid. */
  readonly netnsPath?: string;
  uidOf?(node: string): number;
  partition(grudge: Grudge): Promise<void>;
  heal(): Promise<void>;
  /** The grudge in force (empty when healed). */
  currentGrudge(): Grudge;
  /** Sets (or clears, with null) a link fault on every link `select` accepts. UNSUPPORTED in netns mode. */
  setLinkFault(fault: LinkFault | null, select: (link: LinkId) => boolean): Promise<void>;
  teardown(): Promise<void>;
}
