/**
 * gzip, found by its magic bytes wherever it appears (a .gz upload, base64 in a subscription payload,
 * a Firehose file), inflated with a size limit: a small file that inflates to gigabytes stops with a
 * clear error instead of taking the tab down.
 */
import { Gunzip } from 'fflate';

/**
 * What gzip may inflate to by default. A browser holds strings of at most about 512 M characters, and
 * the text and its parse must fit in a tab beside it.
 */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** Input is fed in chunks this big, so one push inflates to at most ~1032× this (deflate's best ratio). */
const CHUNK = 16 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface Inflated {
  bytes: Uint8Array;
  /** Set when inflating stopped early; `bytes` then holds what was inflated before. */
  error?: string;
  /** Number of gzip members (Firehose and `cat a.gz b.gz` concatenate them). */
  members: number;
}

class TooLarge extends Error {}

function formatBytes(n: number): string {
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
 * `maxBytes`. Everything is pushed as non-final first, so a truncated stream still gives all it holds;
 * the final empty push then tells whether it was complete.
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
  let members = 1;
  const out = streamLimited(
    (ondata) => {
      const inflater = new Gunzip(ondata);
      inflater.onmember = () => {
        members++;
      };
      return inflater;
    },
    gz,
    maxBytes
  );
  let error: string | undefined;
  if (out.overLimit) {
    error = `the gzip data inflates to more than ${formatBytes(maxBytes)} (the limit); what came before was read`;
  } else if (out.error !== undefined) {
    const reason = out.error instanceof Error ? out.error.message : String(out.error);
    error = /unexpected EOF/i.test(reason)
      ? 'the gzip data is truncated: it ends before its last block'
      : `the gzip data is corrupt (${reason})`;
  }
  return { bytes: out.bytes, error, members };
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
