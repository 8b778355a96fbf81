// Distributed FIFO queue (ZooKeeper's queue recipe): each item is a
// persistent-sequential child `…qn-NNNNNNNNNN` of the queue path; consumers
// take the lowest. A take is one atomic multi: delete the item and create an
// ephemeral receipt `receipt-<token>` naming it, so a consumer whose reply was
// lost can tell afterwards whether the item is its own.
//
// Guarantees:
// - An acknowledged offer is in the queue exactly once: a create whose reply
//   was lost is found again by its protected name; if it is not there it may
//   already have been taken, so the offer rejects INDEFINITE rather than
//   enqueue it a second time.
// - Each item is taken by at most one consumer (the delete in the multi
//   succeeds once), and a take that resolved gave its consumer the item.
// - A take whose outcome was unknown (connection lost mid-multi) is resolved
//   by the receipt: the item is returned, or known not taken and tried again.
// - FIFO by sequence number among items visible to one consumer's read.
//
// Does NOT guarantee:
// - Anything for a take whose session expires before it could read its
//   receipt: it rejects INDEFINITE and the item may be gone (taken but not
//   delivered). Offers that reject with an indefinite error may or may not be
//   in the queue.
// - Strict global FIFO between concurrent consumers (each takes the lowest
//   it saw; a later consumer may finish first).
import { Code } from '../../server/wire/index.ts';
import { isZooKeeperError, type ZooKeeperClient } from '../index.ts';
import type { Watcher } from '../watch-registry.ts';
import { RecipeError } from './errors.ts';
import { labelOf, protectedPrefix, sortBySequence } from './sequence.ts';
import {
  MAX_RETRIES, clockOf, createProtected, deadlineOf, deleteIfExists, ensurePath, hasCode, joinPath, retrying, sessionIsOver,
  translate, wakeOn, type RecipeOptions,
} from './support.ts';

const RECIPE = 'DistributedQueue';
const ITEM_LABEL = 'qn-';
const RECEIPT = 'receipt-';

export interface QueueItem {
  /** The item's node name (unique for the queue's lifetime). */
  name: string;
  data: Uint8Array;
}

type TakeOutcome = { taken: QueueItem } | { gone: true };

/** Receipt names are unique per session and process (several queues may share a client). */
let receiptCounter = 0;

export class DistributedQueue {
  constructor(private readonly zk: ZooKeeperClient, readonly queuePath: string,
    private readonly opts: RecipeOptions = {}) {}

  /** Appends an item; resolves with its node name once it is certainly in the queue (exactly once). */
  async offer(data: Uint8Array | string): Promise<string> {
    await ensurePath(this.zk, RECIPE, this.queuePath);
    const prefix = protectedPrefix(this.zk.info.sessionId, ITEM_LABEL);
    return createProtected(this.zk, RECIPE, this.queuePath, prefix, 'PERSISTENT_SEQUENTIAL', data, { mayBeConsumed: true });
  }

  /** The item names in queue order. */
  async items(watch?: Watcher): Promise<string[]> {
    const { zk } = this;
    const { children } = await retrying(zk, RECIPE, () => zk.getChildren(this.queuePath, watch ? { watch } : {}));
    return sortBySequence(children.filter((c) => labelOf(c).startsWith(ITEM_LABEL)));
  }

  /** Takes the head item, or resolves null when the queue is empty. */
  async poll(): Promise<QueueItem | null> {
    await ensurePath(this.zk, RECIPE, this.queuePath);
    for (const name of await this.items()) {
      const outcome = await this.take(name);
      if ('taken' in outcome) return outcome.taken;
    }
    return null;
  }

  /** Takes the head item, waiting for one; rejects TIMEOUT after `timeoutMs`. */
  async takeHead(timeoutMs?: number): Promise<QueueItem> {
    const clock = clockOf(this.opts);
    const deadlineMs = deadlineOf(clock, timeoutMs);
    await ensurePath(this.zk, RECIPE, this.queuePath);
    for (;;) {
      const item = await this.poll();
      if (item !== null) return item;
      const wake = wakeOn(this.zk, clock, deadlineMs);
      if ((await this.items(wake.watcher)).length > 0) wake.cancel();
      const reason = await wake.woken;
      if (reason === 'timeout') throw new RecipeError('TIMEOUT', RECIPE, `no item in ${this.queuePath}`);
      if (reason === 'session') throw translate(this.zk, RECIPE, new Error('session ended while waiting'));
    }
  }

  /** Reads `name` and takes it atomically with a receipt; `gone` if another consumer was first. */
  private async take(name: string): Promise<TakeOutcome> {
    const { zk } = this;
    const itemPath = joinPath(this.queuePath, name);
    let data: Uint8Array;
    try {
      data = (await retrying(zk, RECIPE, () => zk.getData(itemPath))).data ?? new Uint8Array(0);
    } catch (e) {
      if (hasCode(e, Code.NONODE)) return { gone: true };
      throw e;
    }
    receiptCounter += 1;
    const receiptPath = joinPath(this.queuePath, `${RECEIPT}${zk.info.sessionId.toString(16)}-${receiptCounter}`);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      try {
        await zk.multi([
          { op: 'delete', path: itemPath },
          { op: 'create', path: receiptPath, data: name, mode: 'EPHEMERAL' },
        ]);
      } catch (e) {
        if (hasCode(e, Code.NONODE)) return { gone: true };
        if (sessionIsOver(zk) || !isZooKeeperError(e) || !isConnectionTrouble(e.code)) throw translate(zk, RECIPE, e);
        if (e.definite || !(await this.receiptExists(receiptPath, name))) continue;
      }
      await deleteIfExists(zk, RECIPE, receiptPath).catch(() => {});
      return { taken: { name, data } };
    }
    throw new RecipeError('INDEFINITE', RECIPE, `take of ${name} kept failing after ${MAX_RETRIES} attempts`);
  }

  /** After an indefinite multi: did it happen? (sync first, so the read is not older than the multi) */
  private async receiptExists(receiptPath: string, name: string): Promise<boolean> {
    const { zk } = this;
    try {
      await retrying(zk, RECIPE, () => zk.sync(this.queuePath));
      const { stat } = await retrying(zk, RECIPE, () => zk.exists(receiptPath));
      return stat !== null;
    } catch (e) {
      if (sessionIsOver(zk)) {
        throw new RecipeError('INDEFINITE', RECIPE, `take of ${name}: session ended before its receipt was read`);
      }
      throw e;
    }
  }
}

function isConnectionTrouble(code: number): boolean {
  return code === Code.CONNECTIONLOSS || code === Code.REQUESTTIMEOUT || code === Code.OPERATIONTIMEOUT;
}
