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

  it('reads the same settings from zoo.cfg keys, as ZooKeeper turns unknown keys into zookeeper.* properties', () => {
    const config = parseZooCfg('tickTime=2000\ndataDir=/tmp/zk\ncommitLogCount=40\nsnapshotSizeFactor=100000\n', 'zoo.cfg');
    expect(config.commitLogCount).toBe(40);
    expect(config.snapshotSizeFactor).toBe(100000);
    expect(config.warnings).toEqual([]);
    expect(() => parseZooCfg('tickTime=2000\ndataDir=/tmp/zk\nsnapshotSizeFactor=x\n', 'zoo.cfg')).toThrow(/must be a number/);
  });
});
