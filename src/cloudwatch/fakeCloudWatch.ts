/**
 * A fake Grafana CloudWatch data source for tests (only tests import this file). It answers Logs
 * Insights targets over entries given to it the way the real one does (grafana/grafana-cloudwatch-datasource:
 * src/query-runner/CloudWatchLogsQueryRunner.ts for the emissions, pkg/cloudwatch/log_query.go and
 * log_actions.go for the frames):
 *
 * - `query()` returns an Observable: when every target is refused at start, one `Done` emission with the
 *   errors; otherwise a `Loading` emission per step (status Scheduled with no rows, then Running with a
 *   growing part of the rows) and a last `Done` one (Complete, every row). Every emission has
 *   `key: 'test-key'` and the whole result so far of every target. Emissions are scheduled `stepMs`
 *   apart on the given scheduler (tests pass a VirtualTimeScheduler: no wall clock).
 * - Frames as the backend makes them: the rows as AWS returns them (every value a string, absent fields
 *   left out, `@ptr` last), then fields in first-seen order, `@timestamp` a time field with display name
 *   Time, the hidden string fields `__log__grafana_internal__` / `__logstream__grafana_internal__`, a
 *   field whose first value reads `YYYY-MM-DD HH:mm:ss.SSS` a time, a statsGroups field a string, a
 *   field whose first value is numeric a number (accountId and jobId "002" become numbers; a later
 *   non-numeric value turns the field into strings), `@ptr` removed, rows sorted by time ascending,
 *   frame named by the refId, `meta.custom.Status`, `meta.stats` (bytes/records scanned, records matched).
 * - Stats answers split into one frame per group when they have a time field, named by the group's
 *   string values concatenated, every field kept, in an order that is neither sorted nor first-seen
 *   (the real one uses Go map order).
 * - At most INSIGHTS_ROW_CAP rows per target.
 *
 * Query language understood (only what the plugin writes): `fields a, b, …` (the entries' attributes,
 * nested ones dotted), `sort @timestamp asc|desc` (default desc), `limit N`, and one
 * `stats count(*) [as name] | count_distinct(field) [as name] by bin(X) [as name], field [as name], …`.
 * NOT evaluated: `filter`, `parse`, `display`, `dedup` and anything else: every entry in the time range
 * matches (tests give the fake the entries a query selects). Entries lacking a group-by field form a
 * group with the field absent from its row (assumed to be what Logs Insights does). count_distinct is
 * exact here; AWS's is approximate for high-cardinality fields.
 *
 * Not emulated: retries of throttled starts, the data links the real one adds to every field, polling
 * intervals, the logs timeout clock (script it with `fail('timeout')`), SQL and PPL, `@ingestionTime`.
 *
 * Every call is recorded (request id, targets, emissions) with whether it was unsubscribed before it
 * completed (cancellation reached it: the real one stops the AWS queries then). Errors are scriptable:
 * `fail(kind, refId?)`.
 */
import {
  LoadingState,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type Field,
  type FieldType,
} from '@grafana/data';
import { asyncScheduler, Observable, type SchedulerAction, type SchedulerLike } from 'rxjs';

import { parseInterval } from '../output/interval';
import type { CloudWatchApi } from './delegate';
import { passes, splitCommands } from './fakeFilter';
import { DEFAULT_LOG_GROUP, INSIGHTS_ROW_CAP, type CloudWatchLogsTarget } from './types';

export const LOG_INTERNAL = '__log__grafana_internal__';
export const LOGSTREAM_INTERNAL = '__logstream__grafana_internal__';

/** An entry in the fake's log group: its raw message (text or an object), time and stream. */
export interface FakeEntry {
  /** The raw entry (AWS IoT JSON text); an object is stored as its JSON. */
  message: string | object;
  /** Epoch ms; default: the entry's `timestamp` attribute (UTC). */
  time?: number;
  logStream?: string;
}

/** Scriptable failures. Per target unless noted. */
export type FakeFailure =
  /** StartQuery refused: MalformedQueryException in `errors` with the refId, no frames. */
  | 'invalid-query'
  /** StartQuery refused: AccessDeniedException. */
  | 'access-denied'
  /** The data source's logs timeout: partial rows, Status Cancelled and an error of type timeout. */
  | 'timeout'
  /** AWS's Timeout status: partial rows, Status Timeout, Done. */
  | 'timeout-status'
  /** Status Failed, partial rows. */
  | 'failed-status'
  /** Status Cancelled, partial rows. */
  | 'cancelled-status'
  /** The whole call: query() throws. */
  | 'throw'
  /** The whole call: the HTTP request is refused (403), an Observable error. */
  | 'http-403';

