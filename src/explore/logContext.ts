/**
 * Explore's log context: the entries before and after a log line that share its device (`clientId`) or
 * its trace (`traceId`), read from the same cached parse as the query (DataSource.parse), shaped as the
 * logs output's frames so that Grafana shows them like the query's lines.
 *
 * DECISIONS (the README's "Log context" section says the same in users' words):
 * - Key: the user picks it in the context view (LogContextUi.tsx); the default is `clientId`, because
 *   a device's story around an entry (connect, publishes, rule runs, disconnect) is what people open
 *   context for, while a `traceId` groups one operation, a handful of entries. When the entry has no
 *   value for the chosen key, the other key is used and the response says so; with neither, the
 *   response is empty with a notice saying why (never an error thrown).
 * - Order: entries are ordered by time, then by their record's index in the input (the order AWS wrote
 *   them; tables keep ties in input order, table.ts). Backward is the `limit` entries just before the
 *   row in that order (the newest ones before it), Forward the `limit` entries just after it (the
 *   oldest ones after it). Entries at the row's very millisecond are before or after it by input order.
 *   The row itself is never part of its context. Grafana orders lines by nanoseconds: Forward lines get
 *   nanoseconds within their millisecond so that those of the row's millisecond show after it, in input
 *   order (withNanos); Backward lines of one millisecond may show in any order among themselves.
 * - Scope: every entry of the query's source, across all eventTypes; the query's filters, time range
 *   and line limit are ignored (context is about the device or the trace, as Loki keeps the stream and
 *   drops line filters). `timeWindowMs` is ignored: the neighbours are counted, not timed.
 * - Identity: a row is found by its eventType (label), its record index (the frame's `id` field) and its
 *   time; a row whose entry is no longer in the data (the source changed) gets a notice. The bundled
 *   sample moves with the query's time range, which the row does not carry: when the record is found at
 *   another time, the parse for the range that puts it at the row's time is used (the query's own,
 *   cached).
 *
 * Pure TypeScript besides @grafana/data: no React, no Grafana UI (the picker is LogContextUi.tsx).
 */
import {
  LogRowContextQueryDirection,
  type DataFrame,
  type DataQueryResponse,
  type LogRowContextOptions,
  type LogRowModel,
  type QueryResultMetaNotice,
  type ScopedVars,
} from '@grafana/data';

import { migrateQuery } from '../migrations/migrateQuery';
import { logsFrame } from '../output/logs';
import type { Selection } from '../output/types';
import type { TableResult } from '../parsing';
import { columnOf, type EventTable } from '../parsing/table';
import { LOG_FIELDS } from '../parsing/tableBuilder';
import type { IotLogsQuery } from '../types';

