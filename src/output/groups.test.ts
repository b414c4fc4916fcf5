import { tableOf } from '../parsing/testTables';
import { codeField, compareGroupValues, countPerGroup, distinctPerGroup, groupRows } from './groups';
import type { Selection } from './types';
import { NONE_LABEL } from './values';

const T0 = Date.UTC(2024, 0, 1);

const connect = tableOf('Connect', [
  { timestamp: T0 + 1, status: 'Success', clientId: 'a', sourcePort: 1 },
  { timestamp: T0 + 2, status: 'Failure', clientId: 'b', sourcePort: 2 },
  { timestamp: T0 + 3, status: 'Success', clientId: 'a' },
  { timestamp: T0 + 4, clientId: 'c', sourcePort: 1 },
]);
const publish = tableOf(
  'Publish-In',
  [
    { timestamp: T0 + 5, status: 'Success', clientId: 'a', sourcePort: '1' },
    { timestamp: T0 + 6, status: 'Failure', topicName: 't' },
  ],
  { sourcePort: 'string' }
);

describe('codeField', () => {
  it('codes values in first-seen order across the selections, following the selected rows', () => {
    const f = codeField([{ table: connect, rows: Int32Array.of(1, 2, 3) }, { table: publish }], 'clientId', 'group');
    expect(f.kind).toBe('string');
    expect(f.values).toEqual(['b', 'a', 'c', NONE_LABEL]);
    expect(f.codes.map((c) => Array.from(c))).toEqual([
      [0, 1, 2],
      [1, 3],
    ]);
  });

  it('gives missing values -1 in skip mode', () => {
    const f = codeField([{ table: publish }], 'clientId', 'skip');
    expect(f.values).toEqual(['a']);
    expect(Array.from(f.codes[0])).toEqual([0, -1]);
  });

  it('keeps numbers as numbers, missing as null, when every table agrees on the kind', () => {
    const f = codeField([{ table: connect }], 'sourcePort', 'group');
    expect(f.kind).toBe('number');
    expect(f.values).toEqual([1, 2, null]);
    expect(Array.from(f.codes[0])).toEqual([0, 1, 2, 0]);
  });

  it('reads kinds that differ between tables as text', () => {
    const f = codeField([{ table: connect }, { table: publish }], 'sourcePort', 'group');
    expect(f.kind).toBe('string');
    expect(f.values).toEqual(['1', '2', NONE_LABEL]);
    expect(Array.from(f.codes[1])).toEqual([0, 2]);
  });

  it('codes the table fields, and a field no table has as all missing', () => {
    const sel: Selection[] = [{ table: connect }, { table: publish }];
    expect(codeField(sel, 'eventType', 'group').values).toEqual(['Connect', 'Publish-In']);
    expect(codeField(sel, 'component', 'group').values).toEqual(['message-broker']);
    const none = codeField(sel, 'nope', 'group');
    expect(none.values).toEqual([NONE_LABEL]);
    expect(none.codes.map((c) => Array.from(c))).toEqual([
      [0, 0, 0, 0],
      [0, 0],
    ]);
  });
});

describe('groupRows', () => {
  it('groups by combinations that occur', () => {
    const g = groupRows([{ table: connect }, { table: publish }], ['eventType', 'status']);
    expect(g.groups).toEqual([
      ['Connect', 'Success'],
      ['Connect', 'Failure'],
      ['Connect', NONE_LABEL],
      ['Publish-In', 'Success'],
      ['Publish-In', 'Failure'],
    ]);
    expect(g.codes.map((c) => Array.from(c))).toEqual([
      [0, 1, 0, 2],
      [3, 4],
    ]);
  });

  it('groups by one field with its codes', () => {
    const g = groupRows([{ table: connect }], ['status']);
    expect(g.groups).toEqual([['Success'], ['Failure'], [NONE_LABEL]]);
  });
});

describe('compareGroupValues', () => {
  it('orders numbers by value, text by code unit, booleans false first and null last', () => {
    const values = [[null], ['b'], [10], ['B'], [2], ['a']];
    expect(values.sort(compareGroupValues)).toEqual([[2], [10], ['B'], ['a'], ['b'], [null]]);
    expect([[true], [false]].sort(compareGroupValues)).toEqual([[false], [true]]);
    expect(compareGroupValues(['a', 1], ['a', 2])).toBeLessThan(0);
  });
});

describe('countPerGroup and distinctPerGroup', () => {
  // 200 rows over two tables: client i % 7, status by i % 3, some rows without a client.
  const rowsOf = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        timestamp: T0 + i,
        status: ['Success', 'Failure', 'SucceededWithIssues'][i % 3],
        clientId: i % 11 === 0 ? null : `c${i % 7}`,
      };
    });
  const selections: Selection[] = [
    { table: tableOf('Connect', rowsOf(0, 120)) },
    { table: tableOf('Disconnect', rowsOf(120, 200)) },
  ];

  it('counts entries and distinct values per group, by hand', () => {
    const g = groupRows(selections, ['status']);
    expect(Array.from(countPerGroup(g.codes, g.groups.length))).toEqual([67, 67, 66]);
    const field = codeField(selections, 'clientId', 'skip');
    // Every status meets every client (3 and 7 are coprime).
    expect(Array.from(distinctPerGroup(g.codes, g.groups.length, field))).toEqual([7, 7, 7]);
  });

  it('gives the same distinct counts with a set as with the bitset', () => {
    const g = groupRows(selections, ['eventType', 'status']);
    const field = codeField(selections, 'clientId', 'skip');
    const bitset = distinctPerGroup(g.codes, g.groups.length, field);
    const set = distinctPerGroup(g.codes, g.groups.length, field, 0);
    expect(Array.from(set)).toEqual(Array.from(bitset));
  });
});
