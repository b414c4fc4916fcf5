import type { DataFrame } from '@grafana/data';

import { tableOf } from '../parsing/testTables';
import { codeField, groupRows } from './groups';
import { planBuckets } from './interval';
import { distinctBuckets, timeseriesOutput } from './timeseries';
import type { OutputFn, OutputOptions, OutputRange, Selection } from './types';
import { OutputError } from './values';

const S = 1000;
const M = 60 * S;
const T0 = Date.UTC(2024, 0, 1);

// Minute buckets from T0: [0] 10s 20s · [1] 65s 70s 75s 80s 85s · [2] – · [3] 190s 200s · [4] –
const connect = tableOf('Connect', [
  { timestamp: T0 + 10 * S, status: 'Success', clientId: 'a' },
  { timestamp: T0 + 20 * S, status: 'Failure', clientId: 'b' },
  { timestamp: T0 + 70 * S, status: 'Success', clientId: 'c' },
  { timestamp: T0 + 190 * S, status: 'Failure', clientId: 'b' },
]);
const disconnect = tableOf('Disconnect', [
  { timestamp: T0 + 65 * S, status: 'Success', clientId: 'a', disconnectReason: 'CLIENT_INITIATED_DISCONNECT' },
  { timestamp: T0 + 200 * S, status: 'Success', clientId: 'c' },
]);
const publish = tableOf('Publish-In', [
  { timestamp: T0 + 75 * S, status: 'Success', clientId: 'a' },
  { timestamp: T0 + 80 * S, status: 'Success', clientId: 'a' },
  { timestamp: T0 + 85 * S, status: 'Success', clientId: 'c' },
]);
const all: Selection[] = [{ table: connect }, { table: disconnect }, { table: publish }];
const FIVE_MINUTES: OutputRange = { from: T0, to: T0 + 5 * M - 1 };

function run(options: Partial<OutputOptions>, selections = all, range = FIVE_MINUTES): DataFrame[] {
  return timeseriesOutput(selections, { refId: 'A', output: 'timeseries', interval: '1m', ...options }, range);
}

/** Display name → values of each series, in frame order. */
function series(frames: DataFrame[]): Array<[string, unknown[]]> {
  return frames.map((f) => [f.fields[1].config.displayNameFromDS!, f.fields[1].values]);
}

