// harness/checker: the judge of every run. Pure: histories in, verdicts out.
export * from './types.ts';
export * from './compose.ts';
export { checkLinearizable } from './linear/check.ts';
export { bruteForceLinearizable } from './linear/bruteforce.ts';
export { models, modelNamed, type Model } from './models/index.ts';
export { checkersNamed, checkerNames, linearizabilityChecker } from './registry.ts';
export { checkSequential } from './zk/sequential.ts';
