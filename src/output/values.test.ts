import { tableOf } from '../parsing/testTables';
import {
  commonKind,
  DEFAULT_LIMIT,
  groupByOf,
  labelOf,
  limitOf,
  metricOf,
  nameOf,
  NONE_LABEL,
  OutputError,
  timeSpan,
} from './values';

describe('option readers', () => {
  it('limitOf: the default for nothing, zero, negative or NaN; whole numbers; capped', () => {
    expect([undefined, null, 0, -3, NaN, Infinity].map((v) => limitOf(v))).toEqual(Array(6).fill(DEFAULT_LIMIT));
    expect(limitOf(3.7)).toBe(3);
    expect(limitOf(5000, 1000)).toBe(1000);
  });

  it('groupByOf drops empty names and repeats', () => {
    expect(groupByOf(undefined)).toEqual([]);
    expect(groupByOf(['status', ' ', 'status', ' eventType '])).toEqual(['status', 'eventType']);
  });

  it('metricOf: count by default; distinct needs a field', () => {
    expect(metricOf({})).toEqual({ metric: 'count', name: 'count' });
    expect(metricOf({ metric: 'distinct', metricField: 'clientId' })).toEqual({
      metric: 'distinct',
      field: 'clientId',
      name: 'distinct clientId',
    });
    expect(() => metricOf({ metric: 'distinct' })).toThrow(OutputError);
    expect(() => metricOf({ metric: 'distinct', metricField: ' ' })).toThrow(/choose the field/);
    expect(() => metricOf({ metric: 'sum' as never })).toThrow(/Unknown metric "sum"/);
  });
});

describe('value helpers', () => {
  const a = tableOf('A', [{ timestamp: 1, n: 1, s: 'x', o: { k: 1 } }]);
  const b = tableOf('B', [{ timestamp: 5, n: 'one' }, { timestamp: 9 }]);

  it('commonKind: the tables’ kind, text when they differ, for composites or when none has the field', () => {
    expect(commonKind([{ table: a }], 'n')).toBe('number');
    expect(commonKind([{ table: a }, { table: b }], 'n')).toBe('string');
    expect(commonKind([{ table: a }, { table: b }], 's')).toBe('string');
    expect(commonKind([{ table: a }], 'o')).toBe('string');
    expect(commonKind([{ table: a }], 'timestamp')).toBe('time');
    expect(commonKind([{ table: a }], 'missing')).toBe('string');
  });

  it('labels and names', () => {
    expect([null, undefined, 'x', 3, true, { k: 1 }].map(labelOf)).toEqual([
      NONE_LABEL,
      NONE_LABEL,
      'x',
      '3',
      'true',
      '{"k":1}',
    ]);
    expect(nameOf('', 'string')).toBe('(empty)');
    expect(nameOf(0, 'time')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('timeSpan: first and last selected times', () => {
    expect(timeSpan([])).toBeUndefined();
    expect(timeSpan([{ table: a }, { table: b, rows: Int32Array.of(0) }])).toEqual({ from: 1, to: 5 });
    expect(timeSpan([{ table: b, rows: new Int32Array(0) }])).toBeUndefined();
  });
});
