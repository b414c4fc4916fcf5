/**
 * Re-running a query whose input did not change must not parse it again: results are kept for the
 * last few distinct inputs (a dashboard's queries, and the one being edited). A parse in progress is
 * shared by the queries that ask for the same input.
 */
import { parseLogs, type ParseOptions, type ParseResult } from '../parsing';
import type { RawInput } from '../parsing/decode';

export type Parse = (
  input: RawInput,
  options: Omit<ParseOptions, 'onProgress'>,
  progress?: (fraction: number) => void,
  signal?: AbortSignal
) => Promise<ParseResult>;

const parseNow: Parse = async (input, options) => parseLogs(input, options);

/**
 * What identifies an input: a kind (source and format) and the input's identity. Inputs are compared
 * with ===, so pasted text is never copied or hashed: re-running the same query compares one pointer.
 */
export type CacheKey = readonly [kind: string, identity: string | number];

interface Entry {
  key: CacheKey;
  result: Promise<ParseResult>;
}

export class ParseCache {
  /** Least recently used first. */
  private entries: Entry[] = [];

  constructor(
    private readonly capacity = 8,
    private readonly parse: Parse = parseNow
  ) {}

  /** The parse of `input`, keyed by `key` (which must change whenever the input or options do). */
  get(
    key: CacheKey,
    input: () => RawInput,
    options: Omit<ParseOptions, 'onProgress'> = {},
    progress?: (fraction: number) => void,
    signal?: AbortSignal
  ): Promise<ParseResult> {
    const at = this.entries.findIndex((e) => e.key[0] === key[0] && e.key[1] === key[1]);
    let entry: Entry;
    if (at >= 0) {
      [entry] = this.entries.splice(at, 1);
    } else {
      entry = { key, result: this.parse(input(), options, progress, signal) };
      // A parse that fails or is cancelled is not kept.
      entry.result.catch(() => {
        this.entries = this.entries.filter((e) => e !== entry);
      });
      if (this.entries.length >= this.capacity) {
        this.entries.shift();
      }
    }
    this.entries.push(entry);
    return entry.result;
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
