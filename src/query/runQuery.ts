/**
 * One query → its frames: load the input, parse (cached), filter, keep the time range, tag with the
 * refId, report problems as notices. Never throws for bad data; a source that cannot be read
 * (SourceError) is the caller's to report as an error of this query.
 */
import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import type { IotFrameMeta, ParseIssue, ParseStats } from '../parsing';
import type { IotLogsQuery } from '../types';
import { filterFrames } from './filterFrames';
import { mergeNotices, parseNotices } from './notices';
import type { ParseCache } from './parseCache';
import { loadInput, type SourceContext } from './sources';
import { filterTimeRange } from './timeRange';

/** `meta.custom` of returned frames: the frame's own metadata plus the run's parse summary. */
export interface QueryFrameMeta extends Partial<IotFrameMeta> {
  parse: ParseStats;
  /** The first few issues, for the query editor. */
  issues: ParseIssue[];
  /** Entries left out because they are outside the time range. */
  outsideTimeRange: number;
}

export const EDITOR_ISSUES = 10;

export interface RunContext extends SourceContext {
  cache: ParseCache;
  range: { from: number; to: number };
  /** Share of the input parsed so far, for a progress display. */
  onProgress?: (fraction: number) => void;
  /** Aborted when the query is cancelled. */
  signal?: AbortSignal;
}

export async function runQuery(query: IotLogsQuery, ctx: RunContext): Promise<DataFrame[]> {
  const loaded = await loadInput(query, ctx.range.to, ctx);
  const format = query.format;
  const result = await ctx.cache.get(
    [`${format}|${loaded.key[0]}`, loaded.key[1]],
    loaded.input,
    { format },
    ctx.onProgress,
    ctx.signal
  );
  let frames = filterFrames(result.frames, query);
  let outsideTimeRange = 0;
  if (!query.ignoreTimeRange) {
    const kept = filterTimeRange(frames, ctx.range.from, ctx.range.to);
    frames = kept.frames;
    outsideTimeRange = kept.outside;
  }

  let notices: QueryResultMetaNotice[] = [...parseNotices(result)];
  if (loaded.warning) {
    notices.push({ severity: 'warning', text: loaded.warning });
  }
  if (outsideTimeRange > 0) {
    notices.push({
      severity: 'info',
      text: `${outsideTimeRange.toLocaleString('en-US')} ${outsideTimeRange === 1 ? 'entry is' : 'entries are'} outside the time range and not shown. Turn on "Ignore time range" in the query to see every entry.`,
    });
  }
  notices = mergeNotices(notices);
  const summary = { parse: result.stats, issues: result.issues.slice(0, EDITOR_ISSUES), outsideTimeRange };
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
