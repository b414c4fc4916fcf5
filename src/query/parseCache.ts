/**
 * Re-running a query whose input did not change must not parse it again: results are kept for the
 * last few distinct inputs (a dashboard's queries, and the one being edited).
 */
import { parseLogs, type ParseOptions, type ParseResult } from '../parsing';
import type { RawInput } from '../parsing/decode';

export class ParseCache {
  private entries = new Map<string, ParseResult>();

  constructor(
    private readonly capacity = 8,
    private readonly parse: (input: RawInput, options: ParseOptions) => ParseResult = parseLogs
  ) {}

  /** The parse of `input`, keyed by `key` (which must change whenever the input or options do). */
  get(key: string, input: () => RawInput, options: ParseOptions = {}): ParseResult {
    let result = this.entries.get(key);
    if (result) {
      // Most recently used last.
      this.entries.delete(key);
    } else {
      result = this.parse(input(), options);
      if (this.entries.size >= this.capacity) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    this.entries.set(key, result);
    return result;
  }
}

/** A cheap fingerprint of bytes (length and FNV-1a of all bytes), for cache keys of fetched files. */
export function fingerprint(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return `${bytes.length}:${(h >>> 0).toString(36)}`;
}
