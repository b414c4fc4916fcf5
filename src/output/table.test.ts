import type { DataFrame } from '@grafana/data';

import type { EventTable } from '../parsing/table';
import { tableOf } from '../parsing/testTables';
import { tableOutput } from './table';
import type { OutputFn, OutputOptions, Selection } from './types';

const S = 1000;
const T0 = Date.UTC(2024, 0, 1);
const RANGE = { from: T0, to: T0 + 300 * S };

const connect = tableOf('Connect', [
  { timestamp: T0 + 10 * S, eventType: 'Connect', status: 'Success', clientId: 'a', sourcePort: 443 },
  { timestamp: T0 + 20 * S, eventType: 'Connect', status: 'Failure', clientId: 'b', sourcePort: 8883, extra: 1 },
  { timestamp: T0 + 70 * S, eventType: 'Connect', status: 'Success', clientId: 'c', reason: null },
]);
// sourcePort as text (as an undocumented field written as text would be): kinds differ from Connect's.
const disconnect = tableOf(
  'Disconnect',
  [
    { timestamp: T0 + 15 * S, clientId: 'a', status: 'Success', disconnectReason: 'CLIENT_INITIATED_DISCONNECT' },
    { timestamp: T0 + 80 * S, clientId: 'c', status: 'Success', sourcePort: '443' },
  ],
  { sourcePort: 'string' }
);

/** A table whose column `name` has a unit. */
function withUnit(table: EventTable, name: string, unit: string): EventTable {
  return { ...table, columns: table.columns.map((c) => (c.name === name ? { ...c, unit } : c)) };
}

function run(selections: Selection[], options: Partial<OutputOptions> = {}): DataFrame[] {
  return tableOutput(selections, { refId: 'C', output: 'table', ...options }, RANGE);
}

function column(frame: DataFrame, name: string) {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return field;
}

