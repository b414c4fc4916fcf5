/**
 * One query → its frames and its report: load the input (src/sources), parse it (cached), keep the
 * rows its filters and time range keep (src/query/filter.ts), shape them by its output mode
 * (src/output), tag them with the refId and report problems as notices. Frames are memoised per
 * (parse, filter, output), so re-running a dashboard does no repeated work. Never throws for bad data;
 * a source that cannot be read, a filter or output option that cannot work, or a cancel throws an
 * error whose message is the query's error.
 */
import type { DataFrame, QueryResultMetaNotice, ScopedVars } from '@grafana/data';

import { OUTPUTS, RANGE_DEPENDENT } from '../output';
import type { OutputRange } from '../output/types';
import { TABLE_FIELDS } from '../parsing/table';
import type { TableResult } from '../parsing';
import { isLogVolumeQuery, logVolumeFrames } from '../explore/logVolume';
import { loadSource, type LoadedInput, type SourceContext } from '../sources';
import type { IotLogsQuery } from '../types';
import { withDataLinks, type LinkTarget } from './dataLinks';
import { FilterError, filterKey, selectRows, type ResolvedFieldFilter } from './filter';
import { interpolateOutput, rowFilterOf, type Replace } from './interpolate';
import { mergeNotices, parseNotices } from './notices';
import type { ParseCache } from './parseCache';
import type { RunReport } from './runReport';

export const EDITOR_ISSUES = 10;

export interface RunContext extends Omit<SourceContext, 'interpolate' | 'rangeTo'> {
  cache: ParseCache;
  range: OutputRange;
  /** Grafana's template variable replacement (TemplateSrv.replace). */
  replace: Replace;
  scopedVars?: ScopedVars;
  /** Share of the input parsed so far, for a progress display. */
  onProgress?: (fraction: number) => void;
  /** Aborted when the query is cancelled. */
  signal?: AbortSignal;
  /** The dashboard's ad hoc filters (src/query/adhocFilters.ts), applied after the query's own. */
  adhoc?: readonly ResolvedFieldFilter[];
  /** This data source, for data links on traceId, clientId… (src/query/dataLinks.ts); none without. */
  links?: LinkTarget;
  /** The input, already read (the CloudWatch source's entries): the source is not loaded. */
  loaded?: LoadedInput;
  /** Notices of how the input was read (the CloudWatch source's), added to the run's. */
  notices?: readonly QueryResultMetaNotice[];
}

export type RunResult = { frames: DataFrame[]; report: Omit<RunReport, 'refId' | 'query' | 'state'> };

/** Frames made for a parse, by filter and output: bounded per parse, gone with it. */
const MEMO_PER_PARSE = 32;
const outputs = new WeakMap<TableResult, Map<string, { frames: DataFrame[]; matched: number; outside: number }>>();

/** The fields of a parse (table fields and every column), sorted, for the editor's suggestions. */
const fieldsOfParse = new WeakMap<TableResult, string[]>();

