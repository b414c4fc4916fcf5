import { LogRowContextQueryDirection, type DataFrame, type DataQueryResponse, type Labels } from '@grafana/data';

import { logsFramesOf } from '../output/logs';
import { parseTables, type TableResult } from '../parsing';
import { SourceError } from '../sources';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import {
  ContextKeyChoice,
  contextFrames,
  describeContext,
  findRow,
  LogContext,
  logContextQuery,
  nanosOf,
  NO_KEY_TEXT,
  NO_QUERY_TEXT,
  NOT_FOUND_TEXT,
  resolveKey,
  rowKeys,
  rowRef,
  type ContextRowModel,
  type ParseSource,
} from './logContext';

const { Backward, Forward } = LogRowContextQueryDirection;

type Entry = Record<string, unknown> & { timestamp: string; eventType: string };

/**
 * The input, in input order (record = index). dev-1's entries by (time, record): 0, 5, 2, 4, 8, 6
 * (2, 4 and 8 share a millisecond; 5 is written after 4 but happened before it). T3 is the trace of 2,
 * 3 and 8; 3 has no clientId; 7 has neither key.
 */
const ENTRIES: Entry[] = [
  { timestamp: '2024-05-01 10:00:00.000', eventType: 'Connect', logLevel: 'INFO', clientId: 'dev-1', traceId: 'T1' },
  { timestamp: '2024-05-01 10:00:01.000', eventType: 'Publish-In', logLevel: 'INFO', clientId: 'dev-2', traceId: 'T2' },
  { timestamp: '2024-05-01 10:00:02.000', eventType: 'Publish-In', logLevel: 'INFO', clientId: 'dev-1', traceId: 'T3' },
  { timestamp: '2024-05-01 10:00:02.000', eventType: 'RuleExecution', logLevel: 'INFO', traceId: 'T3' },
  {
    timestamp: '2024-05-01 10:00:02.000',
    eventType: 'Publish-In',
    logLevel: 'ERROR',
    clientId: 'dev-1',
    traceId: 'T4',
  },
  { timestamp: '2024-05-01 10:00:01.500', eventType: 'Subscribe', logLevel: 'INFO', clientId: 'dev-1', traceId: 'T5' },
  { timestamp: '2024-05-01 10:00:05.000', eventType: 'Disconnect', logLevel: 'WARN', clientId: 'dev-1', traceId: 'T6' },
  { timestamp: '2024-05-01 10:00:03.000', eventType: 'RuleNotFound', logLevel: 'ERROR' },
  {
    timestamp: '2024-05-01 10:00:02.000',
    eventType: 'Publish-Out',
    logLevel: 'INFO',
    clientId: 'dev-1',
    traceId: 'T3',
  },
];

const text = (entries: Entry[]) => entries.map((e) => JSON.stringify(e)).join('\n');

const query = (refId = 'A'): IotLogsQuery => ({
  ...getDefaultQuery(),
  refId,
  source: { type: 'inline', content: text(ENTRIES) },
  // Filters and time range that context ignores.
  statuses: ['Failure'],
  search: 'nothing matches this',
  datasource: { type: 'seed-awsiotlogs-datasource', uid: 'iot' },
});

function parsed(entries = ENTRIES): TableResult {
  return parseTables(text(entries));
}

/** The log line of a record as Grafana gives it: a row of the logs output's frame. */
function rowOf(result: TableResult, record: number, refId = 'A'): ContextRowModel {
  for (const frame of logsFramesOf(result.tables)) {
    const ids = frame.fields.find((f) => f.name === 'id')!.values;
    const rowIndex = ids.indexOf(String(record));
    if (rowIndex >= 0) {
      return {
        dataFrame: { ...frame, refId },
        rowIndex,
        labels: frame.fields.find((f) => f.name === 'labels')!.values[rowIndex] as Labels,
        timeEpochMs: frame.fields.find((f) => f.name === 'timestamp')!.values[rowIndex] as number,
      };
    }
  }
  throw new Error(`no record ${record}`);
}

/** The records of a response's lines, in (time, record) order, as Grafana orders them. */
function records(response: DataQueryResponse | DataFrame[]): number[] {
  const frames: DataFrame[] = Array.isArray(response) ? response : response.data;
  const lines: Array<[number, number]> = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.name === 'timestamp')?.values ?? [];
    const id = frame.fields.find((f) => f.name === 'id')?.values ?? [];
    id.forEach((v, i) => lines.push([time[i] as number, Number(v)]));
  }
  return lines.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, r]) => r);
}

function notices(response: DataQueryResponse): string[] {
  return (response.data as DataFrame[]).flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text));
}

function contextOf(result = parsed()) {
  const parse = jest.fn<ReturnType<ParseSource>, Parameters<ParseSource>>(async () => result);
  return { context: new LogContext(parse, () => Date.UTC(2024, 4, 1, 12)), parse, result };
}

