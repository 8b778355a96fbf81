import { describe, expect, it } from 'vitest';
import { parseJavaHeapInfo, parseProcStatus } from './memory.ts';

// `jcmd <pid> GC.heap_info` of a Debian ZooKeeper 3.8 JVM (-XX:+UseSerialGC), as printed on this machine.
const HEAP_INFO = `4280:
 def new generation   total 78656K, used 32268K [0x00000000f0000000, 0x00000000f5550000, 0x00000000f5550000)
  eden space 69952K,  46% used [0x00000000f0000000, 0x00000000f1f831b0, 0x00000000f4450000)
  from space 8704K,   0% used [0x00000000f4450000, 0x00000000f4450000, 0x00000000f4cd0000)
  to   space 8704K,   0% used [0x00000000f4cd0000, 0x00000000f4cd0000, 0x00000000f5550000)
 tenured generation   total 174784K, used 1200K [0x00000000f5550000, 0x0000000100000000, 0x0000000100000000)
   the space 174784K,   0% used [0x00000000f5550000, 0x00000000f5550000, 0x00000000f5550200, 0x0000000100000000)
 Metaspace       used 5611K, committed 5760K, reserved 1114112K
  class space    used 701K, committed 768K, reserved 1048576K
`;

describe('memory figures', () => {
  it('VmRSS and VmHWM from /proc/<pid>/status, in bytes', () => {
    const text = 'Name:\tjava\nVmPeak:\t 3000000 kB\nVmHWM:\t   58408 kB\nVmRSS:\t   51200 kB\nThreads:\t30\n';
    expect(parseProcStatus(text)).toEqual({ rssBytes: 51200 * 1024, peakRssBytes: 58408 * 1024 });
    expect(() => parseProcStatus('Name:\tx\n')).toThrow(/VmRSS/);
  });

  it("the JVM's used heap is the sum of its generations' used (Metaspace is not heap)", () => {
    expect(parseJavaHeapInfo(HEAP_INFO)).toBe((32268 + 1200) * 1024);
    expect(() => parseJavaHeapInfo('4280:\nGC.heap_info: no such command\n')).toThrow(/no heap usage/);
  });
});
