/**
 * Re-running a query whose input did not change must not parse it again: results are kept for the
 * last few distinct inputs (a dashboard's queries, and the one being edited). A parse in progress is
 * shared by the queries that ask for the same input.
 */
import { parseTables, type ParseOptions, type TableResult } from '../parsing';
import type { RawInput } from '../parsing/decode';
import { CancelledError } from './parseRunner';

export type Parse = (
  input: RawInput,
  options: Omit<ParseOptions, 'onProgress'>,
  progress?: (fraction: number) => void,
  signal?: AbortSignal
) => Promise<TableResult>;

const parseNow: Parse = async (input, options) => parseTables(input, options);

/**
 * What identifies an input: a kind (source and format) and the input's identity. Inputs are compared
 * with ===, so pasted text is never copied or hashed: re-running the same query compares one pointer.
 */
export type CacheKey = readonly [kind: string, identity: string | number];

interface Entry {
  key: CacheKey;
  result: Promise<TableResult>;
  /** Stops the parse; used once every query waiting for it has been cancelled. */
  controller: AbortController;
  /** Queries waiting for the parse while it runs. */
  waiting: number;
  done: boolean;
}

/** Rejects when the signal aborts (a query stops waiting; the shared parse may go on for others). */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const cancel = () => reject(new CancelledError());
    if (signal.aborted) {
      cancel();
    } else {
      signal.addEventListener('abort', cancel, { once: true });
    }
  });
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
  ): Promise<TableResult> {
    const at = this.entries.findIndex((e) => e.key[0] === key[0] && e.key[1] === key[1]);
    let entry: Entry;
    if (at >= 0) {
      [entry] = this.entries.splice(at, 1);
    } else {
      const controller = new AbortController();
      const created: Entry = {
        key,
        controller,
        waiting: 0,
        done: false,
        result: this.parse(input(), options, progress, controller.signal),
      };
      entry = created;
      created.result.then(
        () => {
          created.done = true;
        },
        () => {
          // A parse that fails or is cancelled is not kept.
          created.done = true;
          this.entries = this.entries.filter((e) => e !== created);
        }
      );
      if (this.entries.length >= this.capacity) {
        this.entries.shift();
      }
    }
    this.entries.push(entry);
    if (!signal || entry.done) {
      return entry.result;
    }
    // Several queries may wait for one parse (a panel re-run while it runs): the parse stops only when
    // all of them are cancelled; each cancelled query stops waiting at once.
    const shared = entry;
    shared.waiting++;
    const release = () => {
      shared.waiting--;
      if (shared.waiting === 0 && !shared.done) {
        shared.controller.abort();
      }
    };
    signal.addEventListener('abort', release, { once: true });
    shared.result.then(
      () => signal.removeEventListener('abort', release),
      () => signal.removeEventListener('abort', release)
    );
    return Promise.race([shared.result, whenAborted(signal)]);
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