describe('rows as Grafana gives them', () => {
  it('reads the table, record, time and text of a line, and its keys', () => {
    const result = parsed();
    const row = rowOf(result, 4);
    expect(rowRef(row)).toEqual({
      eventType: 'Publish-In',
      record: 4,
      time: Date.UTC(2024, 4, 1, 10, 0, 2),
      body: expect.stringContaining('"T4"'),
    });
    expect(rowKeys(row)).toEqual({ clientId: 'dev-1', traceId: 'T4' });
    expect(rowKeys(rowOf(result, 3))).toEqual({ traceId: 'T3' });
    expect(rowKeys(rowOf(result, 7))).toEqual({});
    // FunctionExecution's documented clientId "N/A" names no device: its trace is the context.
    const lambda = parsed([
      { timestamp: '2024-05-01 10:00:00.000', eventType: 'FunctionExecution', clientId: 'N/A', traceId: 'T9' },
    ]);
    expect(rowKeys(rowOf(lambda, 0))).toEqual({ traceId: 'T9' });
    expect(nanosOf(row)).toBe(0);
    expect(nanosOf({ ...row, timeEpochNs: `${row.timeEpochMs}000042` })).toBe(42);
    expect(findRow(result, rowRef(row))).toEqual({
      table: expect.objectContaining({ eventType: 'Publish-In' }),
      index: 2,
    });
  });

  it('does not find a line whose record, time or text is not in the parse', () => {
    const result = parsed();
    const ref = rowRef(rowOf(result, 4));
    expect(findRow(result, { ...ref, record: 2 })).toBeUndefined();
    expect(findRow(result, { ...ref, time: ref.time + 1 })).toBeUndefined();
    expect(findRow(result, { ...ref, body: '{}' })).toBeUndefined();
    expect(findRow(result, { ...ref, record: undefined })).toBeUndefined();
  });

  it('chooses the preferred key, else the other one, and says so', () => {
    expect(resolveKey({ clientId: 'd', traceId: 't' }, 'traceId')).toEqual({
      key: 'traceId',
      value: 't',
      fellBack: false,
    });
    expect(resolveKey({ traceId: 't' }, 'clientId')).toEqual({ key: 'traceId', value: 't', fellBack: true });
    expect(resolveKey({}, 'clientId')).toBeUndefined();
    expect(describeContext({ clientId: 'dev-1' }, 'clientId')).toBe(
      'Showing entries of the same device (clientId dev-1).'
    );
    expect(describeContext({ traceId: 'T3' }, 'clientId')).toBe(
      'This entry has no clientId: showing entries of the same trace (traceId T3) instead.'
    );
    expect(describeContext({}, 'traceId')).toBe(NO_KEY_TEXT);
  });
});