function fieldsOf(result: TableResult): string[] {
  let fields = fieldsOfParse.get(result);
  if (!fields) {
    const names = new Set<string>(TABLE_FIELDS);
    for (const table of result.tables) {
      for (const column of table.columns) {
        names.add(column.name);
      }
    }
    fields = [...names].sort();
    fieldsOfParse.set(result, fields);
  }
  return fields;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What the parse of a query's source needs: its context without the output's range details. */
export type ParseContext = Omit<RunContext, 'range'> & { range: Pick<OutputRange, 'to'> };

/**
 * The parse of a query's source (loaded, then parsed once and cached: every query, variable, context,
 * volume and ad hoc lookup on the same source shares it), and the source's warning if any.
 */
export async function parseOf(
  query: Pick<IotLogsQuery, 'source' | 'format'>,
  ctx: ParseContext
): Promise<{ result: TableResult; warning?: string }> {
  const loaded =
    ctx.loaded ??
    (await loadSource(query.source, {
      ...ctx,
      interpolate: (text) => ctx.replace(text, ctx.scopedVars),
      rangeTo: ctx.range.to,
    }));
  const format = query.format;
  const result = await ctx.cache.get(
    [`${format}|${loaded.key[0]}`, loaded.key[1]],
    loaded.input,
    { format },
    ctx.onProgress,
    ctx.signal
  );
  return { result, ...(loaded.warning ? { warning: loaded.warning } : {}) };
}

export async function runQuery(query: IotLogsQuery, ctx: RunContext): Promise<RunResult> {
  if (query.linkFilters !== undefined) {
    // migrateQuery moves valid link filters into the lists: what is left could not be read
    const raw: unknown = query.linkFilters;
    const all = typeof raw === 'string' ? raw : String(JSON.stringify(raw));
    const text = all.length > 200 ? `${all.slice(0, 200)}…` : all;
    throw new FilterError(
      `The query's linkFilters are not JSON of {"eventTypes": […], "fieldFilters": […], "from": …, "to": …}: ${text}`
    );
  }
  const { result, warning } = await parseOf(query, ctx);

  const own = rowFilterOf(query, ctx.replace, ctx.scopedVars, ctx.range);
  const filter = ctx.adhoc?.length ? { ...own, fieldFilters: [...own.fieldFilters, ...ctx.adhoc] } : own;
  const options = interpolateOutput(query, ctx.replace, ctx.scopedVars);
  const { range } = ctx;
  const outputKey = JSON.stringify([
    options.output,
    options.groupBy,
    options.metric,
    options.metricField,
    options.interval,
    options.limit,
    options.combineTables,
    options.output === 'behaviour' ? (options.behaviourView ?? 'table') : null,
    options.output === 'findings' ? (options.thresholds ?? null) : null,
    options.output === 'table' ? options.eventTypes : null,
    RANGE_DEPENDENT.has(options.output) ? [range.from, range.to, range.intervalMs, range.maxDataPoints] : null,
  ]);
  const key = `${filterKey(filter)}|${outputKey}`;
  let memo = outputs.get(result);
  if (!memo) {
    memo = new Map();
    outputs.set(result, memo);
  }
  let shaped = memo.get(key);
  if (shaped) {
    // Most recently used last.
    memo.delete(key);
  } else {
    const { selections, outsideTimeRange } = selectRows(result.tables, filter);
    const frames = OUTPUTS[options.output](selections, options, range);
    const matched = selections.reduce((n, s) => n + (s.rows ? s.rows.length : s.table.length), 0);
    shaped = { frames, matched, outside: outsideTimeRange };
    if (memo.size >= MEMO_PER_PARSE) {
      memo.delete(memo.keys().next().value!);
    }
  }
  memo.set(key, shaped);
  // Explore's log volume (src/explore/logVolume.ts): the time series as one series per level, as Explore
  // reads levels; no frame without entries (Explore then says there is no volume). Shaped after the memo:
  // a user's own time series by logLevel shares the entry.
  const volume = isLogVolumeQuery(query);
  const shapedFrames = volume ? logVolumeFrames(shaped.frames) : shaped.frames;

  const { stats } = result;
  const notices: QueryResultMetaNotice[] = [...(ctx.notices ?? []), ...parseNotices(result)];
  if (warning) {
    notices.push({ severity: 'warning', text: warning });
  }
  if (shaped.outside > 0) {
    notices.push({
      severity: 'info',
      text: `${plural(shaped.outside, 'entry is', 'entries are')} outside the time range and not shown. Turn on "Ignore time range" in the query to see every entry.`,
    });
  }
  if (shaped.matched === 0 && stats.entries > 0 && shaped.outside === 0) {
    notices.push({
      severity: 'info',
      text: `None of the ${plural(stats.entries, 'entry', 'entries')} matched the query's filters.`,
    });
  }
  // Notices of the frames themselves (a counts table cut to its limit) join the run's.
  for (const frame of shapedFrames) {
    notices.push(...(frame.meta?.notices ?? []));
  }
  const merged = mergeNotices(notices);

  // Memoised frames are shared between runs: each run gets its own frame objects (arrays are shared).
  let frames: DataFrame[] = shapedFrames.map((frame) => ({ ...frame, refId: query.refId }));
  if (frames.length === 0 && !volume) {
    frames = [{ name: 'No entries', refId: query.refId, fields: [], length: 0 }];
  }
  frames = frames.map((frame, i) => {
    const { notices: _own, ...meta } = frame.meta ?? {};
    return { ...frame, meta: { ...meta, ...(i === 0 && merged.length > 0 ? { notices: merged } : {}) } };
  });

  if (ctx.links && !volume) {
    // Links open the same entries: a URL path with its variables as this run read it.
    const source =
      query.source.type === 'url'
        ? { ...query.source, path: ctx.replace(query.source.path, ctx.scopedVars) }
        : query.source;
    frames = withDataLinks(frames, { ...query, source }, ctx.links);
  }

  const rows = shaped.frames.reduce((n, f) => n + f.length, 0);
  return {
    frames,
    report: {
      parse: stats,
      issues: result.issues.slice(0, EDITOR_ISSUES),
      outsideTimeRange: shaped.outside,
      output: {
        mode: options.output,
        frames: shaped.frames.length,
        rows,
        matched: shaped.matched,
        parsed: stats.entries,
      },
      eventTypes: result.tables.map((t) => t.eventType),
      fields: fieldsOf(result),
    },
  };
}
