/**
 * Switching and clearing the query's source, pure: what switching keeps, and what clearing lets go.
 * What a source starts as and its time range default are its kind's (src/sources).
 */
import { sourceKind } from '../sources';
import type { SessionStore } from '../sources/sessionStore';
import type { IotLogsQuery, QuerySource, SourceType } from '../types';

/** The input of each source type the editor keeps while another source is shown. */
export type KeptSources = Partial<Record<SourceType, QuerySource>>;

/**
 * The query with another source type: the input that type had before (from `kept`) or its kind's
 * defaults, with the time range default of the kind; `kept` then holds the input being left. Nothing is
 * discarded.
 */
export function switchSource(
  query: IotLogsQuery,
  type: SourceType,
  kept: KeptSources
): { query: IotLogsQuery; kept: KeptSources } {
  const kind = sourceKind(type);
  return {
    query: { ...query, source: kept[type] ?? kind.defaults(), ignoreTimeRange: kind.ignoresTimeRange },
    kept: { ...kept, [query.source.type]: query.source },
  };
}

/** The source emptied by the user (its kind's defaults): its session content (a big paste or file) is let go. */
export function clearedSource(source: QuerySource, store: SessionStore): QuerySource {
  if ('sessionKey' in source && source.sessionKey !== undefined) {
    store.delete(source.sessionKey);
  }
  return sourceKind(source.type).defaults();
}

/** Whether a source has something to read (its kind says): switching to one that has runs the query. */
export function hasInput(source: QuerySource): boolean {
  return sourceKind(source.type).hasInput(source);
}