describe('contextFrames', () => {
  const result = parsed();
  const at = findRow(result, rowRef(rowOf(result, 4)))!;

  it('gives the entries of the same device before and after the row, the row itself left out', () => {
    expect(records(contextFrames(result, at, 'clientId', Backward).frames)).toEqual([0, 5, 2]);
    expect(records(contextFrames(result, at, 'clientId', Forward).frames)).toEqual([8, 6]);
  });

  it('orders entries of one millisecond by input order, across tables too', () => {
    const trace = findRow(result, rowRef(rowOf(result, 3)))!;
    expect(records(contextFrames(result, trace, 'traceId', Backward).frames)).toEqual([2]);
    expect(records(contextFrames(result, trace, 'traceId', Forward).frames)).toEqual([8]);
  });

  it('keeps the limit nearest: the newest before, the oldest after', () => {
    expect(records(contextFrames(result, at, 'clientId', Backward, 2).frames)).toEqual([5, 2]);
    expect(records(contextFrames(result, at, 'clientId', Forward, 1).frames)).toEqual([8]);
    // Backward and 50 lines unless Grafana says otherwise; a limit that is no count is the default.
    expect(records(contextFrames(result, at, 'clientId').frames)).toEqual([0, 5, 2]);
    expect(records(contextFrames(result, at, 'clientId', Backward, 0).frames)).toEqual([0, 5, 2]);
  });

  it('gives logs frames, one per table with rows, with the refId asked for', () => {
    const { frames } = contextFrames(result, at, 'clientId', Backward, 50, { refId: 'A' });
    expect(frames.map((f) => f.name)).toEqual(['Connect', 'Publish-In', 'Subscribe']);
    for (const frame of frames) {
      expect(frame.refId).toBe('A');
      expect(frame.meta?.type).toBe('log-lines');
      expect(frame.meta?.preferredVisualisationType).toBe('logs');
      expect(frame.fields.map((f) => f.name).slice(0, 5)).toEqual(['timestamp', 'body', 'severity', 'id', 'labels']);
    }
  });

  it("puts lines of the row's millisecond after it, in input order, for Grafana's nanosecond ordering", () => {
    const nanosIn = (frames: DataFrame[]) => {
      const out: Record<string, number | undefined> = {};
      for (const frame of frames) {
        const [time] = frame.fields;
        frame.fields.find((f) => f.name === 'id')!.values.forEach((id, i) => (out[id] = time.nanos?.[i]));
      }
      return out;
    };
    const rec2 = findRow(result, rowRef(rowOf(result, 2)))!;
    // 4 and 8 share the row's millisecond: later than the row (Grafana compares nanoseconds), 4 before 8.
    expect(nanosIn(contextFrames(result, rec2, 'clientId', Forward).frames)).toEqual({ '4': 1, '8': 2, '6': 0 });
    expect(nanosIn(contextFrames(result, rec2, 'clientId', Forward, 50, { refNanos: 5 }).frames)).toEqual({
      '4': 6,
      '8': 7,
      '6': 0,
    });
    // Lines before the row keep Grafana's default (no nanoseconds): at its millisecond they are not later.
    expect(nanosIn(contextFrames(result, at, 'clientId', Backward).frames)).toEqual({
      '0': undefined,
      '5': undefined,
      '2': undefined,
    });
  });

  it('falls back to the other key, and gives nothing with a notice without either', () => {
    const noClient = findRow(result, rowRef(rowOf(result, 3)))!;
    const fallback = contextFrames(result, noClient, 'clientId', Forward);
    expect(records(fallback.frames)).toEqual([8]);
    expect(fallback.resolved).toEqual({ key: 'traceId', value: 'T3', fellBack: true });
    expect(fallback.notice).toMatch(/no clientId/);
    const neither = findRow(result, rowRef(rowOf(result, 7)))!;
    expect(contextFrames(result, neither, 'clientId')).toEqual({ frames: [], notice: NO_KEY_TEXT });
  });
});

