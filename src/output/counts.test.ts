import type { DataFrame } from '@grafana/data';

import type { EventTable } from '../parsing/table';
import { tableOf } from '../parsing/testTables';
import { countsOutput } from './counts';
import type { OutputFn, OutputOptions, Selection } from './types';
import { OutputError } from './values';

const S = 1000;
const T0 = Date.UTC(2024, 0, 1);
const RANGE = { from: T0, to: T0 + 300 * S };

const connect = tableOf('Connect', [
  { timestamp: T0 + 10 * S, status: 'Success', clientId: 'a', sourcePort: 443 },
  { timestamp: T0 + 20 * S, status: 'Failure', clientId: 'b', sourcePort: 8883 },
  { timestamp: T0 + 70 * S, status: 'Success', clientId: 'c', sourcePort: 443 },
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

function run(options: Partial<OutputOptions>, selections = all): DataFrame {
  const frames = countsOutput(selections, { refId: 'B', output: 'counts', ...options }, RANGE);
  expect(frames).toHaveLength(1);
  return frames[0];
}

/** The frame as rows of values. */
function rows(frame: DataFrame): unknown[][] {
  return Array.from({ length: frame.length }, (_, i) => frame.fields.map((f) => f.values[i]));
}

describe('countsOutput', () => {
  it('is an OutputFn', () => {
    const fn: OutputFn = countsOutput;
    expect(fn).toBe(countsOutput);
  });

  it('counts entries per eventType by default, in the numeric long format', () => {
    const frame = run({});
    expect(frame.name).toBe('counts');
    expect(frame.refId).toBe('B');
    expect(frame.meta).toEqual({ type: 'numeric-long', typeVersion: [0, 1], preferredVisualisationType: 'table' });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['eventType', 'string'],
      ['count', 'number'],
    ]);
    expect(rows(frame)).toEqual([
      ['Connect', 4],
      ['Publish-In', 3],
      ['Disconnect', 2],
    ]);
  });

  it('counts by any field, count descending', () => {
    expect(rows(run({ groupBy: ['clientId'] }))).toEqual([
      ['a', 4],
      ['c', 3],
      ['b', 2],
    ]);
    expect(rows(run({ groupBy: ['status'] }))).toEqual([
      ['Success', 7],
      ['Failure', 2],
    ]);
  });

  it('counts by several fields, one row per combination, ties by the values ascending', () => {
    const frame = run({ groupBy: ['eventType', 'status'] });
    expect(frame.fields.map((f) => f.name)).toEqual(['eventType', 'status', 'count']);
    expect(rows(frame)).toEqual([
      ['Publish-In', 'Success', 3],
      ['Connect', 'Failure', 2],
      ['Connect', 'Success', 2],
      ['Disconnect', 'Success', 2],
    ]);
  });

  it('counts distinct values of a field', () => {
    const frame = run({ metric: 'distinct', metricField: 'clientId' });
    expect(frame.fields[1].name).toBe('distinct clientId');
    expect(rows(frame)).toEqual([
      ['Connect', 3],
      ['Disconnect', 2],
      ['Publish-In', 2],
    ]);
    expect(rows(run({ groupBy: ['status'], metric: 'distinct', metricField: 'disconnectReason' }))).toEqual([
      ['Success', 1],
      ['Failure', 0],
    ]);
    expect(() => run({ metric: 'distinct' })).toThrow(OutputError);
  });

  it('keeps numeric fields numeric, missing values empty; missing text is (none)', () => {
    const frame = run({ groupBy: ['sourcePort'] }, [{ table: connect }]);
    expect(frame.fields[0].type).toBe('number');
    expect(rows(frame)).toEqual([
      [443, 2],
      [8883, 1],
      [null, 1],
    ]);
    expect(rows(run({ groupBy: ['disconnectReason'] }))).toEqual([
      ['(none)', 8],
      ['CLIENT_INITIATED_DISCONNECT', 1],
    ]);
    expect(rows(run({ groupBy: ['nope'] }))).toEqual([['(none)', 9]]);
  });

  it('limits the rows and says how many groups were left out', () => {
    const frame = run({ groupBy: ['clientId'], limit: 2 });
    expect(rows(frame)).toEqual([
      ['a', 4],
      ['c', 3],
    ]);
    expect(frame.meta?.notices).toEqual([
      { severity: 'info', text: 'Showing the 2 largest groups of 3: 1 group left out (raise the limit to see more).' },
    ]);
    expect(run({ groupBy: ['clientId'], limit: 3 }).meta?.notices).toBeUndefined();
  });

  it('shows 10 rows by default', () => {
    const many = tableOf(
      'Publish-In',
      Array.from({ length: 12 }, (_, i) => ({ timestamp: T0 + i, clientId: `c${String(i).padStart(2, '0')}` }))
    );
    const frame = run({ groupBy: ['clientId'] }, [{ table: many }]);
    expect(frame.length).toBe(10);
    expect(frame.fields[0].values).toEqual(Array.from({ length: 10 }, (_, i) => `c0${i}`));
    expect(frame.meta?.notices?.[0].text).toMatch(/of 12: 2 groups left out/);
  });

  it('counts only the selected rows', () => {
    expect(
      rows(
        run({}, [
          { table: connect, rows: Int32Array.of(0, 2) },
          { table: publish, rows: Int32Array.of(2) },
        ])
      )
    ).toEqual([
      ['Connect', 2],
      ['Publish-In', 1],
    ]);
  });

  it('carries descriptions and units of the group fields', () => {
    const ping = tableOf('Ping', [
      { timestamp: T0, latency: 5 },
      { timestamp: T0 + 1, latency: 5 },
    ]);
    const withUnit: EventTable = {
      ...ping,
      columns: ping.columns.map((c) => ({ ...c, unit: 'ms', description: 'Latency.' })),
    };
    const frame = run({ groupBy: ['latency'] }, [{ table: withUnit }]);
    expect(frame.fields[0].config).toEqual({ description: 'Latency.', unit: 'ms' });
    expect(rows(frame)).toEqual([[5, 2]]);
    expect(run({}).fields[0].config.description).toBe('The event type for which the log was generated.');
    expect(run({ groupBy: ['status'] }).fields[0].config.description).toBe(connect.columns[0].description);
    expect(run({}).fields[1].config.description).toBe('Entries in the group.');
  });

  it('gives the fields and no rows for no selection or no rows', () => {
    for (const selections of [[], [{ table: connect, rows: new Int32Array(0) }]]) {
      const frame = run({ groupBy: ['status', 'clientId'] }, selections);
      expect(frame.length).toBe(0);
      expect(frame.fields.map((f) => [f.name, f.type, f.values])).toEqual([
        ['status', 'string', []],
        ['clientId', 'string', []],
        ['count', 'number', []],
      ]);
      expect(frame.meta?.notices).toBeUndefined();
    }
  });
});
