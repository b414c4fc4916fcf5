/**
 * Uploading a file without freezing the page: the file is read asynchronously, then gzip-compressed and
 * base64-encoded in slices with a pause between them, so the browser paints (a progress bar) and handles
 * input (a Cancel button) in between. The stored copy is the file gzip-compressed (a .gz file too, so
 * that reading it back with `uploadBytes` (src/query/uploads.ts) gives the file exactly as uploaded).
 */
import { Gzip } from 'fflate';

import { bytesToBase64 } from '../query/uploads';
import type { SessionStore } from '../sources/sessionStore';
import type { UploadSource } from '../types';

/** Bytes compressed between two pauses. */
export const UPLOAD_SLICE_BYTES = 256 * 1024;

/** Gives the browser a turn (a macrotask: rendering and input events run before it resolves). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

export interface CompressOptions {
  /** The data source's cap on what a query stores (gzip + base64 characters). */
  maxStoredBytes: number;
  /** Where a file over the cap is kept for the session. */
  store: SessionStore;
  /** Aborting rejects with UploadCancelled at the next pause, with nothing stored. */
  signal?: AbortSignal;
  /** Share of the work done, 0–1, after each slice. */
  onProgress?: (fraction: number) => void;
  sliceBytes?: number;
  /** What to await between slices; tests control the pace with it. */
  pause?: () => Promise<void>;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new UploadCancelled();
  }
}

/**
 * The source to store for an uploaded file's bytes, computed in slices: the file gzip-compressed and
 * base64-encoded when that fits `maxStoredBytes` (compression stops as soon as it cannot fit), otherwise
 * the bytes kept in the session store. The store is only touched once the work is done, so a cancelled
 * upload leaves it as it was.
 */
export async function compressUpload(
  fileName: string,
  bytes: Uint8Array,
  options: CompressOptions
): Promise<UploadSource> {
  const { maxStoredBytes, store, signal, onProgress, sliceBytes = UPLOAD_SLICE_BYTES, pause = nextTurn } = options;
  // base64 makes 4 characters of every 3 bytes.
  const maxGzipBytes = Math.floor((maxStoredBytes / 4) * 3);
  const chunks: Uint8Array[] = [];
  let compressed = 0;
  const gzip = new Gzip({ level: 6 }, (chunk) => {
    chunks.push(chunk);
    compressed += chunk.length;
  });

  // Compressing is most of the work; encoding the (smaller) result the rest.
  let fits = true;
  for (let offset = 0; ; offset += sliceBytes) {
    checkCancelled(signal);
    const end = Math.min(offset + sliceBytes, bytes.length);
    gzip.push(bytes.subarray(offset, end), end === bytes.length);
    if (compressed > maxGzipBytes) {
      fits = false;
      break;
    }
    onProgress?.((end / Math.max(bytes.length, 1)) * 0.9);
    if (end === bytes.length) {
      break;
    }
    await pause();
  }

  let source: UploadSource;
  if (fits) {
    const gz = concat(chunks, compressed);
    const parts: string[] = [];
    // A multiple of 3 bytes: the base64 of the parts joins into the base64 of the whole.
    const step = 3 * sliceBytes;
    for (let offset = 0; offset < gz.length; offset += step) {
      await pause();
      checkCancelled(signal);
      parts.push(bytesToBase64(gz.subarray(offset, offset + step)));
      onProgress?.(0.9 + (Math.min(offset + step, gz.length) / gz.length) * 0.1);
    }
    source = { type: 'upload', fileName, size: bytes.length, data: parts.join('') };
  } else {
    await pause();
    checkCancelled(signal);
    source = { type: 'upload', fileName, size: bytes.length, sessionKey: store.put(bytes) };
  }
  onProgress?.(1);
  return source;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) {
    return chunks[0];
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Reads a File with FileReader (Blob.arrayBuffer is missing in some environments), reporting the share
 * read; aborting stops the read and rejects with UploadCancelled.
 */
export function readFileBytes(
  file: Blob,
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {}
): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UploadCancelled());
      return;
    }
    const reader = new FileReader();
    const abort = () => reader.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    reader.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) {
        onProgress?.(e.loaded / e.total);
      }
    };
    reader.onload = () => {
      done();
      resolve(new Uint8Array(reader.result as ArrayBuffer));
    };
    reader.onabort = () => {
      done();
      reject(new UploadCancelled());
    };
    reader.onerror = () => {
      done();
      reject(reader.error ?? new Error('could not read the file'));
    };
    reader.readAsArrayBuffer(file);
  });
}