export interface FakeCall {
  request: DataQueryRequest<CloudWatchLogsTarget>;
  requestId: string;
  targets: CloudWatchLogsTarget[];
  /** The responses emitted so far. */
  emissions: DataQueryResponse[];
  /** True once the last response is emitted. */
  completed: boolean;
  /** True when the subscriber unsubscribed before the last emission (the real one stops the AWS query). */
  unsubscribed: boolean;
}

export interface FakeCloudWatchOptions {
  name?: string;
  /** Loading emissions before Done (default 2: Scheduled, then Running with half the rows). */
  loadingSteps?: number;
  stepMs?: number;
  scheduler?: SchedulerLike;
  accountId?: string;
}

interface StoredEntry {
  message: string;
  time: number;
  logStream: string;
  /** The entry's attributes flattened (nested ones dotted), as Logs Insights discovers them; undefined: not JSON. */
  attributes?: Map<string, string>;
}

/** An AWS result row: every value a string, absent fields left out. */
type ResultRow = Array<{ field: string; value: string }>;

const CW_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/** Epoch ms as CloudWatch writes times: `YYYY-MM-DD HH:mm:ss.SSS` (UTC). */
export function cloudWatchTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === null || value === undefined) {
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, prefix ? `${prefix}.${key}` : key, out);
    }
    return;
  }
  out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
}

function storeEntry(entry: FakeEntry | string, index: number): StoredEntry | undefined {
  const e: FakeEntry = typeof entry === 'string' ? { message: entry } : entry;
  const message = typeof e.message === 'string' ? e.message : JSON.stringify(e.message);
  let attributes: Map<string, string> | undefined;
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed && typeof parsed === 'object') {
      attributes = new Map();
      flatten(parsed, '', attributes);
    }
  } catch {
    attributes = undefined;
  }
  const stamp = attributes?.get('timestamp');
  const time = e.time ?? (stamp !== undefined ? Date.parse(`${stamp.replace(' ', 'T')}Z`) : NaN);
  if (!Number.isFinite(time)) {
    return undefined;
  }
  return { message, time, logStream: e.logStream ?? `stream-${index % 3}`, attributes };
}

interface StatsSpec {
  aggregate: { fn: 'count' | 'count_distinct'; field?: string; name: string };
  groups: Array<{ bin?: number; field?: string; name: string }>;
}

/** `expr [as name]` → the expression and the result field's name. */
function aliased(text: string): { expr: string; name: string } {
  const m = /^(.*?)\s+as\s+([\w.@]+)\s*$/i.exec(text.trim());
  return m ? { expr: m[1].trim(), name: m[2] } : { expr: text.trim(), name: text.trim() };
}

function parseStats(command: string): StatsSpec {
  const body = command.replace(/^stats\s+/i, '');
  const [aggText, byText] = body.split(/\s+by\s+/i);
  const agg = aliased(aggText);
  let aggregate: StatsSpec['aggregate'];
  const distinct = /^count_distinct\s*\(\s*([\w.@]+)\s*\)$/i.exec(agg.expr);
  if (/^count\s*\(\s*\*?\s*\)$/i.test(agg.expr)) {
    aggregate = { fn: 'count', name: agg.name };
  } else if (distinct) {
    aggregate = { fn: 'count_distinct', field: distinct[1], name: agg.name };
  } else {
    throw new Error(`the fake knows count(*) and count_distinct(field), not ${agg.expr}`);
  }
  const groups = (byText ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '')
    .map((g) => {
      const { expr, name } = aliased(g);
      const bin = /^bin\s*\(\s*([^)]+)\)$/i.exec(expr);
      return bin ? { bin: parseInterval(bin[1]), name } : { field: expr, name };
    });
  return { aggregate, groups };
}

