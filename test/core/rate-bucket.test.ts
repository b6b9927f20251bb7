import { describe, expect, it } from 'vitest';
import { RateBucket } from '../../src/core/connectors/rate-bucket.js';

describe('the leaky bucket a CRM is paced by', () => {
  it('lets a burst go at once, then one request per drained unit (2/s: every 500 ms)', () => {
    const bucket = new RateBucket(2, 10);
    const times = Array.from({ length: 13 }, () => bucket.book(0));
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(times.slice(10)).toEqual([500, 1000, 1500]);
  });

  it('drains while idle: after 5 s of quiet a new burst of 10 goes at once', () => {
    const bucket = new RateBucket(2, 10);
    for (let i = 0; i < 10; i += 1) bucket.book(0);
    expect(Array.from({ length: 10 }, () => bucket.book(5_000))).toEqual(Array(10).fill(5_000));
    expect(bucket.book(5_000)).toBe(5_500);
  });

  it('after the CRM said "too many", nothing goes before the pause ends, and the bucket counts as full', () => {
    const bucket = new RateBucket(2, 10);
    bucket.book(0);
    bucket.closeUntil(2_000);
    expect(bucket.closedUntilMs()).toBe(2_000);
    expect(bucket.book(100)).toBe(2_500);
    expect(bucket.book(100)).toBe(3_000);
  });
});