describe('LogContext', () => {
  it('answers getLogRowContext from the parse of the query, ignoring its filters', async () => {
    const { context, parse, result } = contextOf();
    const row = rowOf(result, 4);
    const before = await context.getLogRowContext(row, { direction: Backward, limit: 10 }, query());
    expect(records(before)).toEqual([0, 5, 2]);
    expect(before.data.every((f: DataFrame) => f.refId === 'A')).toBe(true);
    expect(records(await context.getLogRowContext(row, { direction: Forward }, query()))).toEqual([8, 6]);
    expect(parse).toHaveBeenCalledWith(expect.objectContaining({ source: query().source }), {
      rangeTo: Date.UTC(2024, 4, 1, 12),
      scopedVars: undefined,
    });
  });

  it('follows the key the user chose, by default the device', async () => {
    const { context, result } = contextOf();
    expect(context.choice.get()).toBe('clientId');
    const row = rowOf(result, 2);
    expect(records(await context.getLogRowContext(row, { direction: Forward }, query()))).toEqual([4, 8, 6]);
    context.choice.set('traceId');
    expect(records(await context.getLogRowContext(row, { direction: Forward }, query()))).toEqual([3, 8]);
    // Nothing before: an empty response, which Grafana shows as the start of the logs.
    expect(await context.getLogRowContext(row, { direction: Backward }, query())).toEqual({ data: [] });
  });

  it('loads more from a context line as from a query line', async () => {
    const { context, result } = contextOf();
    const first = await context.getLogRowContext(rowOf(result, 4), { direction: Backward, limit: 1 }, query());
    expect(records(first)).toEqual([2]);
    const frame = first.data[0] as DataFrame;
    const contextRow: ContextRowModel = {
      dataFrame: { ...frame, refId: 'context_A_4' },
      rowIndex: 0,
      labels: frame.fields.find((f) => f.name === 'labels')!.values[0] as Labels,
      timeEpochMs: frame.fields.find((f) => f.name === 'timestamp')!.values[0] as number,
    };
    expect(records(await context.getLogRowContext(contextRow, { direction: Backward, limit: 1 }, query()))).toEqual([
      5,
    ]);
  });

  it('uses the other key when the row lacks the chosen one, and says so', async () => {
    const { context, result } = contextOf();
    const response = await context.getLogRowContext(rowOf(result, 3), { direction: Backward }, query());
    expect(records(response)).toEqual([2]);
    expect(notices(response)).toEqual([
      expect.stringMatching(/^This entry has no clientId: showing .* \(traceId T3\)/),
    ]);
  });

  it('says so instead of throwing when there is no context to give', async () => {
    const { context, parse, result } = contextOf();
    const neither = await context.getLogRowContext(rowOf(result, 7), undefined, query());
    expect(records(neither)).toEqual([]);
    expect(notices(neither)).toEqual([NO_KEY_TEXT]);
    expect(notices(await context.getLogRowContext(rowOf(result, 4), undefined, undefined))).toEqual([NO_QUERY_TEXT]);
    expect(parse).not.toHaveBeenCalled();

    // The source changed since the query ran: the line is not in the parse.
    const changed = parsed(ENTRIES.slice(1));
    const stale = await contextOf(changed).context.getLogRowContext(rowOf(result, 4), undefined, query());
    expect(notices(stale)).toEqual([NOT_FOUND_TEXT]);

    const failing = new LogContext(async () => {
      throw new SourceError('Could not fetch logs.json from the base URL (HTTP 404).');
    });
    const error = await failing.getLogRowContext(rowOf(result, 4), undefined, query());
    expect(error.errors?.[0].message).toMatch(/could not read the query's source: Could not fetch logs.json/);
    expect(records(error)).toEqual([]);
  });

  it('finds lines of the sample, which moves with the time range the row does not carry', async () => {
    const now = Date.UTC(2024, 4, 1, 12);
    const queryEnd = now - 3_600_000;
    // A source whose times move with the range end, as the sample's do.
    const moved = (rangeTo: number) =>
      parseTables(
        text(
          ENTRIES.map((e) => ({
            ...e,
            timestamp: new Date(Date.parse(`${e.timestamp.replace(' ', 'T')}Z`) + rangeTo - now)
              .toISOString()
              .replace('T', ' ')
              .replace('Z', ''),
          }))
        )
      );
    const byRangeEnd = new Map<number, TableResult>();
    const parse = jest.fn<ReturnType<ParseSource>, Parameters<ParseSource>>(async (_q, { rangeTo }) => {
      if (!byRangeEnd.has(rangeTo!)) {
        byRangeEnd.set(rangeTo!, moved(rangeTo!));
      }
      return byRangeEnd.get(rangeTo!)!;
    });
    const context = new LogContext(parse, () => now);
    const sample: IotLogsQuery = { ...query(), source: { type: 'sample' } };
    const row = rowOf(moved(queryEnd), 4);
    const response = await context.getLogRowContext(row, { direction: Forward }, sample);
    expect(records(response)).toEqual([8, 6]);
    expect(parse.mock.calls.map(([, o]) => o.rangeTo)).toEqual([now, queryEnd]);
    // The range end that held the line is tried first next time.
    await context.getLogRowContext(row, { direction: Backward }, sample);
    expect(parse.mock.calls.map(([, o]) => o.rangeTo)).toEqual([now, queryEnd, queryEnd]);
    // Other sources do not move: a line at another time is not the same line.
    const inline = contextOf(moved(now)).context;
    expect(notices(await inline.getLogRowContext(row, undefined, query()))).toEqual([NOT_FOUND_TEXT]);
  });

  it("gives Explore's split view a query of the key's entries", async () => {
    const { context, result } = contextOf();
    const q = await context.getLogRowContextQuery(rowOf(result, 4), undefined, { ...query(), limit: 100 });
    expect(q).toEqual({
      ...query(),
      refId: 'context-A',
      ignoreTimeRange: false,
      statuses: [],
      search: '',
      fieldFilters: [{ field: 'clientId', op: '=', value: 'dev-1' }],
    });
    context.choice.set('traceId');
    expect((await context.getLogRowContextQuery(rowOf(result, 4), undefined, query()))?.fieldFilters).toEqual([
      { field: 'traceId', op: '=', value: 'T4' },
    ]);
    expect(await context.getLogRowContextQuery(rowOf(result, 7), undefined, query())).toBeNull();
    expect(await context.getLogRowContextQuery(rowOf(result, 4), undefined, undefined)).toBeNull();
    // The sample moves with the split view's range: no split view query for it.
    const sample = { ...query(), source: { type: 'sample' as const } };
    expect(await context.getLogRowContextQuery(rowOf(result, 4), undefined, sample)).toBeNull();
    // Its refId does not grow when opened from a context query.
    expect(logContextQuery({ ...query(), refId: 'context-A' }, { key: 'clientId', value: 'x' }).refId).toBe(
      'context-A'
    );
  });
});

describe('ContextKeyChoice', () => {
  it('starts with the device, tells its listeners of a change, and ignores unknown keys', () => {
    const choice = new ContextKeyChoice();
    const listener = jest.fn();
    const unsubscribe = choice.subscribe(listener);
    expect(choice.get()).toBe('clientId');
    choice.set('traceId');
    choice.set('traceId');
    expect(choice.get()).toBe('traceId');
    expect(listener).toHaveBeenCalledTimes(1);
    choice.set('thingName' as never);
    expect(choice.get()).toBe('traceId');
    unsubscribe();
    choice.set('clientId');
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
