// server/wire: ZooKeeper's jute codec, framing, opcodes and error codes. Pure.
export * from './jute.ts';
export * from './codec.ts';
export * as records from './records.ts';
export * from './opcodes.ts';
export * from './errors.ts';
export * from './framing.ts';
export * from './connect.ts';
export * from './requests.ts';
export * from './responses.ts';