function statsRows(entries: readonly StoredEntry[], spec: StatsSpec): ResultRow[] {
  const cells = new Map<string, { row: ResultRow; count: number; distinct: Set<string> }>();
  for (const entry of entries) {
    const row: ResultRow = [];
    for (const g of spec.groups) {
      if (g.bin !== undefined) {
        row.push({ field: g.name, value: cloudWatchTime(Math.floor(entry.time / g.bin) * g.bin) });
      } else {
        const value = entry.attributes?.get(g.field!);
        if (value !== undefined) {
          row.push({ field: g.name, value });
        }
      }
    }
    const key = JSON.stringify(spec.groups.map((g) => row.find((c) => c.field === g.name)?.value ?? null));
    let cell = cells.get(key);
    if (!cell) {
      cell = { row, count: 0, distinct: new Set() };
      cells.set(key, cell);
    }
    cell.count++;
    const v = spec.aggregate.field !== undefined ? entry.attributes?.get(spec.aggregate.field) : undefined;
    if (v !== undefined) {
      cell.distinct.add(v);
    }
  }
  return [...cells.values()].map((cell) => [
    ...cell.row,
    {
      field: spec.aggregate.name,
      value: String(spec.aggregate.fn === 'count' ? cell.count : cell.distinct.size),
    },
  ]);
}

function entryRows(
  entries: readonly StoredEntry[],
  commandsOf: string[],
  logGroup: string,
  accountId: string
): ResultRow[] {
  const fields: string[] = [];
  let descending = true;
  let limit = INSIGHTS_ROW_CAP;
  for (const command of commandsOf) {
    const fieldsCmd = /^fields\s+(.*)$/i.exec(command);
    if (fieldsCmd) {
      for (const f of fieldsCmd[1].split(',')) {
        const name = aliased(f).name;
        if (name !== '' && !fields.includes(name)) {
          fields.push(name);
        }
      }
      continue;
    }
    const sort = /^sort\s+@timestamp(?:\s+(asc|desc))?$/i.exec(command);
    if (sort) {
      descending = (sort[1] ?? 'desc').toLowerCase() === 'desc';
      continue;
    }
    const lim = /^limit\s+(\d+)$/i.exec(command);
    if (lim) {
      limit = Math.min(Number(lim[1]), INSIGHTS_ROW_CAP);
    }
  }
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (descending ? b.e.time - a.e.time : a.e.time - b.e.time) || a.i - b.i)
    .slice(0, limit);
  const log = `${accountId}:${logGroup}`;
  return ordered.map(({ e, i }) => {
    const row: ResultRow = [
      { field: '@timestamp', value: cloudWatchTime(e.time) },
      { field: LOG_INTERNAL, value: log },
      { field: LOGSTREAM_INTERNAL, value: e.logStream },
    ];
    for (const name of fields) {
      let value: string | undefined;
      switch (name) {
        case '@timestamp':
          continue;
        case '@message':
          value = e.message;
          break;
        case '@logStream':
          value = e.logStream;
          break;
        case '@log':
          value = log;
          break;
        default:
          value = e.attributes?.get(name);
      }
      if (value !== undefined) {
        row.push({ field: name, value });
      }
    }
    row.push({ field: '@ptr', value: `ptr-${i}` });
    return row;
  });
}

