import type { EventTable } from '../parsing/table';
import { tableOf } from '../parsing/testTables';
import { mergeByTime } from './merge';
import type { Selection } from './types';

const T0 = Date.UTC(2024, 0, 1);

/** A table whose rows have the given record numbers (the input order that ties follow). */
function withRecords(table: EventTable, record: number[]): EventTable {
  return { ...table, record };
}

function merged(selections: Selection[]): Array<[number, number]> {
  const m = mergeByTime(selections);
  return Array.from({ length: m.length }, (_, i) => [m.selection[i], m.row[i]]);
}

describe('mergeByTime', () => {
  const a = tableOf('Connect', [{ timestamp: T0 + 1 }, { timestamp: T0 + 4 }, { timestamp: T0 + 6 }]);
  const b = tableOf('Disconnect', [{ timestamp: T0 + 2 }, { timestamp: T0 + 3 }, { timestamp: T0 + 7 }]);

  it('merges tables in time order', () => {
    expect(merged([{ table: a }, { table: b }])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('follows the selected rows, and gives table rows', () => {
    expect(
      merged([
        { table: a, rows: Int32Array.of(1, 2) },
        { table: b, rows: Int32Array.of(0) },
      ])
    ).toEqual([
      [1, 0],
      [0, 1],
      [0, 2],
    ]);
  });

  it('breaks ties by record (input order), then by selection', () => {
    const x = withRecords(tableOf('Connect', [{ timestamp: T0 }, { timestamp: T0 }]), [5, 9]);
    const y = withRecords(tableOf('Disconnect', [{ timestamp: T0 }, { timestamp: T0 }]), [7, 9]);
    expect(merged([{ table: x }, { table: y }])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
  });

  it('handles no selection, empty ones and many tables', () => {
    expect(mergeByTime([]).length).toBe(0);
    expect(merged([{ table: a, rows: new Int32Array(0) }, { table: b }]).map(([s]) => s)).toEqual([1, 1, 1]);
    const many = Array.from({ length: 9 }, (_, k) =>
      tableOf(`T${k}`, [{ timestamp: T0 + k }, { timestamp: T0 + 20 - k }, { timestamp: T0 + 30 }])
    );
    const m = mergeByTime(many.map((table) => ({ table })));
    const times = Array.from({ length: m.length }, (_, i) => many[m.selection[i]].time[m.row[i]]);
    expect(times).toEqual([...times].sort((p, q) => p - q));
    expect(times).toHaveLength(27);
  });
});
