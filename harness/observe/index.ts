// The cluster observer: a state timeline (modes, epochs) and the sync /
// election / snapshot / fatal facts of every node's log, on the history clock.
export * from './types.ts';
export { NodeLogParser, parseLogText } from './log-parser.ts';
export { StateTracker, stateOf, type NodeSample, type NodeState } from './state.ts';
export { summarizeClusterState, leaderTerms, type ClusterStateSummary, type LeaderTerm, type NodeSummary, type SyncCounts } from './summary.ts';
export { startClusterObserver, clusterObserverOptions, CLUSTER_STATE_FILE, type ClusterObserver, type ClusterObserverOptions } from './observer.ts';
export { readClusterState } from './read.ts';
