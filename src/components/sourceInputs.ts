/**
 * The rules of the source editors, pure: when pasted text and uploads are too large for the query's
 * place (Explore keeps queries in its URL and history) and go to the data source's session store
 * instead, and which files the upload takes. What each source starts as is its kind's (src/sources).
 */
import type { SessionStore } from '../sources/sessionStore';
import type { InlineSource } from '../types';

/** Largest pasted text or stored upload an Explore query carries itself (its URL and history hold it). */
export const EXPLORE_MAX_INLINE = 64 * 1024;

/**
 * The inline source for pasted `text`. Text longer than `maxChars` (Explore: EXPLORE_MAX_INLINE; a
 * dashboard: the data source's cap on what a query stores) goes to the session store and the query holds
 * its key and size: never unbounded content in the query.
 */
export function inlineSource(text: string, store: SessionStore, maxChars: number): InlineSource {
  if (text.length > maxChars) {
    return { type: 'inline', content: '', sessionKey: store.put(text), size: text.length };
  }
  return { type: 'inline', content: text };
}

/**
 * Largest content a query carries itself (pasted characters, or a compressed upload's stored characters):
 * the data source's cap, and in Explore at most its URL's share.
 */
export function storedBytesLimit(maxStoredBytes: number, explore: boolean): number {
  return explore ? Math.min(maxStoredBytes, EXPLORE_MAX_INLINE) : maxStoredBytes;
}

/** The files the upload source takes (gzip-compressed ones too). */
export const ACCEPTED_FILES = ['.json', '.ndjson', '.jsonl', '.log', '.txt', '.csv', '.gz'];

export function acceptsFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_FILES.some((ext) => lower.endsWith(ext));
}
