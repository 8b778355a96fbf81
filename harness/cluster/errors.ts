// Typed errors of the harness infrastructure (cluster, net, nemesis), each with
// a stable code that callers and reports can switch on.

export type InfraErrorCode =
  | 'BAD_ARGUMENT' // a caller passed something impossible (unknown node, empty grudge target)
  | 'UNAVAILABLE' // a system dependency is missing (root, iptables, faketime, docker)
  | 'START_FAILED' // a node did not become ready
  | 'COMMAND_FAILED' // an external command (ip, iptables, docker) exited non-zero
  | 'NOT_RUNNING' // an action needs a running node
  | 'UNSUPPORTED'; // this fault is not possible for this target / runtime / net mode

export class InfraError extends Error {
  constructor(readonly code: InfraErrorCode, message: string) {
    super(message);
    this.name = 'InfraError';
  }
}

export function assertInfra(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InfraError('BAD_ARGUMENT', message);
}
