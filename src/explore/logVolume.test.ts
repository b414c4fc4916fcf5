import {
  FieldType,
  LogLevel,
  LogRowContextQueryDirection,
  SupplementaryQueryType,
  type DataFrame,
  type DataQueryRequest,
  type Labels,
  type LogRowModel,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../datasource';
import { parseTables } from '../parsing';
import { NO_VARIABLES, TEST_SETTINGS, testRequest } from '../testDataSource';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import {
  isLogVolumeQuery,
  LOG_VOLUME_REFID_PREFIX,
  logVolumeFrames,
  logVolumeQuery,
  logVolumeRequest,
  volumeLevel,
} from './logVolume';

jest.mock('../parsing', () => {
  const actual = jest.requireActual('../parsing');
  return { ...actual, parseTables: jest.fn(actual.parseTables) };
});

const parseSpy = parseTables as jest.MockedFunction<typeof parseTables>;

const settings = TEST_SETTINGS;
const templateSrv = NO_VARIABLES;

const logsQuery = (over: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  ...getDefaultQuery(),
  refId: 'A',
  source: { type: 'inline', content: '' },
  ...over,
});

/** Grafana's level of a volume frame, as Explore reads it (logsModel.ts getLogLevelFromLabels). */
function exploreLevel(frame: DataFrame): LogLevel {
  const labels = frame.fields.find((f) => f.type === FieldType.number)?.labels ?? {};
  const key = labels.detected_level ?? labels.level ?? labels.lvl ?? labels.loglevel ?? '';
  const level = LogLevel[key.toString().toLowerCase() as keyof typeof LogLevel];
  return level || LogLevel.unknown;
}

function total(frame: DataFrame): number {
  const values = frame.fields.find((f) => f.type === FieldType.number)!.values as number[];
  return values.reduce((a, b) => a + b, 0);
}

describe('logVolumeQuery', () => {
  it('is the logs query as a count of its entries by logLevel within the range, marked as a volume query', () => {
    const query = logsQuery({
      statuses: ['Failure'],
      search: 'dev-1',
      limit: 500,
      ignoreTimeRange: true,
      datasource: { type: 'seed-awsiotlogs-datasource', uid: 'iot' },
    });
    const volume = logVolumeQuery(query)!;
    const { limit: _limit, ...kept } = query;
    expect(volume).toEqual({
      ...kept,
      refId: 'log-volume-A',
      output: 'timeseries',
      groupBy: ['logLevel'],
      metric: 'count',
      limit: 100,
      ignoreTimeRange: false,
      supplementary: 'logsVolume',
    });
    expect(isLogVolumeQuery(volume)).toBe(true);
    expect(isLogVolumeQuery(query)).toBe(false);
  });

  it('is made for visible logs queries only, of any stored shape', () => {
    expect(logVolumeQuery(logsQuery({ hide: true }))).toBeUndefined();
    expect(logVolumeQuery(logsQuery({ output: 'timeseries' }))).toBeUndefined();
    expect(logVolumeQuery(logVolumeQuery(logsQuery())!)).toBeUndefined();
    // A version 0 query (pasted content at the top level) is a logs query.
    const v0 = { refId: 'B', content: '{}' } as unknown as IotLogsQuery;
    expect(logVolumeQuery(v0)).toMatchObject({ refId: 'log-volume-B', source: { type: 'inline', content: '{}' } });
  });

  it('makes the request of the logs queries, or none', () => {
    const request = requestOf(logsQuery(), logsQuery({ refId: 'B', output: 'counts' }), logsQuery({ refId: 'C' }));
    const volume = logVolumeRequest(request)!;
    expect(volume.targets.map((t) => t.refId)).toEqual(['log-volume-A', 'log-volume-C']);
    expect(volume.range).toBe(request.range);
    expect(volume.intervalMs).toBe(request.intervalMs);
    expect(volume.hideFromInspector).toBe(true);
    expect(logVolumeRequest(requestOf(logsQuery({ output: 'table' })))).toBeUndefined();
  });
});

