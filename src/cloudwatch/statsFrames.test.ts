import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom, queueScheduler } from 'rxjs';

import { fleetText, generateFleet, HOUR, MINUTE } from '../fleet/generate';
import { parseTables } from '../parsing';
import { componentOfEventType } from '../parsing/schema/registry';
import { countsOutput, groupFieldConfig } from '../output/counts';
import { formatInterval, parseInterval, planBuckets } from '../output/interval';
import { timeseriesOutput } from '../output/timeseries';
import type { OutputOptions, OutputRange, Selection } from '../output/types';
import { commonKind, OutputError, timeSpan } from '../output/values';
import type { Metric } from '../types';
import { delegate } from './delegate';
import { FakeCloudWatch, framesOfRows } from './fakeCloudWatch';
import { defaultFieldInfo, statsFrames, type StatsShape } from './statsFrames';
import { insightsTarget } from './target';
import type { CloudWatchLogsTarget } from './types';

const fleet = generateFleet({
  seed: 11,
  start: '2024-05-06T00:00:00Z',
  durationMs: 3 * HOUR,
  devices: 12,
  logLevel: 'INFO',
  problems: [
    { kind: 'storm', device: 'sensor-002', from: HOUR, to: HOUR + 5 * MINUTE },
    { kind: 'bruteForce', sourceIp: '192.0.2.66', from: 30 * MINUTE, to: 40 * MINUTE },
  ],
});
const selections: Selection[] = parseTables(fleetText(fleet)).tables.map((table) => ({ table }));
const range: OutputRange = { from: fleet.start, to: fleet.end - 1, intervalMs: MINUTE, maxDataPoints: 500 };

/** Field kinds and configs as the file path takes them from the tables. */
const fieldInfo = (name: string) => ({
  kind: commonKind(selections, name),
  config: groupFieldConfig(selections, name),
});

function request(targets: CloudWatchLogsTarget[]): DataQueryRequest<CloudWatchLogsTarget> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    targets,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId: 'stats',
    interval: '1m',
    intervalMs: MINUTE,
    maxDataPoints: 500,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

function target(refId: string, expression: string, statsGroups: string[]): CloudWatchLogsTarget {
  return insightsTarget(refId, expression, statsGroups, { cloudWatchUid: 'cw' });
}

/** The fake's answer to one stats query, through the delegation (its last emission). */
async function answer(expression: string, statsGroups: string[]): Promise<DataFrame[]> {
  const fake = new FakeCloudWatch(fleet.entries, { scheduler: queueScheduler, stepMs: 0 });
  const last = await lastValueFrom(delegate(fake, [target('A', expression, statsGroups)], request([])));
  expect(last.results[0].error).toBeUndefined();
  return last.results[0].frames;
}

function aggregate(metric: Metric, metricField?: string): string {
  return metric === 'distinct' ? `count_distinct(${metricField}) as distinct` : 'count(*) as count';
}

interface Case {
  groupBy: string[];
  metric?: Metric;
  metricField?: string;
  limit?: number;
}

