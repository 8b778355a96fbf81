import { describe, expect, it } from 'vitest';
import { apacheTrace, zooproofTrace } from './failover-trace.ts';

describe('failover traces', () => {
  it('zooproof: lines inside the window, in ms since the kill, noise dropped', () => {
    const killedAtMs = Date.parse('2026-11-22T06:00:00.000Z');
    const log = [
      '2026-11-22T05:59:59.000Z old line',
      '2026-11-22T06:00:00.010Z LOOKING: leader connection lost',
      '2026-11-22T06:00:00.012Z connection 127.0.0.1:1 (0x1): ZooKeeperServer not running',
      '2026-11-22T06:00:00.215Z election round 4 decided: LEADING leader 2',
      '2026-11-22T06:00:05.000Z much later',
    ].join('\n');
    expect(zooproofTrace(log, { killedAtMs, durationMs: 300 })).toEqual([
      '    10 ms  LOOKING: leader connection lost',
      '   215 ms  election round 4 decided: LEADING leader 2',
    ]);
  });

  it('apache: relative to the first sight of the leader death, thread names dropped', () => {
    const log = [
      '9000 [main] INFO x - before',
      '9100 [QuorumPeer[myid=2](plain=127.0.0.1:1)(secure=disabled)] WARN org.apache.zookeeper.server.quorum.Learner - Exception when following the leader',
      '9111 [QuorumPeer[myid=2]] INFO org.apache.zookeeper.server.quorum.QuorumPeer - LOOKING',
      '9112 [NIOWorkerThread-1] WARN org.apache.zookeeper.server.NIOServerCnxn - Close of session 0x0',
      '9319 [QuorumPeer[myid=2]] INFO org.apache.zookeeper.server.quorum.QuorumPeer - LEADING',
      '    at some.Frame(Frame.java:1)',
      '9900 [QuorumPeer[myid=2]] INFO later',
    ].join('\n');
    expect(apacheTrace(log, { killedAtMs: 0, durationMs: 300 })).toEqual([
      '     0 ms  WARN Learner - Exception when following the leader',
      '    11 ms  INFO QuorumPeer - LOOKING',
      '   219 ms  INFO QuorumPeer - LEADING',
    ]);
    expect(apacheTrace('1 [main] INFO nothing died', { killedAtMs: 0, durationMs: 300 })).toEqual([]);
  });
});
