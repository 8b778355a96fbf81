import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../wire/framing.ts';
import { frameAll } from './client-listener.ts';

describe('frameAll', () => {
  it('frames every reply (int32 length + body) back to back, in order, in one buffer', () => {
    const bodies = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(9)];
    const out = frameAll(bodies);
    expect(out.byteLength).toBe(3 * 4 + 4);
    const d = new FrameDecoder();
    d.push(out);
    const frames = [d.next(), d.next(), d.next(), d.next()];
    expect(frames.map((f) => (f === undefined ? undefined : [...f]))).toEqual([[1, 2, 3], [], [9], undefined]);
  });
});
