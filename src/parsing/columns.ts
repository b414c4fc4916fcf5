/**
 * Step 4: typing. Values of a documented field are converted to its documented kind; the kind of an
 * undocumented field is inferred from all of its values, not the first one.
 */
import type { ValueKind } from './schema/types';
import { parseIotTimestamp } from './timestamp';

/** Bits recording which JSON kinds a column has seen. */
export const SEEN_NUMBER = 1;
export const SEEN_STRING = 2;
export const SEEN_BOOLEAN = 4;
export const SEEN_COMPOSITE = 8;

export function seenBit(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return SEEN_NUMBER;
    case 'string':
      return SEEN_STRING;
    case 'boolean':
      return SEEN_BOOLEAN;
    case 'object':
      return value === null ? 0 : SEEN_COMPOSITE;
    default:
      return 0;
  }
}

/** The kind of an undocumented column from the union of what its values were. */
export function inferKind(seen: number): ValueKind {
  if (seen & SEEN_COMPOSITE) {
    return 'other';
  }
  switch (seen) {
    case SEEN_NUMBER:
      return 'number';
    case SEEN_BOOLEAN:
      return 'boolean';
    default:
      // strings, mixed scalars (kept as written) and all-null columns
      return 'string';
  }
}

// One way only to split the digits (no backtracking: a long run of digits stays linear).
const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : null;
  }
  if (typeof v === 'string' && NUMERIC.test(v)) {
    return Number(v);
  }
  return null;
}

export function toBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') {
      return true;
    }
    if (s === 'false') {
      return false;
    }
  }
  return null;
}

/** Strings as written; other scalars as their JSON text; composites as JSON. */
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'string') {
    return v;
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Epoch milliseconds: numbers and numeric strings as they are, date texts (AWS's or ISO 8601) read as UTC. */
export function toTime(v: unknown): number | null {
  const n = toNumber(v);
  if (n !== null || typeof v !== 'string') {
    return n;
  }
  return parseIotTimestamp(v) ?? null;
}

export function converterFor(kind: ValueKind): (v: unknown) => unknown {
  switch (kind) {
    case 'number':
      return toNumber;
    case 'time':
      return toTime;
    case 'boolean':
      return toBoolean;
    case 'string':
      return toText;
    default:
      return (v) => (v === undefined ? null : v);
  }
}
