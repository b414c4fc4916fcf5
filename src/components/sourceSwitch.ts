/**
 * Switching and clearing the query's source, pure: what switching keeps, and what clearing lets go.
 * What a source starts as and its time range default are its kind's (src/sources).
 */
import { sourceKind } from '../sources';
import type { IotLogsQuery, KeptSources, QuerySource, SourceType } from '../types';

/**
 * The query with another source type: the input that type had before (kept in the query) or its kind's
 * defaults with the kind's time range default; the input being left is kept in the query (when it has
 * any) with its time range choice. Nothing is discarded.
 */
export function switchSource(query: IotLogsQuery, type: SourceType): IotLogsQuery {
  if (type === query.source.type) {
    return query;
  }
  const kind = sourceKind(type);
  const { [type]: back, ...others } = query.keptSources ?? {};
  const leaving = query.source;
  const keptSources: KeptSources = hasInput(leaving)
    ? { ...others, [leaving.type]: { source: leaving, ignoreTimeRange: query.ignoreTimeRange } }
    : others;
  const { keptSources: _old, ...rest } = query;
  return {
    ...rest,
    source: back?.source ?? kind.defaults(),
    ignoreTimeRange: back?.ignoreTimeRange ?? kind.ignoresTimeRange,
    ...(Object.keys(keptSources).length > 0 ? { keptSources } : {}),
  };
}

/**
 * The source emptied by the user (its kind's defaults). Its session content stays in the store: a
 * duplicated query may hold the same key (the store lives as long as the browser tab).
 */
export function clearedSource(source: QuerySource): QuerySource {
  return sourceKind(source.type).defaults();
}

/** Whether a source has something to read (its kind says): switching to one that has runs the query. */
export function hasInput(source: QuerySource): boolean {
  return sourceKind(source.type).hasInput(source);
}
