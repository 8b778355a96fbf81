// Recipes on the project's client: locks, leader latch, barrier, queue,
// caches, service registry. Each module's header says what it guarantees and
// what it does not.
export { ExclusiveLock } from './lock.ts';
export { ReadWriteLock } from './rw-lock.ts';
export { LockHandle, type AcquireOptions, type LockHandleOptions } from './lock-engine.ts';
export { LeaderLatch } from './leader-latch.ts';
export { DoubleBarrier } from './double-barrier.ts';
export { DistributedQueue, type QueueItem } from './queue.ts';
export { NodeCache, type NodeSnapshot } from './node-cache.ts';
export { TreeCache, type TreeChange } from './tree-cache.ts';
export { ServiceRegistry, type ServiceInstance } from './service-registry.ts';
export { HoldTracker, type HoldState } from './hold.ts';
export { RecipeError, isRecipeError, type RecipeErrorCode } from './errors.ts';
export type { RecipeOptions } from './support.ts';