describe('tableOutput', () => {
  it('is an OutputFn', () => {
    const fn: OutputFn = tableOutput;
    expect(fn).toBe(tableOutput);
  });

  it('gives one frame per eventType: timestamp, then the typed columns', () => {
    const frames = run([{ table: connect }, { table: disconnect }]);
    expect(frames.map((f) => [f.name, f.refId, f.length, f.meta])).toEqual([
      ['Connect', 'C', 3, { preferredVisualisationType: 'table' }],
      ['Disconnect', 'C', 2, { preferredVisualisationType: 'table' }],
    ]);
    expect(frames[0].fields.map((f) => [f.name, f.type])).toEqual([
      ['timestamp', 'time'],
      ['eventType', 'string'],
      ['status', 'string'],
      ['clientId', 'string'],
      ['sourcePort', 'number'],
      ['extra', 'number'],
      ['reason', 'string'],
    ]);
    expect(column(frames[0], 'timestamp').values).toEqual([T0 + 10 * S, T0 + 20 * S, T0 + 70 * S]);
    expect(column(frames[1], 'disconnectReason').values).toEqual(['CLIENT_INITIATED_DISCONNECT', null]);
  });

  it('uses the table’s arrays as they are when every row is selected', () => {
    const [frame] = run([{ table: connect }]);
    expect(column(frame, 'timestamp').values).toBe(connect.time);
    expect(column(frame, 'clientId').values).toBe(connect.columns.find((c) => c.name === 'clientId')!.values);
  });

  it('picks the selected rows', () => {
    const [frame] = run([{ table: connect, rows: Int32Array.of(0, 2) }]);
    expect(frame.length).toBe(2);
    expect(column(frame, 'clientId').values).toEqual(['a', 'c']);
    expect(column(frame, 'timestamp').values).toEqual([T0 + 10 * S, T0 + 70 * S]);
  });

  it('keeps documented columns without a selected value, drops undocumented ones', () => {
    const [frame] = run([{ table: connect, rows: Int32Array.of(0, 2) }]);
    expect(frame.fields.map((f) => f.name)).toEqual([
      'timestamp',
      'eventType',
      'status',
      'clientId',
      'sourcePort',
      'reason',
    ]);
    expect(column(frame, 'reason').values).toEqual([null, null]);
  });

  it('carries descriptions and units', () => {
    const [frame] = run([{ table: withUnit(connect, 'sourcePort', 'none') }]);
    expect(column(frame, 'status').config.description).toBe('The status of the request.');
    expect(column(frame, 'sourcePort').config).toEqual({
      description: 'The port where the request originated.',
      unit: 'none',
    });
    expect(column(frame, 'extra').config).toEqual({ description: 'extra (test)' });
    expect(column(frame, 'timestamp').config.description).toMatch(/When AWS IoT logged the entry/);
  });

  it('leaves out tables without a selected row', () => {
    expect(run([{ table: connect, rows: new Int32Array(0) }, { table: disconnect }]).map((f) => f.name)).toEqual([
      'Disconnect',
    ]);
  });

  it('gives one empty frame for no selection or no rows', () => {
    for (const selections of [[], [{ table: connect, rows: new Int32Array(0) }]]) {
      for (const combineTables of [false, true]) {
        const frames = run(selections, { combineTables });
        expect(frames).toHaveLength(1);
        expect(frames[0]).toMatchObject({ name: 'entries', refId: 'C', length: 0 });
        expect(frames[0].fields.map((f) => [f.name, f.type, f.values])).toEqual([
          ['timestamp', 'time', []],
          ['eventType', 'string', []],
        ]);
      }
    }
  });

  describe('combineTables', () => {
    it('gives one frame: timestamp, eventType, the common columns in the first table’s order, then the rest', () => {
      const frames = run([{ table: connect }, { table: disconnect }], { combineTables: true });
      expect(frames).toHaveLength(1);
      const [frame] = frames;
      expect(frame).toMatchObject({
        name: 'entries',
        refId: 'C',
        length: 5,
        meta: { preferredVisualisationType: 'table' },
      });
      expect(frame.fields.map((f) => f.name)).toEqual([
        'timestamp',
        'eventType',
        'status',
        'clientId',
        'sourcePort',
        'extra',
        'reason',
        'disconnectReason',
      ]);
      const reversed = run([{ table: disconnect }, { table: connect }], { combineTables: true });
      expect(reversed[0].fields.map((f) => f.name)).toEqual([
        'timestamp',
        'eventType',
        'clientId',
        'status',
        'sourcePort',
        'disconnectReason',
        'extra',
        'reason',
      ]);
    });

    it('merges the rows in time order, empty cells where a table lacks a column', () => {
      const [frame] = run([{ table: connect }, { table: disconnect }], { combineTables: true });
      expect(column(frame, 'timestamp').values).toEqual([10, 15, 20, 70, 80].map((s) => T0 + s * S));
      expect(column(frame, 'eventType').values).toEqual(['Connect', 'Disconnect', 'Connect', 'Connect', 'Disconnect']);
      expect(column(frame, 'clientId').values).toEqual(['a', 'a', 'b', 'c', 'c']);
      expect(column(frame, 'disconnectReason').values).toEqual([null, 'CLIENT_INITIATED_DISCONNECT', null, null, null]);
      expect(column(frame, 'extra').values).toEqual([null, null, 1, null, null]);
    });

    it('reads a column whose kind differs between tables as text', () => {
      const [frame] = run([{ table: connect }, { table: disconnect }], { combineTables: true });
      expect(column(frame, 'sourcePort').type).toBe('string');
      expect(column(frame, 'sourcePort').values).toEqual(['443', null, '8883', null, '443']);
      expect(column(frame, 'status').type).toBe('string');
    });

    it('picks selected rows and keeps descriptions and units', () => {
      const [frame] = run(
        [
          { table: withUnit(connect, 'extra', 'bytes'), rows: Int32Array.of(1) },
          { table: disconnect, rows: Int32Array.of(1) },
        ],
        { combineTables: true }
      );
      expect(column(frame, 'clientId').values).toEqual(['b', 'c']);
      expect(column(frame, 'extra').config).toEqual({ description: 'extra (test)', unit: 'bytes' });
      expect(column(frame, 'clientId').config.description).toBe('The ID of the client making the request.');
      // Documented in Connect (kept though empty) and not an undocumented empty one.
      expect(frame.fields.map((f) => f.name)).toContain('reason');
    });
  });
});
