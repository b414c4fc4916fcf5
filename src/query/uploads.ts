/**
 * Uploaded files: stored in the query compressed (gzip + base64) when that fits the data source's
 * cap, otherwise kept in this browser session's memory only (the dashboard then cannot carry it).
 * Compressing is src/components/compressUpload.ts (in slices, off the page's critical path); reading
 * back is here.
 */
import { decodeBase64, gunzipLimited } from '../parsing';
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