/** The fields a context can follow, in the order the picker offers them. */
export const CONTEXT_KEYS = ['clientId', 'traceId'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** A device's entries around a line are what context is opened for (see DECISIONS). */
export const DEFAULT_CONTEXT_KEY: ContextKey = 'clientId';

/** Entries per side when Grafana does not say (Grafana's own default). */
export const DEFAULT_CONTEXT_LIMIT = 50;
/** Most entries per side, whatever Grafana asks for (the logs output's default line limit). */
export const MAX_CONTEXT_LIMIT = 10_000;

/** What each key means, for notices and the picker. */
export const KEY_NOUNS: Record<ContextKey, string> = { clientId: 'device', traceId: 'trace' };

/**
 * The user's choice of key, owned by the data source (one per data source instance, kept for the
 * session). Its `subscribe`/`get` have useSyncExternalStore's shape.
 */
export class ContextKeyChoice {
  private key: ContextKey = DEFAULT_CONTEXT_KEY;
  private readonly listeners = new Set<() => void>();

  get = (): ContextKey => this.key;

  set = (key: ContextKey): void => {
    if (key !== this.key && (CONTEXT_KEYS as readonly string[]).includes(key)) {
      this.key = key;
      this.listeners.forEach((listener) => listener());
    }
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

// ---------------------------------------------------------------------------------------------------
// The row as Grafana gives it

/** What identifies a log line in a parse: its table, its record in the input, its time, its text. */
export interface RowRef {
  eventType?: string;
  /** 0-based index of the entry's record in the input (the logs frame's `id`). */
  record?: number;
  /** Epoch ms. */
  time: number;
  /** The entry as written (the logs frame's `body` field), when the frame has it. */
  body?: string;
}

/** What log context reads of Grafana's LogRowModel. */
export type ContextRowModel = Pick<LogRowModel, 'dataFrame' | 'rowIndex' | 'labels' | 'timeEpochMs'> &
  Partial<Pick<LogRowModel, 'rowId' | 'timeEpochNs'>>;

/** The nanoseconds of a row within its millisecond (the last 6 digits of Grafana's timeEpochNs). */
export function nanosOf(row: ContextRowModel): number {
  const ns = row.timeEpochNs;
  return typeof ns === 'string' && /^\d{7,}$/.test(ns) ? Number(ns.slice(-6)) : 0;
}

function frameValue(frame: DataFrame, name: string, index: number): unknown {
  return frame.fields.find((f) => f.name === name)?.values[index];
}

function nonEmptyText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A key's value when it names a device or trace: "N/A" (FunctionExecution's documented clientId) does not. */
function idText(value: unknown): string | undefined {
  const text = nonEmptyText(value);
  return text === 'N/A' ? undefined : text;
}

/** The row's table, record, time and text, from its labels and its frame (the logs output's fields). */
export function rowRef(row: ContextRowModel): RowRef {
  const custom = row.dataFrame.meta?.custom as { eventType?: unknown } | undefined;
  const eventType =
    nonEmptyText(row.labels?.eventType) ?? nonEmptyText(custom?.eventType) ?? nonEmptyText(row.dataFrame.name);
  const id = frameValue(row.dataFrame, LOG_FIELDS.id, row.rowIndex) ?? row.rowId;
  const record = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
  // The frame's body as the logs output made it (Grafana's `raw` may be processed for display).
  const body = nonEmptyText(frameValue(row.dataFrame, LOG_FIELDS.body, row.rowIndex));
  return {
    ...(eventType !== undefined ? { eventType } : {}),
    ...(record !== undefined && Number.isSafeInteger(record) ? { record } : {}),
    time: row.timeEpochMs,
    ...(body !== undefined ? { body } : {}),
  };
}

/** The row's clientId and traceId (labels first, then the frame's fields), where it has them. */
export function rowKeys(row: ContextRowModel): Partial<Record<ContextKey, string>> {
  const out: Partial<Record<ContextKey, string>> = {};
  for (const key of CONTEXT_KEYS) {
    const value = idText(row.labels?.[key]) ?? idText(frameValue(row.dataFrame, key, row.rowIndex));
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/** The key a context uses: the preferred one when the row has it, else the other one; none without both. */
export interface ResolvedKey {
  key: ContextKey;
  value: string;
  /** True when the preferred key is missing and the other one is used. */
  fellBack: boolean;
}

export function resolveKey(
  values: Partial<Record<ContextKey, string>>,
  preferred: ContextKey
): ResolvedKey | undefined {
  const preferredValue = values[preferred];
  if (preferredValue !== undefined) {
    return { key: preferred, value: preferredValue, fellBack: false };
  }
  const other = CONTEXT_KEYS.find((k) => k !== preferred)!;
  const otherValue = values[other];
  return otherValue !== undefined ? { key: other, value: otherValue, fellBack: true } : undefined;
}

/** What the context of a row shows, in a sentence for the context view (and the response's notices). */
export function describeContext(values: Partial<Record<ContextKey, string>>, preferred: ContextKey): string {
  const resolved = resolveKey(values, preferred);
  if (!resolved) {
    return NO_KEY_TEXT;
  }
  const shown = `entries of the same ${KEY_NOUNS[resolved.key]} (${resolved.key} ${resolved.value})`;
  return resolved.fellBack ? `This entry has no ${preferred}: showing ${shown} instead.` : `Showing ${shown}.`;
}

export const NO_KEY_TEXT =
  'This entry has neither a clientId nor a traceId: there are no entries of the same device or trace to show.';
export const NO_QUERY_TEXT =
  'The query of this entry is not known here: run the query again and open the context from its results.';
export const NO_RECORD_TEXT =
  "This line has no record index (the logs output's id field), so its place among the entries is unknown.";
export const NOT_FOUND_TEXT =
  "This entry is no longer in the query's data (its source changed since the query ran): run the query again.";

// ---------------------------------------------------------------------------------------------------
// Finding the row and its neighbours in a parse

/** A row of a parsed table. */
export interface RowAt {
  table: EventTable;
  index: number;
}

/** Orders table rows by (time, record): negative when row `i` of `table` comes before (time, record). */
function compareTo(table: EventTable, i: number, time: number, record: number): number {
  return table.time[i] - time || table.record[i] - record;
}

/** First row of `table` not before (time, record) (`after`: first row after it), by binary search. */
function boundOf(table: EventTable, time: number, record: number, after: boolean): number {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareTo(table, mid, time, record);
    if (after ? c <= 0 : c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function tablesOf(result: TableResult, eventType: string | undefined): EventTable[] {
  return eventType === undefined ? result.tables : result.tables.filter((t) => t.eventType === eventType);
}

/** The row of the parse that is `ref`: same eventType, record and time (and text, when known). */
export function findRow(result: TableResult, ref: RowRef): RowAt | undefined {
  if (ref.record === undefined) {
    return undefined;
  }
  for (const table of tablesOf(result, ref.eventType)) {
    const i = boundOf(table, ref.time, ref.record, false);
    if (
      i < table.length &&
      table.time[i] === ref.time &&
      table.record[i] === ref.record &&
      (ref.body === undefined || table.body[i] === ref.body)
    ) {
      return { table, index: i };
    }
  }
  return undefined;
}

/** The time of `ref`'s record in the parse, wherever it is (the sample moves with the time range). */
export function recordTime(result: TableResult, ref: RowRef): number | undefined {
  if (ref.record === undefined) {
    return undefined;
  }
  for (const table of tablesOf(result, ref.eventType)) {
    const i = table.record.indexOf(ref.record);
    if (i >= 0) {
      return table.time[i];
    }
  }
  return undefined;
}

/** The value of a key at a row, when it is a non-empty string. */
export function keyValueAt(at: RowAt, key: ContextKey): string | undefined {
  return idText(columnOf(at.table, key)?.values[at.index]);
}

interface Candidate {
  table: number;
  row: number;
  time: number;
  record: number;
}

function byOrder(a: Candidate, b: Candidate): number {
  return a.time - b.time || a.record - b.record;
}

/**
 * The context rows of `at`: entries of every table whose `key` equals `value`, the `limit` nearest
 * before it (Backward) or after it (Forward) in (time, record) order, as selections (rows ascending) in
 * the tables' order. Each table is in (time, record) order (table.ts), so a binary search finds where
 * the row would be and each table is walked away from it until it gives `limit` matches.
 */
export function contextSelections(
  tables: readonly EventTable[],
  at: RowAt,
  key: ContextKey,
  value: string,
  direction: LogRowContextQueryDirection,
  limit: number
): Selection[] {
  const time = at.table.time[at.index];
  const record = at.table.record[at.index];
  const backward = direction !== LogRowContextQueryDirection.Forward;
  const candidates: Candidate[] = [];
  tables.forEach((table, t) => {
    const column = columnOf(table, key);
    if (!column || column.empty) {
      return;
    }
    const values = column.values;
    let found = 0;
    if (backward) {
      for (let i = boundOf(table, time, record, false) - 1; i >= 0 && found < limit; i--) {
        if (values[i] === value && !(table === at.table && i === at.index)) {
          candidates.push({ table: t, row: i, time: table.time[i], record: table.record[i] });
          found++;
        }
      }
    } else {
      for (let i = boundOf(table, time, record, true); i < table.length && found < limit; i++) {
        if (values[i] === value && !(table === at.table && i === at.index)) {
          candidates.push({ table: t, row: i, time: table.time[i], record: table.record[i] });
          found++;
        }
      }
    }
  });
  candidates.sort(byOrder);
  const kept = backward ? candidates.slice(Math.max(0, candidates.length - limit)) : candidates.slice(0, limit);
  const rowsByTable = new Map<number, number[]>();
  for (const c of kept) {
    let rows = rowsByTable.get(c.table);
    if (!rows) {
      rows = [];
      rowsByTable.set(c.table, rows);
    }
    rows.push(c.row);
  }
  return [...rowsByTable.keys()]
    .sort((a, b) => a - b)
    .map((t) => ({ table: tables[t], rows: Int32Array.from(rowsByTable.get(t)!.sort((a, b) => a - b)) }));
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) {
    return DEFAULT_CONTEXT_LIMIT;
  }
  return Math.min(Math.floor(limit), MAX_CONTEXT_LIMIT);
}

/** The context of a row of a parse: logs frames (one per table with rows), the key used, and why. */
export interface ContextFrames {
  frames: DataFrame[];
  /** The key used, or undefined when the row has neither key. */
  resolved?: ResolvedKey;
  /** Set when the context is not what the user chose (a fallback, or none). */
  notice?: string;
}

export interface ContextFrameOptions {
  /** The refId of the frames. */
  refId?: string;
  /** The nanoseconds Grafana gives the row within its millisecond (its timeEpochNs); 0 by default. */
  refNanos?: number;
}

/**
 * Grafana orders log lines by time in nanoseconds and puts a context line after the row only when its
 * time is later (LogLineContext compares timeEpochNs): lines of the row's millisecond that come after
 * it would show before it. So Forward lines get nanoseconds within their millisecond in (time, record)
 * order, after the row's own at its millisecond; their times in milliseconds are unchanged. (Lines
 * before the row need none: at the row's millisecond they are not later than it.)
 */
function withNanos(frames: DataFrame[], selections: Selection[], refTime: number, refNanos: number): DataFrame[] {
  const lines: Array<{ frame: number; pos: number; time: number; record: number }> = [];
  selections.forEach((s, frame) => {
    s.rows!.forEach((row, pos) => lines.push({ frame, pos, time: s.table.time[row], record: s.table.record[row] }));
  });
  lines.sort((a, b) => a.time - b.time || a.record - b.record);
  const nanos = selections.map((s) => new Array<number>(s.rows!.length).fill(0));
  let next = 0;
  lines.forEach((line, i) => {
    if (i === 0 || line.time !== lines[i - 1].time) {
      next = line.time === refTime ? refNanos + 1 : 0;
    }
    nanos[line.frame][line.pos] = Math.min(next++, 999_999);
  });
  return frames.map((frame, f) => ({
    ...frame,
    fields: frame.fields.map((field, i) => (i === 0 ? { ...field, nanos: nanos[f] } : field)),
  }));
}

/**
 * The context frames of the row `at` of a parse (the pure core of getLogRowContext): the preferred key,
 * else the other one, else nothing with a notice. `limit` defaults to DEFAULT_CONTEXT_LIMIT.
 */
export function contextFrames(
  result: TableResult,
  at: RowAt,
  preferred: ContextKey,
  direction: LogRowContextQueryDirection = LogRowContextQueryDirection.Backward,
  limit?: number,
  options: ContextFrameOptions = {}
): ContextFrames {
  const values: Partial<Record<ContextKey, string>> = {};
  for (const key of CONTEXT_KEYS) {
    const value = keyValueAt(at, key);
    if (value !== undefined) {
      values[key] = value;
    }
  }
  const resolved = resolveKey(values, preferred);
  if (!resolved) {
    return { frames: [], notice: NO_KEY_TEXT };
  }
  const { refId, refNanos = 0 } = options;
  const selections = contextSelections(result.tables, at, resolved.key, resolved.value, direction, limitOf(limit));
  let frames = selections.map((s): DataFrame => ({ ...logsFrame(s), ...(refId !== undefined ? { refId } : {}) }));
  if (direction === LogRowContextQueryDirection.Forward) {
    frames = withNanos(frames, selections, at.table.time[at.index], refNanos);
  }
  return {
    frames,
    resolved,
    ...(resolved.fellBack ? { notice: describeContext(values, preferred) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// What the data source delegates to

/** DataSource.parse: the cached parse of a query's source. */
export type ParseSource = (
  query: Pick<IotLogsQuery, 'source' | 'format'>,
  options: { rangeTo?: number; scopedVars?: ScopedVars }
) => Promise<TableResult>;

function noticeFrame(text: string, severity: QueryResultMetaNotice['severity'] = 'info'): DataFrame {
  return { name: 'Log context', fields: [], length: 0, meta: { notices: [{ severity, text }] } };
}

/** A response with no entries that says why (Grafana's context view shows "No more logs available"). */
function emptyResponse(text: string): DataQueryResponse {
  return { data: [noticeFrame(text)] };
}

const CONTEXT_REF_PREFIX = 'context-';

/**
 * Log context for a data source: getLogRowContext and getLogRowContextQuery, with the user's choice of
 * key. `parse` is DataSource.parse; `now` is for tests.
 */
export class LogContext {
  readonly choice = new ContextKeyChoice();
  /** The range end whose parse last held a row (the sample moves with it); probed first next time. */
  private rangeTo?: number;

  constructor(
    private readonly parse: ParseSource,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * The parse of the query's source that holds the row, or undefined when the row is not in it. Tries
   * the last range end that held a row (else now); when the row's record is found at another time (the
   * sample, moved to another range), the range end that moves it to the row's time.
   */
  private async locate(
    query: IotLogsQuery,
    ref: RowRef,
    scopedVars: ScopedVars | undefined
  ): Promise<{ result: TableResult; at: RowAt } | undefined> {
    let rangeTo = this.rangeTo ?? this.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await this.parse(query, { rangeTo, scopedVars });
      const at = findRow(result, ref);
      if (at) {
        this.rangeTo = rangeTo;
        return { result, at };
      }
      const time = query.source.type === 'sample' ? recordTime(result, ref) : undefined;
      if (time === undefined || time === ref.time) {
        return undefined;
      }
      rangeTo += ref.time - time;
    }
    return undefined;
  }

  /** DataSourceWithLogsContextSupport.getLogRowContext: never throws; problems are notices or errors. */
  async getLogRowContext(
    row: ContextRowModel,
    options?: LogRowContextOptions,
    query?: IotLogsQuery
  ): Promise<DataQueryResponse> {
    if (!query) {
      return emptyResponse(NO_QUERY_TEXT);
    }
    if (!resolveKey(rowKeys(row), this.choice.get())) {
      return emptyResponse(NO_KEY_TEXT);
    }
    const ref = rowRef(row);
    if (ref.record === undefined) {
      return emptyResponse(NO_RECORD_TEXT);
    }
    let located: { result: TableResult; at: RowAt } | undefined;
    try {
      located = await this.locate(migrateQuery(query), ref, options?.scopedVars);
    } catch (e) {
      const message = `Log context could not read the query's source: ${e instanceof Error ? e.message : String(e)}`;
      return { data: [noticeFrame(message, 'error')], errors: [{ message }] };
    }
    if (!located) {
      return emptyResponse(NOT_FOUND_TEXT);
    }
    const { frames, notice } = contextFrames(
      located.result,
      located.at,
      this.choice.get(),
      options?.direction,
      options?.limit,
      { refId: row.dataFrame.refId ?? query.refId, refNanos: nanosOf(row) }
    );
    if (frames.length === 0) {
      return notice ? emptyResponse(notice) : { data: [] };
    }
    if (notice) {
      const meta = frames[0].meta ?? {};
      frames[0] = {
        ...frames[0],
        meta: { ...meta, notices: [...(meta.notices ?? []), { severity: 'info', text: notice }] },
      };
    }
    return { data: frames };
  }

  /**
   * DataSourceWithLogsContextSupport.getLogRowContextQuery (Explore's "Open in split view"): the query's
   * source with only the key's field filter, as log lines within the time range Explore gives the split
   * view (the context's). Null when the row has neither key or the query is unknown, and for the sample:
   * it moves to end at the split view's time range, so the same query there would show other entries.
   */
  async getLogRowContextQuery(
    row: ContextRowModel,
    _options?: LogRowContextOptions,
    query?: IotLogsQuery
  ): Promise<IotLogsQuery | null> {
    const resolved = resolveKey(rowKeys(row), this.choice.get());
    if (!query || !resolved || migrateQuery(query).source.type === 'sample') {
      return null;
    }
    return logContextQuery(query, resolved);
  }
}

/** The query that shows a key's entries: the same source, that field filter alone, log lines. */
export function logContextQuery(query: IotLogsQuery, resolved: Pick<ResolvedKey, 'key' | 'value'>): IotLogsQuery {
  const q = migrateQuery(query);
  const { limit: _limit, interval: _interval, metricField: _metricField, combineTables: _combine, ...rest } = q;
  const refId = q.refId.startsWith(CONTEXT_REF_PREFIX) ? q.refId : `${CONTEXT_REF_PREFIX}${q.refId}`;
  return {
    ...rest,
    refId,
    ignoreTimeRange: false,
    components: [],
    eventTypes: [],
    statuses: [],
    logLevels: [],
    fieldFilters: [{ field: resolved.key, op: '=', value: resolved.value }],
    topicFilters: [],
    search: '',
    output: 'logs',
    groupBy: [],
    metric: 'count',
  };
}