describe('timeseriesOutput', () => {
  it('is an OutputFn', () => {
    const fn: OutputFn = timeseriesOutput;
    expect(fn).toBe(timeseriesOutput);
  });

  it('counts every entry per interval by default, empty buckets 0', () => {
    const frames = timeseriesOutput(all, { refId: 'A', output: 'timeseries' }, { ...FIVE_MINUTES, intervalMs: M });
    expect(series(frames)).toEqual([['count', [2, 5, 0, 2, 0]]]);
  });

  it('follows the dataplane timeseries-multi contract', () => {
    const [frame] = run({ groupBy: ['status'] });
    expect(frame.name).toBe('Success');
    expect(frame.refId).toBe('A');
    expect(frame.meta).toEqual({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(frame.length).toBe(5);
    const [time, value] = frame.fields;
    expect(time).toMatchObject({ name: 'time', type: 'time', config: { interval: M } });
    expect(time.values).toEqual([0, 1, 2, 3, 4].map((k) => T0 + k * M));
    expect(value).toMatchObject({
      name: 'count',
      type: 'number',
      labels: { status: 'Success' },
      config: { displayNameFromDS: 'Success' },
    });
    const [plain] = run({});
    expect(plain.fields[1].labels).toBeUndefined();
  });

  it('splits by a field, largest total first', () => {
    expect(series(run({ groupBy: ['status'] }))).toEqual([
      ['Success', [1, 5, 0, 1, 0]],
      ['Failure', [1, 0, 0, 1, 0]],
    ]);
    expect(series(run({ groupBy: ['eventType'] }))).toEqual([
      ['Connect', [2, 1, 0, 1, 0]],
      ['Publish-In', [0, 3, 0, 0, 0]],
      ['Disconnect', [0, 1, 0, 1, 0]],
    ]);
  });

  it('splits by several fields: one series per combination, ties by the values', () => {
    const frames = run({ groupBy: ['eventType', 'status'] });
    expect(series(frames)).toEqual([
      ['Publish-In Success', [0, 3, 0, 0, 0]],
      ['Connect Failure', [1, 0, 0, 1, 0]],
      ['Connect Success', [1, 1, 0, 0, 0]],
      ['Disconnect Success', [0, 1, 0, 1, 0]],
    ]);
    expect(frames[1].fields[1].labels).toEqual({ eventType: 'Connect', status: 'Failure' });
  });

  it('groups entries without the field under (none), and a field no table has too', () => {
    const frames = run({ groupBy: ['disconnectReason'] });
    expect(series(frames)).toEqual([
      ['(none)', [2, 4, 0, 2, 0]],
      ['CLIENT_INITIATED_DISCONNECT', [0, 1, 0, 0, 0]],
    ]);
    expect(frames[0].fields[1].labels).toEqual({ disconnectReason: '(none)' });
    expect(series(run({ groupBy: ['nope'] }))).toEqual([['(none)', [2, 5, 0, 2, 0]]]);
  });

  it('keeps the `limit` largest series and sums the rest into `other`, last', () => {
    const frames = run({ groupBy: ['eventType'], limit: 1 });
    expect(series(frames)).toEqual([
      ['Connect', [2, 1, 0, 1, 0]],
      ['other', [0, 4, 0, 1, 0]],
    ]);
    expect(frames[1].name).toBe('other');
    expect(frames[1].fields[1].labels).toEqual({ eventType: '(other)' });
    expect(frames[0].meta?.notices).toEqual([
      { severity: 'info', text: '2 series beyond the 1 largest are shown as "other" (raise the limit to see them).' },
    ]);
    expect(series(run({ groupBy: ['eventType'], limit: 2 })).map(([name]) => name)).toEqual([
      'Connect',
      'Publish-In',
      'other',
    ]);
    // No `other` when everything fits.
    expect(series(run({ groupBy: ['eventType'], limit: 3 })).map(([name]) => name)).toEqual([
      'Connect',
      'Publish-In',
      'Disconnect',
    ]);
    expect(run({ groupBy: ['eventType'], limit: 3 })[0].meta?.notices).toBeUndefined();
  });

  it('limits to 10 series by default', () => {
    const many = tableOf(
      'Publish-In',
      Array.from({ length: 12 }, (_, i) => ({ timestamp: T0 + i, clientId: `c${String(i).padStart(2, '0')}` }))
    );
    const frames = run({ groupBy: ['clientId'] }, [{ table: many }]);
    expect(frames).toHaveLength(11);
    expect(frames[10].name).toBe('other');
    expect(frames[10].fields[1].values).toEqual([2, 0, 0, 0, 0]);
    expect(frames.slice(0, 10).map((f) => f.name)).toEqual(Array.from({ length: 10 }, (_, i) => `c0${i}`));
  });

  it('counts distinct values of a field per interval', () => {
    expect(series(run({ metric: 'distinct', metricField: 'clientId' }))).toEqual([
      ['distinct clientId', [2, 2, 0, 2, 0]],
    ]);
    const [frame] = run({ metric: 'distinct', metricField: 'clientId' });
    expect(frame.fields[1].name).toBe('distinct clientId');
  });

  it('ranks distinct series by their distinct values, and counts `other` as distinct across the rest', () => {
    // Connect has a, b, c; Disconnect a, c; Publish-In a, c. Minute 1 of the rest: a, a, a, c → 2 (not 1 + 2).
    expect(series(run({ groupBy: ['eventType'], metric: 'distinct', metricField: 'clientId', limit: 1 }))).toEqual([
      ['Connect', [2, 1, 0, 1, 0]],
      ['other', [0, 2, 0, 1, 0]],
    ]);
  });

  it('does not count entries without the distinct field', () => {
    const t = tableOf('Publish-In', [
      { timestamp: T0, clientId: 'a' },
      { timestamp: T0 + 1 },
      { timestamp: T0 + M, topicName: 'x' },
    ]);
    expect(series(run({ metric: 'distinct', metricField: 'clientId' }, [{ table: t }]))).toEqual([
      ['distinct clientId', [1, 0, 0, 0, 0]],
    ]);
  });

  it('counts only the selected rows', () => {
    const frames = run({}, [
      { table: connect, rows: Int32Array.of(1, 3) },
      { table: publish, rows: new Int32Array(0) },
    ]);
    expect(series(frames)).toEqual([['count', [1, 0, 0, 1, 0]]]);
  });

  it('extends the buckets over entries outside the range', () => {
    const frames = run({}, all, { from: T0 + 2 * M, to: T0 + 3 * M - 1 });
    expect(frames[0].fields[0].values[0]).toBe(T0);
    expect(series(frames)).toEqual([['count', [2, 5, 0, 2]]]);
  });

  it('aligns buckets to multiples of the interval', () => {
    const frames = run({ interval: '2m' }, all, { from: T0 + 30 * S, to: T0 + 5 * M - 1 });
    expect(frames[0].fields[0].values).toEqual([T0, T0 + 2 * M, T0 + 4 * M]);
    expect(series(frames)).toEqual([['count', [7, 2, 0]]]);
  });

  it('follows the panel interval, raised so that the buckets fit maxDataPoints', () => {
    const range: OutputRange = { from: T0, to: T0 + 60 * M - 1, intervalMs: S, maxDataPoints: 100 };
    const [frame] = timeseriesOutput(all, { refId: 'A', output: 'timeseries' }, range);
    expect(frame.fields[0].config.interval).toBe(M);
    expect(frame.length).toBe(60);
    expect(frame.fields[1].values.slice(0, 5)).toEqual([2, 5, 0, 2, 0]);
    expect(frame.fields[1].values.reduce((a: number, b: number) => a + b, 0)).toBe(9);
  });

  it('uses the panel interval as it is when it is nice and fits', () => {
    const [frame] = timeseriesOutput(
      all,
      { refId: 'A', output: 'timeseries' },
      { ...FIVE_MINUTES, intervalMs: 30 * S }
    );
    expect(frame.fields[1].values).toEqual([2, 0, 5, 0, 0, 0, 2, 0, 0, 0]);
  });

  it('raises a fixed interval that would make too many buckets, and says so', () => {
    const [frame] = run({ interval: '1ms' }, all, { from: T0, to: T0 + 60 * M - 1 });
    expect(frame.fields[0].config.interval).toBe(500);
    expect(frame.meta?.notices?.[0].text).toBe(
      'The interval 1ms would give more than 10,000 points over this time span: raised to 500ms.'
    );
  });

  it('gives one all-zero series over the range for no selection or no rows', () => {
    for (const selections of [[], [{ table: connect, rows: new Int32Array(0) }]]) {
      for (const groupBy of [[], ['status']]) {
        const frames = run({ groupBy }, selections);
        expect(series(frames)).toEqual([['count', [0, 0, 0, 0, 0]]]);
        expect(frames[0].fields[0].values[0]).toBe(T0);
      }
    }
    expect(series(run({ metric: 'distinct', metricField: 'clientId' }, []))).toEqual([
      ['distinct clientId', [0, 0, 0, 0, 0]],
    ]);
  });

  it('throws an OutputError for an invalid interval or distinct without a field', () => {
    expect(() => run({ interval: 'soon' })).toThrow(OutputError);
    expect(() => run({ metric: 'distinct' })).toThrow(OutputError);
  });

  it('treats an empty interval as none', () => {
    expect(run({ interval: ' ' }, all, { ...FIVE_MINUTES, intervalMs: M })[0].length).toBe(5);
  });
});

describe('distinctBuckets', () => {
  it('gives the same counts with a set of cells as with stamps', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      timestamp: T0 + ((i * 7919) % 600) * S,
      status: i % 4 === 0 ? 'Failure' : 'Success',
      clientId: i % 13 === 0 ? null : `c${(i * 31) % 17}`,
    }));
    const selections: Selection[] = [
      { table: tableOf('Connect', rows.slice(0, 300)) },
      { table: tableOf('Disconnect', rows.slice(300)), rows: Int32Array.from({ length: 100 }, (_, k) => k * 2) },
    ];
    const grouping = groupRows(selections, ['status']);
    const field = codeField(selections, 'clientId', 'skip');
    const buckets = planBuckets({ from: T0, to: T0 + 10 * M }, undefined, M);
    const remap = Int32Array.of(0, 1);
    const stamped = distinctBuckets(selections, grouping.codes, remap, 2, field, buckets);
    const set = distinctBuckets(selections, grouping.codes, remap, 2, field, buckets, 0);
    expect(Array.from(set)).toEqual(Array.from(stamped));
    expect(stamped.reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
  });
});
