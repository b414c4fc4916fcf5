/**
 * Seeded randomness for the fleet generator: mulberry32 streams, one per label (the fleet, its drops,
 * its traffic, each problem…), so that a change to one part of a spec disturbs the others' draws less.
 * Same seed and label, same numbers, on every platform (integer arithmetic only).
 */

export interface Rng {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** n lowercase hex digits. */
  hex(n: number): string;
  /** A v4 UUID. */
  uuid(): string;
  /** A trace ID as AWS IoT writes them (32 hex digits in UUID groups). */
  traceId(): string;
}

/** FNV-1a: a 32-bit hash of a label. */
function hash(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A stream of the seed, independent of the other labels' streams. */
export function makeRng(seed: number, label: string): Rng {
  let a = (Math.imul(seed >>> 0, 0x9e3779b1) ^ hash(label)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += '0123456789abcdef'[Math.floor(next() * 16)];
    }
    return s;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
    traceId: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  };
}
