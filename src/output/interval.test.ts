import { formatInterval, MAX_BUCKETS, parseInterval, planBuckets } from './interval';
import { OutputError } from './values';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.UTC(2024, 0, 1);

describe('parseInterval', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30 * S],
    ['5m', 5 * M],
    ['1h', H],
    ['1d', D],
    ['1w', 7 * D],
    [' 15m ', 15 * M],
    ['1.5h', 90 * M],
    ['2 h', 2 * H],
  ])('%j is %d ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['', '5', 'abc', '5x', '-1m', '1h30m', '0s', '0.1ms', '5M', '1y', 'm5'])(
    'refuses %j with an OutputError',
    (text) => {
      expect(() => parseInterval(text)).toThrow(OutputError);
    }
  );

  it('says what to write', () => {
    expect(() => parseInterval('5 minutes')).toThrow(/Invalid interval "5 minutes".*e\.g\. 500ms, 30s, 5m, 1h or 1d/);
    expect(() => parseInterval('1M')).toThrow(/months and years have no fixed length/);
  });
});

describe('formatInterval', () => {
  it('writes the largest whole unit', () => {
    expect([500, 30 * S, 90 * S, 5 * M, H, 36 * H, 7 * D].map(formatInterval)).toEqual([
      '500ms',
      '30s',
      '90s',
      '5m',
      '1h',
      '36h',
      '7d',
    ]);
  });
});

describe('planBuckets', () => {
  it('uses a fixed interval, buckets aligned to its multiples, covering the range', () => {
    const b = planBuckets({ from: T0 + 17 * S, to: T0 + 3 * M + 5 * S }, undefined, M);
    expect(b).toEqual({ interval: M, start: T0, count: 4, raisedFrom: undefined });
  });

  it('includes the bucket that holds `to`', () => {
    expect(planBuckets({ from: T0, to: T0 + 5 * M - 1 }, undefined, M).count).toBe(5);
    expect(planBuckets({ from: T0, to: T0 + 5 * M }, undefined, M).count).toBe(6);
  });

  it('raises the panel interval to the next nice one', () => {
    const b = planBuckets({ from: T0, to: T0 + H - 1, intervalMs: 20 * S, maxDataPoints: 1000 }, undefined);
    expect(b.interval).toBe(30 * S);
    expect(b.count).toBe(120);
    expect(planBuckets({ from: T0, to: T0 + H, intervalMs: 200 }, undefined).interval).toBe(5 * S);
    expect(planBuckets({ from: T0, to: T0 + 10 * S - 1, intervalMs: 7 }, undefined).interval).toBe(10);
  });

  it('raises the interval so that the buckets stay within maxDataPoints', () => {
    const b = planBuckets({ from: T0, to: T0 + H - 1, intervalMs: S, maxDataPoints: 100 }, undefined);
    expect(b.interval).toBe(M);
    expect(b.count).toBe(60);
    // Without maxDataPoints: 1,000.
    const d = planBuckets({ from: T0, to: T0 + 7 * D, intervalMs: S }, undefined);
    expect(d.interval).toBe(15 * M);
    expect(d.count).toBeLessThanOrEqual(1000);
  });

  it('never makes more than MAX_BUCKETS, whatever maxDataPoints says', () => {
    const b = planBuckets({ from: T0, to: T0 + 30 * D, intervalMs: 1, maxDataPoints: 1e9 }, undefined);
    expect(b.count).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(b.interval).toBe(5 * M);
  });

  it('raises a fixed interval only past MAX_BUCKETS, and says from what', () => {
    const b = planBuckets({ from: T0, to: T0 + H - 1 }, undefined, 1);
    expect(b.interval).toBe(500);
    expect(b.raisedFrom).toBe(1);
    expect(b.count).toBe(7200);
    // A fixed interval ignores maxDataPoints.
    const kept = planBuckets({ from: T0, to: T0 + H - 1, maxDataPoints: 10 }, undefined, S);
    expect(kept.interval).toBe(S);
    expect(kept.count).toBe(3600);
  });

  it('covers the data outside the range too', () => {
    const b = planBuckets({ from: T0 + H, to: T0 + 2 * H - 1 }, { from: T0 + 10 * S, to: T0 + H + 30 * S }, M);
    expect(b.start).toBe(T0);
    expect(b.count).toBe(120);
    const after = planBuckets({ from: T0, to: T0 + M - 1 }, { from: T0, to: T0 + 3 * M + 1 }, M);
    expect(after.count).toBe(4);
  });

  it('uses the data alone when the range is not usable, and makes no bucket without either', () => {
    expect(planBuckets({ from: NaN, to: NaN }, { from: T0, to: T0 + 2 * M }, M)).toMatchObject({ start: T0, count: 3 });
    expect(planBuckets({ from: T0 + H, to: T0 }, { from: T0, to: T0 + 2 * M }, M)).toMatchObject({
      start: T0,
      count: 3,
    });
    expect(planBuckets({ from: NaN, to: NaN }, undefined).count).toBe(0);
  });

  it('goes past a year in whole days for very long spans', () => {
    const b = planBuckets({ from: 0, to: 50_000 * 365 * D }, undefined, 1);
    expect(b.count).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(b.interval % D).toBe(0);
    expect(b.interval).toBeGreaterThan(365 * D);
  });

  it('aligns a day to UTC midnight', () => {
    const b = planBuckets({ from: T0 + 5 * H, to: T0 + 2 * D + 5 * H }, undefined, D);
    expect(b.start).toBe(T0);
    expect(b.count).toBe(3);
  });
});
