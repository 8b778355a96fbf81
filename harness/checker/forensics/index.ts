// Log forensics: Zab's invariants from every node's on-disk state.
export * from './types.ts';
export { checkForensicsInput, FORENSICS_CHECKER } from './check.ts';
export { ackedWrites, WRITE_FS } from './acked-writes.ts';
