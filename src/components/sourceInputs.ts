/**
 * The rules of the source inputs, pure: what each source starts as, what switching keeps, when pasted
 * text and uploads are too large for the query's place (Explore keeps queries in its URL and history)
 * and go to the data source's session store instead.
 */
import type { SessionStore } from '../sources/sessionStore';
import {
  ignoresTimeRangeByDefault,
  type InlineSource,
  type IotLogsQuery,
  type QuerySource,
  type SourceType,
} from '../types';

/** Largest pasted text or stored upload an Explore query carries itself (its URL and history hold it). */
export const EXPLORE_MAX_INLINE = 64 * 1024;

/** The input of each source type the editor keeps while another source is shown. */
export type KeptSources = Partial<Record<SourceType, QuerySource>>;

export function emptySource(type: SourceType): QuerySource {
  switch (type) {
    case 'upload':
      return { type: 'upload', fileName: '', size: 0 };
    case 'url':
      return { type: 'url', path: '' };
    case 'sample':
      return { type: 'sample' };
    default:
      return { type: 'inline', content: '' };
  }
}

/** Whether a source has something to read (an empty paste area or no file yet has not). */
export function hasInput(source: QuerySource): boolean {
  switch (source.type) {
    case 'inline':
      return source.content !== '' || source.sessionKey !== undefined;
    case 'upload':
      return source.data !== undefined || source.sessionKey !== undefined;
    case 'url':
      return source.path.trim() !== '';
    default:
      return true;
  }
}

/**
 * The query with another source type: the input that type had before (from `kept`) or an empty one,
 * with the time range default of the type; `kept` then holds the input being left. Nothing is discarded.
 */
export function switchSource(
  query: IotLogsQuery,
  type: SourceType,
  kept: KeptSources
): { query: IotLogsQuery; kept: KeptSources } {
  return {
    query: { ...query, source: kept[type] ?? emptySource(type), ignoreTimeRange: ignoresTimeRangeByDefault(type) },
    kept: { ...kept, [query.source.type]: query.source },
  };
}

/**
 * The inline source for pasted `text`. In Explore, text over EXPLORE_MAX_INLINE goes to the session store
 * and the query holds its key and size; the previous session text of the query is dropped.
 */
export function inlineSource(
  text: string,
  previous: InlineSource,
  store: SessionStore,
  explore: boolean
): InlineSource {
  if (explore && text.length > EXPLORE_MAX_INLINE) {
    return { type: 'inline', content: '', sessionKey: store.put(text, previous.sessionKey), size: text.length };
  }
  if (previous.sessionKey !== undefined) {
    store.delete(previous.sessionKey);
  }
  return { type: 'inline', content: text };
}

/** The source emptied by the user: its session content (a big paste or file) is let go. */
export function clearedSource(source: QuerySource, store: SessionStore): QuerySource {
  if ((source.type === 'inline' || source.type === 'upload') && source.sessionKey !== undefined) {
    store.delete(source.sessionKey);
  }
  return emptySource(source.type);
}

/** Largest compressed upload the query may carry: the data source's cap, and in Explore its URL's share. */
export function storedBytesLimit(maxStoredBytes: number, explore: boolean): number {
  return explore ? Math.min(maxStoredBytes, EXPLORE_MAX_INLINE) : maxStoredBytes;
}

/** The files the upload source takes (gzip-compressed ones too). */
export const ACCEPTED_FILES = ['.json', '.ndjson', '.jsonl', '.log', '.txt', '.csv', '.gz'];

export function acceptsFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_FILES.some((ext) => lower.endsWith(ext));
}
