/**
 * One query → its frames: parse (cached), filter, tag with the refId, report problems as notices.
 * Never throws for bad data.
 */
import type { DataFrame } from '@grafana/data';

import type { IotFrameMeta, ParseIssue, ParseStats } from '../parsing';
import type { IotLogsQuery } from '../types';
import { filterFrames } from './filterFrames';
import { parseNotices } from './notices';
import type { ParseCache } from './parseCache';

/** `meta.custom` of returned frames: the frame's own metadata plus the run's parse summary. */
export interface QueryFrameMeta extends Partial<IotFrameMeta> {
  parse: ParseStats;
  /** The first few issues, for the query editor. */
  issues: ParseIssue[];
}

export const EDITOR_ISSUES = 10;

export function runQuery(query: IotLogsQuery, cache: ParseCache): DataFrame[] {
  const result = cache.get(query.source.content);
  const frames = filterFrames(result.frames, query);
  const notices = parseNotices(result);
  const summary = { parse: result.stats, issues: result.issues.slice(0, EDITOR_ISSUES) };
  if (frames.length === 0) {
    const custom: QueryFrameMeta = summary;
    return [{ name: 'No entries', refId: query.refId, fields: [], length: 0, meta: { notices, custom } }];
  }
  return frames.map((frame, i) => {
    const custom: QueryFrameMeta = { ...(frame.meta?.custom as IotFrameMeta), ...summary };
    return {
      ...frame,
      refId: query.refId,
      meta: { ...frame.meta, custom, ...(i === 0 && notices.length > 0 ? { notices } : {}) },
    };
  });
}