describe('volumeLevel', () => {
  it("names AWS's levels as Grafana does, anything else unknown", () => {
    const cases: Array<[string | undefined, LogLevel]> = [
      ['ERROR', LogLevel.error],
      ['WARN', LogLevel.warning],
      ['INFO', LogLevel.info],
      ['DEBUG', LogLevel.debug],
      ['Warning', LogLevel.warning],
      [' error ', LogLevel.error],
      ['(none)', LogLevel.unknown],
      ['(other)', LogLevel.unknown],
      ['VERBOSE', LogLevel.unknown],
      ['unspecified', LogLevel.unknown],
      ['constructor', LogLevel.unknown],
      [undefined, LogLevel.unknown],
    ];
    for (const [written, level] of cases) {
      expect(volumeLevel(written)).toBe(level);
      // Explore maps the label back to the same level.
      expect(LogLevel[level as keyof typeof LogLevel]).toBe(level);
    }
  });
});

describe('logVolumeFrames', () => {
  const time = { name: 'time', type: FieldType.time, config: { interval: 60_000 }, values: [0, 60_000, 120_000] };
  const series = (logLevel: string, values: number[], refId = 'log-volume-A'): DataFrame => ({
    name: logLevel,
    refId,
    fields: [time, { name: 'count', type: FieldType.number, config: {}, labels: { logLevel }, values }],
    length: values.length,
  });

  it('gives one frame per level, most severe first, labelled and named as Explore reads them', () => {
    const frames = logVolumeFrames([
      { ...series('INFO', [1, 2, 3]), meta: { notices: [{ severity: 'info', text: 'raised interval' }] } },
      series('(none)', [0, 1, 0]),
      series('WARN', [0, 0, 4]),
      series('warn', [1, 0, 0]),
      series('ERROR', [0, 0, 0]),
      series('VERBOSE', [2, 0, 0]),
    ]);
    expect(frames.map((f) => [f.name, exploreLevel(f), f.refId, total(f)])).toEqual([
      ['warning', LogLevel.warning, 'log-volume-A', 5],
      ['info', LogLevel.info, 'log-volume-A', 6],
      ['unknown', LogLevel.unknown, 'log-volume-A', 3],
    ]);
    const value = frames[0].fields[1];
    expect(value.values).toEqual([1, 0, 4]);
    expect(value.labels).toEqual({ level: 'warning' });
    expect(value.config.displayNameFromDS).toBe('warning');
    expect(frames[0].fields[0]).toBe(time);
    expect(frames[0].meta?.notices).toEqual([{ severity: 'info', text: 'raised interval' }]);
    expect(frames[1].meta?.notices).toBeUndefined();
    // Shaping its own frames again changes nothing (the run may shape them before a test or a caller does).
    expect(logVolumeFrames(frames)).toEqual(frames);
  });

  it('gives no frame without entries, and keeps the series of different queries apart', () => {
    expect(logVolumeFrames([series('INFO', [0, 0, 0])])).toEqual([]);
    expect(logVolumeFrames([{ name: 'No entries', fields: [], length: 0 }])).toEqual([]);
    const two = logVolumeFrames([series('INFO', [1, 0, 0]), series('INFO', [0, 2, 0], 'log-volume-B')]);
    expect(two.map((f) => [f.refId, total(f)])).toEqual([
      ['log-volume-A', 1],
      ['log-volume-B', 2],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Through the data source: the volume reads the query's parse

const HOUR = 3_600_000;
const START = Date.UTC(2024, 4, 1, 10);

/** Entries over an hour: levels in known numbers, one without a level, two after the hour. */
function entries(): { content: string; inRange: Record<string, number> } {
  const levels: Array<[string | undefined, number]> = [
    ['ERROR', 7],
    ['WARN', 3],
    ['INFO', 20],
    ['DEBUG', 2],
    [undefined, 1],
  ];
  const lines: string[] = [];
  const inRange: Record<string, number> = {};
  let i = 0;
  for (const [level, n] of levels) {
    for (let k = 0; k < n; k++, i++) {
      const time = new Date(START + ((i * 97_000) % HOUR)).toISOString().replace('T', ' ').replace('Z', '');
      lines.push(
        JSON.stringify({
          timestamp: time,
          eventType: 'Publish-In',
          clientId: `dev-${i % 3}`,
          traceId: `t${i}`,
          ...(level ? { logLevel: level } : {}),
        })
      );
      const key = volumeLevel(level);
      inRange[key] = (inRange[key] ?? 0) + 1;
    }
  }
  for (const level of ['ERROR', 'INFO']) {
    const time = new Date(START + 2 * HOUR).toISOString().replace('T', ' ').replace('Z', '');
    lines.push(JSON.stringify({ timestamp: time, eventType: 'Connect', clientId: 'dev-0', logLevel: level }));
  }
  return { content: lines.join('\n'), inRange };
}

function requestOf(...targets: IotLogsQuery[]): DataQueryRequest<IotLogsQuery> {
  return testRequest(targets, {
    range: { from: START, to: START + HOUR },
    app: 'explore',
    requestId: 'explore_left',
    intervalMs: 60_000,
  });
}

describe('log volume through the data source', () => {
  beforeEach(() => parseSpy.mockClear());

  it('counts the entries of each level in the range from the parse of the logs query', async () => {
    const { content, inRange } = entries();
    const ds = new DataSource(settings, templateSrv);
    const query = logsQuery({ source: { type: 'inline', content } });
    const request = requestOf(query);

    const logs = await lastValueFrom(ds.query(request));
    expect(logs.errors).toBeUndefined();
    expect(logs.data.reduce((n: number, f: DataFrame) => n + f.length, 0)).toBe(35);

    // As Explore asks for it: the data source's supplementary request, run through query().
    expect(ds.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
    const volumeRequest = ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request)!;
    expect(volumeRequest.targets.map((t) => t.refId)).toEqual([`${LOG_VOLUME_REFID_PREFIX}A`]);
    const response = await lastValueFrom(ds.query(volumeRequest));
    expect(response.errors).toBeUndefined();
    const frames = response.data as DataFrame[];
    // The run shapes them as Explore reads them (shaping again changes nothing).
    expect(logVolumeFrames(frames).map(exploreLevel)).toEqual(frames.map(exploreLevel));

    expect(parseSpy).toHaveBeenCalledTimes(1);
    const counted = Object.fromEntries(frames.map((f) => [exploreLevel(f), total(f)]));
    expect(counted).toEqual(inRange);
    expect(counted).toEqual({ error: 7, warning: 3, info: 20, debug: 2, unknown: 1 });
    for (const frame of frames) {
      // Explore finds the logs query by stripping the prefix.
      expect(frame.refId).toBe(`${LOG_VOLUME_REFID_PREFIX}A`);
      // The request's interval: one-minute bars over the hour.
      const time = frame.fields[0].values as number[];
      expect(time[1] - time[0]).toBe(60_000);
      expect(time[0]).toBeLessThanOrEqual(START);
      expect(time[time.length - 1]).toBeGreaterThanOrEqual(START + HOUR - 60_000);
    }

    // Log context reads the same parse too.
    const frame = logs.data[0] as DataFrame;
    const row = {
      dataFrame: frame,
      rowIndex: 5,
      labels: frame.fields.find((f) => f.name === 'labels')!.values[5] as Labels,
      timeEpochMs: frame.fields.find((f) => f.name === 'timestamp')!.values[5] as number,
    };
    const around = await ds.getLogRowContext(
      row as LogRowModel,
      { direction: LogRowContextQueryDirection.Backward },
      query
    );
    expect(around.data.length).toBeGreaterThan(0);
    expect(parseSpy).toHaveBeenCalledTimes(1);
  });
});
