import { describe, expect, it } from 'vitest';
import { applySystemProperties, parseJvmFlags } from '../io/system-properties.ts';
import { parseZooCfg } from './zoo-cfg.ts';

const BASE = 'tickTime=2000\ndataDir=/tmp/zk\nclientPort=2181\n';

describe('globalOutstandingLimit (ZooKeeper: zoo.cfg key or -Dzookeeper.globalOutstandingLimit)', () => {
  it('defaults to 1000', () => {
    expect(parseZooCfg(BASE, 'zoo.cfg').globalOutstandingLimit).toBe(1000);
  });

  it('is read from zoo.cfg, under its own name or the system property name', () => {
    expect(parseZooCfg(`${BASE}globalOutstandingLimit=10\n`, 'zoo.cfg').globalOutstandingLimit).toBe(10);
    expect(parseZooCfg(`${BASE}zookeeper.globalOutstandingLimit=20\n`, 'zoo.cfg').globalOutstandingLimit).toBe(20);
  });

  it('a value that is not an integer is a configuration error naming the key', () => {
    expect(() => parseZooCfg(`${BASE}globalOutstandingLimit=lots\n`, 'zoo.cfg')).toThrow(/globalOutstandingLimit/);
  });

  it('-Dzookeeper.globalOutstandingLimit in SERVER_JVMFLAGS overrides it', () => {
    const config = parseZooCfg(`${BASE}globalOutstandingLimit=10\n`, 'zoo.cfg');
    const props = parseJvmFlags('-Xmx1g -Dzookeeper.globalOutstandingLimit=30');
    expect(applySystemProperties(config, props).globalOutstandingLimit).toBe(30);
  });

  it('maxClientCnxns and jute.maxbuffer keep their ZooKeeper defaults (60, 0xfffff)', () => {
    const config = parseZooCfg(BASE, 'zoo.cfg');
    expect(config.maxClientCnxns).toBe(60);
    expect(config.juteMaxBufferBytes).toBe(0xfffff);
  });
});
