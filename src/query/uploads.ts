/**
 * Uploaded files: stored in the query compressed (gzip + base64) when that fits the data source's
 * cap, otherwise kept in this browser session's memory only (the dashboard then cannot carry it).
 */
import { Gzip } from 'fflate';

import { decodeBase64, gunzipLimited, streamLimited } from '../parsing';
import type { SessionStore } from '../sources/sessionStore';
import type { UploadSource } from '../types';

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** gzip of `bytes`, or undefined as soon as it grows past `maxBytes` (a big file is not compressed to the end). */
function gzipWithin(bytes: Uint8Array, maxBytes: number): Uint8Array | undefined {
  const out = streamLimited((ondata) => new Gzip({ level: 6 }, ondata), bytes, maxBytes, 256 * 1024);
  if (out.error !== undefined) {
    throw out.error;
  }
  return out.overLimit ? undefined : out.bytes;
}

/**
 * The source to store for an uploaded file: the file gzip-compressed (a .gz file too, so that reading
 * it back gives the file exactly as uploaded). What the dashboard stores is never larger than
 * `maxStoredBytes`; a larger file is kept in this session's memory instead (replacing `previous`).
 */
export function uploadSource(
  fileName: string,
  bytes: Uint8Array,
  maxStoredBytes: number,
  store: SessionStore,
  previous?: UploadSource
): UploadSource {
  if (previous?.sessionKey) {
    store.delete(previous.sessionKey);
  }
  // base64 makes 4 characters of every 3 bytes.
  const gz = gzipWithin(bytes, Math.floor((maxStoredBytes / 4) * 3));
  if (gz) {
    return { type: 'upload', fileName, size: bytes.length, data: bytesToBase64(gz) };
  }
  return { type: 'upload', fileName, size: bytes.length, sessionKey: store.put(bytes) };
}

export type UploadBytes = { bytes: Uint8Array; error?: string } | { bytes?: undefined; error: string };

/** The bytes of an uploaded file as uploaded, or why they are not available. */
export function uploadBytes(source: UploadSource, store: SessionStore): UploadBytes {
  if (source.data !== undefined) {
    const gz = decodeBase64(source.data);
    if (!gz) {
      return { error: `The stored copy of ${source.fileName} is damaged (not base64): upload the file again.` };
    }
    const inflated = gunzipLimited(gz);
    return inflated.error
      ? { bytes: inflated.bytes, error: `The stored copy of ${source.fileName} is damaged (${inflated.error}).` }
      : { bytes: inflated.bytes };
  }
  const bytes = source.sessionKey ? store.get(source.sessionKey) : undefined;
  return bytes !== undefined && typeof bytes !== 'string'
    ? { bytes }
    : {
        error: `${source.fileName} was too large to keep in the dashboard and was only held for the browser session in which it was uploaded: upload it again, or serve it through the URL source.`,
      };
}
