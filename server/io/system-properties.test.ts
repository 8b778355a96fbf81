import { describe, expect, it } from 'vitest';
import { parseZooCfg } from '../config/zoo-cfg.ts';
import { applySystemProperties, parseJvmFlags } from './system-properties.ts';

const base = parseZooCfg('tickTime=2000\ndataDir=/tmp/zk\nclientPort=2181\n', 'zoo.cfg');

describe('system properties for the learner sync', () => {
  it('reads zookeeper.commitLogCount and zookeeper.snapshotSizeFactor (negative allowed)', () => {
    const props = parseJvmFlags('-Xmx1g -Dzookeeper.commitLogCount=50 -Dzookeeper.snapshotSizeFactor=-1');
    const config = applySystemProperties(base, props);
    expect(config.commitLogCount).toBe(50);
    expect(config.snapshotSizeFactor).toBe(-1);
    expect(applySystemProperties(base, parseJvmFlags('-Dzookeeper.snapshotSizeFactor=0.5')).snapshotSizeFactor).toBe(0.5);
  });

  it('leaves them unset (driver defaults 500 and 0.33) without the flags, and rejects non-numbers', () => {
    expect(base.commitLogCount).toBeUndefined();
    expect(base.snapshotSizeFactor).toBeUndefined();
    expect(() => applySystemProperties(base, parseJvmFlags('-Dzookeeper.snapshotSizeFactor=abc'))).toThrow(/not a number/);
    expect(() => applySystemProperties(base, parseJvmFlags('-Dzookeeper.commitLogCount=1.5'))).toThrow(/not an integer/);
  });
});
