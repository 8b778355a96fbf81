// harness/history: op records, JSONL store and validation, Jepsen EDN import/export.
export * from './types.ts';
export * from './errors.ts';
export * from './schema.ts';
export * from './ops.ts';
export * from './jsonl.ts';
export * from './edn.ts';
export { readEdnForms, Keyword } from './edn-reader.ts';
export * from './bytes.ts';
export * from './limits.ts';
export * from './jepsen-log.ts';
export * from './porcupine-json.ts';
