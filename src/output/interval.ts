/**
 * The timeseries output's buckets: the interval (a fixed one the query sets, or one that follows the
 * panel) and the aligned buckets that cover the range and the data.
 */
import type { OutputRange } from './types';
import { OutputError } from './values';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Most buckets of any series, whatever the interval or the panel asks for. */
export const MAX_BUCKETS = 10_000;

/** Most buckets when the request does not say (Grafana always does: request.maxDataPoints). */
export const DEFAULT_MAX_DATA_POINTS = 1_000;

/** Intervals an automatic interval is raised to (the smallest that fits); longer ones are whole days. */
export const NICE_INTERVALS: readonly number[] = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
];

const INTERVAL = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)$/;

/**
 * An interval as written in the query (`500ms`, `30s`, `5m`, `1h`, `1d`, `1w`; a decimal number is
 * allowed, `1.5h`) in milliseconds. Anything else, or less than 1 ms, is an OutputError whose message
 * says what to write. Calendar units (`M`, `y`) are refused: months and years have no fixed length.
 */
export function parseInterval(text: string): number {
  const trimmed = text.trim();
  const match = INTERVAL.exec(trimmed);
  const hint = 'use a number and a unit (ms, s, m, h, d or w), e.g. 500ms, 30s, 5m, 1h or 1d';
  if (!match) {
    if (/^\d+(?:\.\d+)?\s*[My]$/.test(trimmed)) {
      throw new OutputError(`Interval "${trimmed}": months and years have no fixed length; ${hint}.`);
    }
    throw new OutputError(`Invalid interval "${trimmed}": ${hint}.`);
  }
  const ms = Math.round(Number(match[1]) * UNITS[match[2]]);
  if (!(ms >= 1)) {
    throw new OutputError(`Interval "${trimmed}" is shorter than 1ms: ${hint}.`);
  }
  if (ms > 100 * 365 * DAY) {
    throw new OutputError(`Interval "${trimmed}" is longer than 100 years: ${hint}.`);
  }
  return ms;
}

/** An interval as short text: `500ms`, `30s`, `5m`, `1h`, `1d`, `7d` (its largest whole unit). */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (ms >= size && ms % size === 0) {
      return `${ms / size}${unit}`;
    }
  }
  return `${ms}ms`;
}

/** The buckets of a time series: `count` of them, the k-th starting at `start + k × interval`. */
export interface Buckets {
  interval: number;
  /** A multiple of the interval (epoch-aligned, so series of different queries line up). */
  start: number;
  count: number;
  /** Set when a fixed interval was raised to stay within MAX_BUCKETS: the interval the query asked for. */
  raisedFrom?: number;
}

/** Buckets of `interval` from the one holding `from` to the one holding `to`. */
function bucketCount(from: number, to: number, interval: number): number {
  return Math.floor(to / interval) - Math.floor(from / interval) + 1;
}

/** The smallest nice interval (or whole number of days) ≥ `least` that needs at most `most` buckets. */
function fitting(from: number, to: number, least: number, most: number): number {
  for (const nice of NICE_INTERVALS) {
    if (nice >= least && bucketCount(from, to, nice) <= most) {
      return nice;
    }
  }
  // Longer than a year: whole days. Two buckets more than the span needs covers the alignment.
  let days = Math.max(Math.ceil(least / DAY), Math.ceil((to - from) / Math.max(1, most - 2) / DAY), 1);
  while (bucketCount(from, to, days * DAY) > most) {
    days++;
  }
  return days * DAY;
}

/**
 * The buckets of a time series over the request's range and the data's span.
 *
 * - Coverage: every bucket from the one holding the earliest of (range.from, the data's first time) to
 *   the one holding the latest of (range.to, the data's last time). A query that keeps entries outside
 *   the dashboard's range (ignoreTimeRange) so loses none of them; the price is a longer span, so a
 *   coarser automatic interval. A range that is not a pair of finite numbers with from ≤ to is ignored
 *   (the data's span alone); with neither, there are no buckets.
 * - Interval: `fixed` when the query sets one, raised only when it would make more than MAX_BUCKETS
 *   buckets (then `raisedFrom` says so). Otherwise range.intervalMs (Grafana's suggestion for the
 *   panel; 1 ms when absent), raised to the smallest nice interval (1s, 5s, 10s, 15s, 30s, 1m, 5m, 10m,
 *   15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d, 30d, 90d, 365d; 1-500ms below a second) that keeps the buckets
 *   within range.maxDataPoints (DEFAULT_MAX_DATA_POINTS when absent) and MAX_BUCKETS.
 * - Alignment: buckets start at multiples of the interval since the epoch (UTC midnight for 1d; a 7d
 *   bucket starts on a Thursday, as 1970-01-01 did).
 */
export function planBuckets(
  range: OutputRange,
  data: { from: number; to: number } | undefined,
  fixed?: number
): Buckets {
  let from = Infinity;
  let to = -Infinity;
  if (Number.isFinite(range.from) && Number.isFinite(range.to) && range.from <= range.to) {
    from = range.from;
    to = range.to;
  }
  if (data) {
    from = Math.min(from, data.from);
    to = Math.max(to, data.to);
  }
  let interval: number;
  let raisedFrom: number | undefined;
  if (!(from <= to)) {
    interval = fixed ?? NICE_INTERVALS[NICE_INTERVALS.length - 1];
    return { interval, start: 0, count: 0 };
  }
  if (fixed !== undefined) {
    interval = fixed;
    if (bucketCount(from, to, fixed) > MAX_BUCKETS) {
      interval = fitting(from, to, fixed, MAX_BUCKETS);
      raisedFrom = fixed;
    }
  } else {
    const suggested = range.intervalMs !== undefined && range.intervalMs > 0 ? range.intervalMs : 1;
    const points =
      range.maxDataPoints !== undefined && range.maxDataPoints >= 1 ? range.maxDataPoints : DEFAULT_MAX_DATA_POINTS;
    // At least 2: the range's ends may fall in two buckets whatever the interval.
    interval = fitting(from, to, suggested, Math.max(2, Math.min(Math.floor(points), MAX_BUCKETS)));
  }
  const start = Math.floor(from / interval) * interval;
  return { interval, start, count: bucketCount(from, to, interval), raisedFrom };
}