describe('statsFrames: timeseries', () => {
  const interval = '5m';
  const buckets = planBuckets(range, undefined, parseInterval(interval));

  it('plans the same buckets as the file path (the entries are in the range)', () => {
    expect(buckets).toEqual(planBuckets(range, timeSpan(selections), parseInterval(interval)));
  });

  it.each<Case>([
    { groupBy: [] },
    { groupBy: ['status'] },
    { groupBy: ['eventType'], limit: 5 },
    { groupBy: ['eventType', 'status'], limit: 3 },
    { groupBy: ['reason'] },
    { groupBy: ['sourcePort'], limit: 4 },
    { groupBy: ['clientId'], limit: 1 },
    { groupBy: [], metric: 'distinct', metricField: 'clientId' },
    { groupBy: ['eventType'], metric: 'distinct', metricField: 'clientId', limit: 100 },
    { groupBy: ['status', 'protocol'], metric: 'distinct', metricField: 'sourceIp', limit: 100 },
  ])('equals the file path for %j', async ({ groupBy, metric = 'count', metricField, limit }) => {
    const options: OutputOptions = { refId: 'A', output: 'timeseries', interval, groupBy, metric, metricField, limit };
    const bin = `bin(${formatInterval(buckets.interval)})`;
    const by = [bin, ...groupBy].join(', ');
    const statsGroups = [bin, ...groupBy];
    const frames = await answer(`stats ${aggregate(metric, metricField)} by ${by}`, statsGroups);
    const shape: StatsShape = { statsGroups, buckets, describe: fieldInfo };
    if (metric === 'distinct' && groupBy.length > 0) {
      // Series rank by their distinct values over the whole span: the same stats without bin(…).
      shape.totals = await answer(`stats ${aggregate(metric, metricField)} by ${groupBy.join(', ')}`, groupBy);
    }
    const expected = timeseriesOutput(selections, options, range);
    expect(statsFrames(frames, options, shape)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('reads the frames whatever their split and order (one frame per group, shuffled, or one frame)', async () => {
    const options: OutputOptions = { refId: 'A', output: 'timeseries', interval, groupBy: ['eventType'], limit: 4 };
    const statsGroups = ['bin(5m)', 'eventType'];
    const frames = await answer('stats count(*) as count by bin(5m), eventType', statsGroups);
    expect(frames.length).toBeGreaterThan(1);
    const expected = timeseriesOutput(selections, options, range);
    const shape = { statsGroups, buckets, describe: fieldInfo };
    expect(statsFrames([...frames].reverse(), options, shape)).toEqual(expected);
    // The rows in one frame (no statsGroups sent): still the same.
    const rows = frames.flatMap((f) =>
      Array.from({ length: f.length }, (_, i) =>
        f.fields.map((field) => ({ field: field.name, value: cell(field, i) }))
      )
    );
    expect(statsFrames(framesOfRows(rows, [], 'Complete', 'A'), options, shape)).toEqual(expected);
  });

  it('reads the synchronous shape too: group fields dropped, their values in labels', async () => {
    const options: OutputOptions = { refId: 'A', output: 'timeseries', interval, groupBy: ['status'] };
    const statsGroups = ['bin(5m)', 'status'];
    const frames = (await answer('stats count(*) as count by bin(5m), status', statsGroups)).map((f) => {
      const status = f.fields.find((x) => x.name === 'status')!.values[0] as string;
      return {
        ...f,
        fields: f.fields
          .filter((x) => x.name !== 'status')
          .map((x) => (x.type === 'number' ? { ...x, labels: { status }, config: { displayNameFromDS: status } } : x)),
      };
    });
    expect(statsFrames(frames, options, { statsGroups, buckets, describe: fieldInfo })).toEqual(
      timeseriesOutput(selections, options, range)
    );
  });

  it('gives an all-zero series for an empty answer, like the file path without entries', () => {
    const options: OutputOptions = { refId: 'A', output: 'timeseries', interval, groupBy: ['status'] };
    expect(statsFrames([], options, { statsGroups: ['bin(5m)', 'status'], buckets })).toEqual(
      timeseriesOutput([], options, range)
    );
  });

  it('says when distinct `other` adds up series, and when rows fall outside the buckets', async () => {
    const options: OutputOptions = {
      refId: 'A',
      output: 'timeseries',
      groupBy: ['eventType'],
      metric: 'distinct',
      metricField: 'clientId',
      limit: 2,
    };
    const frames = await answer('stats count_distinct(clientId) as distinct by bin(5m), eventType', [
      'bin(5m)',
      'eventType',
    ]);
    const short = { ...buckets, count: 6 };
    const out = statsFrames(frames, options, {
      statsGroups: ['bin(5m)', 'eventType'],
      buckets: short,
      describe: fieldInfo,
    });
    expect(out).toHaveLength(3);
    const texts = out[0].meta!.notices!.map((n) => n.text);
    expect(texts.some((t) => t.includes('"other" adds up the distinct clientId values'))).toBe(true);
    expect(texts.some((t) => /rows? of the Logs Insights answer fell outside/.test(t))).toBe(true);
  });

  it('warns when the answer reaches the row cap', () => {
    const n = 10_000;
    const frame = framesOfRows(
      Array.from({ length: n }, (_, i) => [
        { field: 'bin(5m)', value: '2024-05-06 00:00:00.000' },
        { field: 'clientId', value: `c${i}` },
        { field: 'count', value: '1' },
      ]),
      [],
      'Complete',
      'A'
    );
    const options: OutputOptions = { refId: 'A', output: 'timeseries', groupBy: ['clientId'] };
    const out = statsFrames(frame, options, { statsGroups: ['bin(5m)', 'clientId'], buckets });
    expect(out[0].meta!.notices!.some((n) => n.severity === 'warning' && n.text.includes('at most 10,000 rows'))).toBe(
      true
    );
  });

  it('refuses a shape that does not fit the options', () => {
    const options: OutputOptions = { refId: 'A', output: 'timeseries', groupBy: ['status'] };
    expect(() => statsFrames([], options, { statsGroups: ['bin(5m)'], buckets })).toThrow(OutputError);
    expect(() => statsFrames([], options, { statsGroups: ['bin(5m)', 'status'] })).toThrow(OutputError);
    expect(() => statsFrames([], { refId: 'A', output: 'logs' }, { statsGroups: [] })).toThrow(OutputError);
  });
});

describe('statsFrames: counts', () => {
  it.each<Case>([
    { groupBy: [] },
    { groupBy: ['status'] },
    { groupBy: ['eventType', 'status'], limit: 4 },
    { groupBy: ['clientId'], limit: 100 },
    { groupBy: ['sourcePort'], limit: 3 },
    { groupBy: ['reason', 'protocol'] },
    { groupBy: ['eventType'], metric: 'distinct', metricField: 'clientId' },
    { groupBy: ['status'], metric: 'distinct', metricField: 'sourceIp', limit: 1 },
  ])('equals the file path for %j', async ({ groupBy, metric = 'count', metricField, limit }) => {
    const options: OutputOptions = { refId: 'A', output: 'counts', groupBy, metric, metricField, limit };
    const statsGroups = groupBy.length > 0 ? groupBy : ['eventType'];
    const frames = await answer(`stats ${aggregate(metric, metricField)} by ${statsGroups.join(', ')}`, statsGroups);
    expect(statsFrames(frames, options, { statsGroups, describe: fieldInfo })).toEqual(
      countsOutput(selections, options, range)
    );
  });

  it('maps values (component from eventType) and reads one answer field twice', async () => {
    const options: OutputOptions = { refId: 'A', output: 'counts', groupBy: ['component', 'eventType'], limit: 100 };
    const frames = await answer('stats count(*) as count by eventType', ['eventType']);
    const shape: StatsShape = {
      statsGroups: ['eventType'],
      groupFields: ['eventType', 'eventType'],
      mapValues: { component: (raw) => componentOfEventType(String(raw)) },
      describe: fieldInfo,
    };
    expect(statsFrames(frames, options, shape)).toEqual(countsOutput(selections, options, range));
  });

  it('takes kinds and descriptions from the schema by default', async () => {
    const options: OutputOptions = { refId: 'A', output: 'counts', groupBy: ['sourcePort', 'status'] };
    const frames = await answer('stats count(*) as count by sourcePort, status', ['sourcePort', 'status']);
    const [frame] = statsFrames(frames, options, { statsGroups: ['sourcePort', 'status'] });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['sourcePort', 'number'],
      ['status', 'string'],
      ['count', 'number'],
    ]);
    expect(frame).toEqual(countsOutput(selections, options, range)[0]);
    expect(defaultFieldInfo('eventType')).toEqual({
      kind: 'string',
      config: { description: 'The event type for which the log was generated.' },
    });
    expect(defaultFieldInfo('noSuchField')).toEqual({ kind: 'string', config: {}, undocumented: true });
  });
});

function cell(field: DataFrame['fields'][number], i: number): string {
  const v = field.values[i];
  return field.type === 'time' ? new Date(v as number).toISOString().replace('T', ' ').slice(0, 23) : String(v);
}
