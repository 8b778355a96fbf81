import { describe, expect, it } from 'vitest';
import { purposeResult, type EventCounts } from './purpose.ts';

const none: EventCounts = { TRUNC: 0, DIFF: 0, SNAP: 0, election: 0, snapshot: 0, 'session-expiry': 0 };

describe('purpose', () => {
  it('is silent for a scenario that requires nothing', () => {
    expect(purposeResult([], none)).toBeUndefined();
  });
  it('is unknown, naming the missing event, when a required event did not happen', () => {
    const r = purposeResult(['TRUNC', 'election'], { ...none, election: 3 })!;
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('no TRUNC happened');
  });
  it('is valid when every required event happened', () => {
    expect(purposeResult(['TRUNC'], { ...none, TRUNC: 1 })!.verdict).toBe('valid');
  });
});
