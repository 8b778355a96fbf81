export { checkDiscovery, DISCOVERY_CHECKER, type DiscoveryDetails, type DiscoveryFinding, type NodeTrace } from './check.ts';
export { parseDiscoveryLog, type DiscoveryEvent } from './trace.ts';
