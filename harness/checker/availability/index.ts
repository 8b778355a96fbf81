export { checkAvailability, availabilityChecker, AVAILABILITY_CHECKER } from './check.ts';
export { unavailabilityWindows } from './windows.ts';
export { finalHeal, isHealF, timedOps, type TimedOp } from './ops.ts';
export * from './types.ts';