/** Rows → the backend's frame (logsResultsToDataframes), then its split by statsGroups (groupResponseFrame). */
export function framesOfRows(
  rows: readonly ResultRow[],
  statsGroups: readonly string[],
  status: string,
  refId: string
): DataFrame[] {
  const names: string[] = [];
  const kinds = new Map<string, 'time' | 'number' | 'string'>();
  for (const row of rows) {
    for (const { field, value } of row) {
      if (field === '@ptr') {
        continue;
      }
      if (!kinds.has(field)) {
        names.push(field);
        kinds.set(
          field,
          CW_TIME.test(value) || field === '@timestamp'
            ? 'time'
            : statsGroups.includes(field)
              ? 'string'
              : value.trim() !== '' && Number.isFinite(Number(value))
                ? 'number'
                : 'string'
        );
      } else if (kinds.get(field) === 'number' && !(value.trim() !== '' && Number.isFinite(Number(value)))) {
        kinds.set(field, 'string');
      }
    }
  }
  const order = rows.map((_, i) => i);
  const timeName = names.find((n) => kinds.get(n) === 'time');
  const timeAt = (i: number) => {
    const v = rows[i].find((c) => c.field === timeName)?.value;
    return v === undefined ? Infinity : Date.parse(`${v.replace(' ', 'T')}Z`);
  };
  if (timeName) {
    order.sort((a, b) => timeAt(a) - timeAt(b) || a - b);
  }
  const fields: Field[] = names.map((name) => {
    const kind = kinds.get(name)!;
    const values = order.map((i) => {
      const v = rows[i].find((c) => c.field === name)?.value;
      if (v === undefined) {
        return null;
      }
      return kind === 'time' ? Date.parse(`${v.replace(' ', 'T')}Z`) : kind === 'number' ? Number(v) : v;
    });
    const config =
      name === '@timestamp'
        ? { displayName: 'Time' }
        : name === LOG_INTERNAL || name === LOGSTREAM_INTERNAL
          ? { custom: { hidden: true } }
          : {};
    return { name, type: kind as FieldType, config, values };
  });
  const meta = {
    custom: { Status: status },
    stats: [
      { displayName: 'Bytes scanned', value: rows.length * 512 },
      { displayName: 'Records scanned', value: rows.length },
      { displayName: 'Records matched', value: rows.length },
    ],
  };
  const frame: DataFrame = { name: refId, refId, fields, length: order.length, meta };
  if (!timeName) {
    return [frame];
  }
  if (statsGroups.length === 0 || fields.length === 0) {
    return [{ ...frame, meta: { ...meta, preferredVisualisationType: 'logs' } }];
  }
  const groupFields = fields.filter((f) => statsGroups.includes(f.name) && f.type === 'string');
  const byKey = new Map<string, number[]>();
  for (let r = 0; r < frame.length; r++) {
    const key = groupFields.map((f) => (f.values[r] === null ? '' : String(f.values[r]))).join('');
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  // Neither sorted nor first-seen: the real one iterates a Go map.
  return [...byKey.entries()].reverse().map(([key, rowsOfKey]) => ({
    name: key,
    refId,
    meta,
    length: rowsOfKey.length,
    fields: fields.map((f) => ({ ...f, values: rowsOfKey.map((r) => f.values[r]) })),
  }));
}

const MALFORMED =
  'failed to execute log action with subtype: StartQuery: operation error CloudWatch Logs: StartQuery, https response ' +
  'error StatusCode: 400, RequestID: 5b7e61c2-0d6a-4c5e-9a57-3f1f2a7c9e10, MalformedQueryException: unexpected symbol ' +
  'found | at line 1 and position 42';

const ACCESS_DENIED =
  'failed to execute log action with subtype: StartQuery: operation error CloudWatch Logs: StartQuery, https response ' +
  'error StatusCode: 400, RequestID: 0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5, api error AccessDeniedException: User: ' +
  'arn:aws:iam::123456789012:user/grafana is not authorized to perform: logs:StartQuery on resource: ' +
  'arn:aws:logs:eu-west-1:123456789012:log-group:AWSIotLogsV2:* because no identity-based policy allows the ' +
  'logs:StartQuery action';

/** The fake CloudWatch data source. */
export class FakeCloudWatch implements CloudWatchApi {
  readonly name: string;
  readonly calls: FakeCall[] = [];
  private readonly entries: StoredEntry[];
  private readonly failures: Array<{ kind: FakeFailure; refId?: string }> = [];
  private readonly loadingSteps: number;
  private readonly stepMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly accountId: string;

  constructor(entries: ReadonlyArray<FakeEntry | string>, options: FakeCloudWatchOptions = {}) {
    this.name = options.name ?? 'CloudWatch';
    this.entries = entries.map(storeEntry).filter((e): e is StoredEntry => e !== undefined);
    this.loadingSteps = Math.max(0, options.loadingSteps ?? 2);
    this.stepMs = options.stepMs ?? 100;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.accountId = options.accountId ?? '123456789012';
  }

  /** Scripts a failure for every later call: of the target `refId`, or of every target. */
  fail(kind: FakeFailure, refId?: string): this {
    this.failures.push({ kind, refId });
    return this;
  }

  private failureOf(refId: string): FakeFailure | undefined {
    return this.failures.find((f) => f.refId === undefined || f.refId === refId)?.kind;
  }

  /** The complete answer of one target (rows as AWS returns them), or the StartQuery error. */
  private answer(
    target: CloudWatchLogsTarget,
    from: number,
    to: number
  ): { rows: ResultRow[]; statsGroups: string[] } | { error: string } {
    const cmds = splitCommands(target.expression);
    const stats = cmds.find((c) => /^stats\s/i.test(c));
    try {
      // `filter` commands before the stats are evaluated (fakeFilter.ts); those after it are not written
      const conditions = cmds
        .slice(0, stats ? cmds.indexOf(stats) : cmds.length)
        .filter((c) => /^filter\s/i.test(c))
        .map((c) => c.replace(/^filter\s+/i, ''));
      const inRange = this.entries.filter(
        (e) =>
          e.time >= Math.floor(from / 1000) * 1000 &&
          e.time <= Math.ceil(to / 1000) * 1000 &&
          conditions.every((c) => passes(c, e))
      );
      if (stats) {
        const spec = parseStats(stats);
        return { rows: statsRows(inRange, spec).slice(0, INSIGHTS_ROW_CAP), statsGroups: target.statsGroups ?? [] };
      }
      const logGroup = target.logGroups?.[0]?.name || DEFAULT_LOG_GROUP;
      return { rows: entryRows(inRange, cmds, logGroup, this.accountId), statsGroups: target.statsGroups ?? [] };
    } catch (e) {
      return {
        error: MALFORMED.replace(/MalformedQueryException: .*$/, `MalformedQueryException: ${(e as Error).message}`),
      };
    }
  }

  query(request: DataQueryRequest<CloudWatchLogsTarget>): Observable<DataQueryResponse> {
    const call: FakeCall = {
      request,
      requestId: request.requestId,
      targets: [...request.targets],
      emissions: [],
      completed: false,
      unsubscribed: false,
    };
    this.calls.push(call);
    const whole = this.failures.find((f) => f.refId === undefined && (f.kind === 'throw' || f.kind === 'http-403'));
    if (whole?.kind === 'throw') {
      throw new Error('CloudWatch data source exploded');
    }
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const steps = this.planSteps(request.targets, from, to);

    return new Observable<DataQueryResponse>((subscriber) => {
      if (whole?.kind === 'http-403') {
        const error = { status: 403, statusText: 'Forbidden', data: { message: 'Access denied to this data source' } };
        const action = this.scheduler.schedule(() => subscriber.error(error), this.stepMs);
        return () => action.unsubscribe();
      }
      let k = 0;
      const delay = this.stepMs;
      const action = this.scheduler.schedule(function (this: SchedulerAction<unknown>) {
        const response = steps[k];
        k++;
        // Like the real one, nothing is left to stop once the last answer is out.
        call.completed = k === steps.length;
        call.emissions.push(response);
        subscriber.next(response);
        if (!call.completed) {
          this.schedule(undefined, delay);
        } else {
          subscriber.complete();
        }
      }, delay);
      return () => {
        if (!call.completed) {
          call.unsubscribed = true;
        }
        action.unsubscribe();
      };
    });
  }

  /** Every emission of a call, computed up front. */
  private planSteps(targets: readonly CloudWatchLogsTarget[], from: number, to: number): DataQueryResponse[] {
    const startErrors: DataQueryError[] = [];
    const running: Array<{
      target: CloudWatchLogsTarget;
      rows: ResultRow[];
      statsGroups: string[];
      failure?: FakeFailure;
    }> = [];
    for (const target of targets) {
      const failure = this.failureOf(target.refId);
      if (failure === 'invalid-query') {
        startErrors.push({ refId: target.refId, message: MALFORMED });
        continue;
      }
      if (failure === 'access-denied') {
        startErrors.push({ refId: target.refId, message: ACCESS_DENIED });
        continue;
      }
      const answer = this.answer(target, from, to);
      if ('error' in answer) {
        startErrors.push({ refId: target.refId, message: answer.error });
        continue;
      }
      running.push({ target, ...answer, failure });
    }
    if (running.length === 0) {
      return [{ data: [], key: 'test-key', state: LoadingState.Done, errors: startErrors }];
    }
    const steps: DataQueryResponse[] = [];
    const total = this.loadingSteps + 1;
    for (let s = 1; s <= total; s++) {
      const last = s === total;
      const data: DataFrame[] = [];
      const errors = [...startErrors];
      for (const r of running) {
        const partial = Math.floor((r.rows.length * (s - 1)) / total);
        let status = s === 1 ? 'Scheduled' : 'Running';
        let rows = r.rows.slice(0, partial);
        if (last) {
          switch (r.failure) {
            case 'timeout':
              status = 'Cancelled';
              errors.push({
                refId: r.target.refId,
                type: 'timeout' as DataQueryError['type'],
                message: `Error: Query hit timeout before completing after ${total} attempts, partial results may be shown. To increase the timeout window update your datasource configuration.`,
              });
              break;
            case 'timeout-status':
              status = 'Timeout';
              break;
            case 'failed-status':
              status = 'Failed';
              break;
            case 'cancelled-status':
              status = 'Cancelled';
              break;
            default:
              status = 'Complete';
              rows = r.rows;
          }
        }
        data.push(...framesOfRows(rows, r.statsGroups, status, r.target.refId));
      }
      steps.push({ data, key: 'test-key', state: last ? LoadingState.Done : LoadingState.Loading, errors });
    }
    return steps;
  }
}
