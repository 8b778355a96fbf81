// harness/generator: pure op generators and the interpreter that runs them.
export * from './types.ts';
export * from './rng.ts';
export * from './core.ts';
export * from './time.ts';
export * from './compose.ts';
export * from './faults.ts';
export * from './schedule.ts';
export * from './interpreter.ts';
export * from './packages.ts';
export * from './package-schedule.ts';
