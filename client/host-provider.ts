// StaticHostProvider: the endpoints in an order shuffled once with the
// injected Rng, handed out round-robin. `cycleCompleted` tells the caller it
// has tried every endpoint since the last successful connection, so it can
// back off before the next round.
import type { Endpoint, Rng } from './types.ts';

export class HostProvider {
  private readonly endpoints: readonly Endpoint[];
  private index = -1;
  private attemptsSinceConnected = 0;

  constructor(endpoints: readonly Endpoint[], rng: Rng) {
    if (endpoints.length === 0) throw new Error('HostProvider needs at least one endpoint');
    this.endpoints = shuffle(endpoints, rng);
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** The order endpoints are tried in (for tests and logs). */
  get order(): readonly Endpoint[] {
    return this.endpoints;
  }

  next(): Endpoint {
    this.index = (this.index + 1) % this.endpoints.length;
    this.attemptsSinceConnected++;
    return this.endpoints[this.index]!;
  }

  /** True when every endpoint has been tried since the last onConnected(). */
  get cycleCompleted(): boolean {
    return this.attemptsSinceConnected >= this.endpoints.length;
  }

  onConnected(): void {
    this.attemptsSinceConnected = 0;
  }
}

/** Fisher-Yates with the injected Rng; the input is not modified. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
