/**
 * gzip, found by its magic bytes wherever it appears (a .gz upload, base64 in a subscription payload,
 * a Firehose file, a file in a zip), inflated with a size limit: a small file that inflates to
 * gigabytes stops with a clear error instead of taking the tab down. Where gzip is nested (gzip inside
 * gzip, gzip inside a zip), every layer draws on the same limit (see `gunzipWithin`).
 */
import { Gunzip } from 'fflate';

/**
 * What gzip may inflate to by default. A browser holds strings of at most about 512 M characters, and
 * the text and its parse must fit in a tab beside it.
 */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** Input is fed in chunks this big, so one push inflates to at most ~1032× this (deflate's best ratio). */
const CHUNK = 16 * 1024;

/** Most gzip layers inflated one inside the other (Firehose objects in S3 are sometimes compressed twice). */
export const MAX_GZIP_LAYERS = 4;

/** The smallest gzip member: 10 bytes of header, an empty block (2), 8 bytes of trailer. */
const MIN_GZIP = 20;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface Inflated {
  bytes: Uint8Array;
  /** Set when inflating stopped early; `bytes` then holds what was inflated before. */
  error?: string;
  /** Number of gzip members (Firehose and `cat a.gz b.gz` concatenate them). */
  members: number;
  /** Inflating stopped at the size limit (`error` says so); otherwise an error means corrupt or truncated data. */
  overLimit?: boolean;
}

class TooLarge extends Error {}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(0)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

/** A streaming fflate transform (Gzip, Gunzip). */
interface FlateStream {
  push(chunk: Uint8Array, final?: boolean): void;
}

export interface Streamed {
  bytes: Uint8Array;
  /** The output grew past the limit: `bytes` holds what came before. */
  overLimit: boolean;
  /** Anything else the stream threw (corrupt or truncated data). */
  error?: unknown;
}

/**
 * Runs `input` through a streaming transform in chunks, stopping as soon as the output passes
 * `maxBytes` (keeping the first `maxBytes` bytes of it). Everything is pushed as non-final first, so
 * a truncated stream still gives all it holds; the final empty push then tells whether it was
 * complete, mostly: when the pushes before it happened to consume all input (a cut at a block
 * boundary), fflate returns from it without a word. gunzipWithin checks the gzip trailer for that.
 */
export function streamLimited(
  make: (ondata: (chunk: Uint8Array) => void) => FlateStream,
  input: Uint8Array,
  maxBytes: number,
  chunkSize = CHUNK
): Streamed & { stream: FlateStream } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = make((chunk) => {
    if (total + chunk.length > maxBytes) {
      // Keep what fits: a single push can inflate to megabytes, and what came before the limit is read.
      chunks.push(chunk.subarray(0, maxBytes - total));
      total = maxBytes;
      throw new TooLarge();
    }
    total += chunk.length;
    chunks.push(chunk);
  });
  let overLimit = false;
  let error: unknown;
  try {
    for (let i = 0; i < input.length; i += chunkSize) {
      stream.push(input.subarray(i, i + chunkSize), false);
    }
    stream.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof TooLarge) {
      overLimit = true;
    } else {
      error = e;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, overLimit, error, stream };
}

/** Inflates gzip (single or multi-member). Never throws: problems are reported in `error`. */
export function gunzipLimited(gz: Uint8Array, maxBytes = DEFAULT_MAX_INFLATED_BYTES): Inflated {
  return gunzipWithin(gz, maxBytes, maxBytes);
}

/**
 * Inflates gzip to at most `room` bytes, what is left of `limit` after the layers around it (or the
 * files before it in a zip) inflated: the output of all layers together stays within `limit`, so a
 * gzip bomb inside gzip or inside a zip stops like one on its own. Never throws.
 */
export function gunzipWithin(gz: Uint8Array, room: number, limit: number): Inflated {
  let members = 1;
  let produced = 0;
  /** Output before the last member began: the trailer of the last member holds the rest's size. */
  let beforeLastMember = 0;
  const out = streamLimited(
    (ondata) => {
      const inflater = new Gunzip((chunk) => {
        produced += chunk.length;
        ondata(chunk);
      });
      inflater.onmember = () => {
        members++;
        beforeLastMember = produced;
      };
      return inflater;
    },
    gz,
    Math.max(0, room)
  );
  let error = inflateError(out, 'gzip', room, limit);
  // fflate does not always notice a cut (see streamLimited), nor one inside the 10-byte header: a
  // whole member ends with its size mod 2^32, which bytes cut off anywhere else match by chance only.
  // (fflate passes over up to 3 stray bytes after the last member: the size may come before them.)
  if (error === undefined && (gz.length < MIN_GZIP || !endsWithSize(gz, produced - beforeLastMember))) {
    error = 'the gzip data is truncated: it ends before its last block';
  }
  return { bytes: out.bytes, error, members, overLimit: out.overLimit };
}

function endsWithSize(gz: Uint8Array, size: number): boolean {
  for (let end = gz.length; end >= Math.max(4, gz.length - 3); end--) {
    if (end < gz.length && gz[end] === 0x1f) {
      break; // not stray bytes but the start of another member, cut off
    }
    const i = end - 4;
    if ((gz[i] | (gz[i + 1] << 8) | (gz[i + 2] << 16) | (gz[i + 3] << 24)) >>> 0 === size >>> 0) {
      return true;
    }
  }
  return false;
}

/** Why a limited inflate stopped early, as a clause ("the gzip data is truncated: …"), or undefined. */
export function inflateError(out: Streamed, what: string, room: number, limit: number): string | undefined {
  if (out.overLimit) {
    const shared = room < limit ? ', counting every layer and file inflated before it' : '';
    return `the ${what} data inflates to more than ${formatBytes(limit)} (the limit${shared}); what came before was read`;
  }
  if (out.error !== undefined) {
    const reason = out.error instanceof Error ? out.error.message : String(out.error);
    return /unexpected EOF/i.test(reason)
      ? `the ${what} data is truncated: it ends before its last block`
      : `the ${what} data is corrupt (${reason})`;
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Standard base64 to bytes, or undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || clean.length % 4 !== 0 || !BASE64.test(clean)) {
    return undefined;
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
