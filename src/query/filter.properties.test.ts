/**
 * Property tests: selectRows against a naive reference written row by row, and MQTT topic matching
 * against a reference that turns a filter into a regular expression.
 */
import fc from 'fast-check';

import type { Selection } from '../output/types';
import { tableOf, type TestRow } from '../parsing/testTables';
import type { EventTable } from '../parsing/table';
import { FILTER_OPERATORS, type FilterOperator } from '../types';
import { type ResolvedFieldFilter, type RowFilter, selectRows } from './filter';
import { matchesTopic, parseTopicFilter } from './mqttTopic';

// ---------------------------------------------------------------------------------------------------
// The reference: the README's semantics, written as simply as possible, for the values generated below.

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

function refNumber(v: unknown): number | null {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : null;
  }
  return typeof v === 'string' && NUMERIC.test(v) ? Number(v) : null;
}

function refTime(text: string): number {
  return NUMERIC.test(text) ? Number(text) : Date.parse(`${text.replace(' ', 'T')}Z`);
}

function refKind(table: EventTable, field: string): string | undefined {
  if (field === 'eventType' || field === 'component' || field === 'body') {
    return 'string';
  }
  if (field === 'timestamp') {
    return 'time';
  }
  return table.columns.find((c) => c.name === field)?.kind;
}

function refValue(table: EventTable, field: string, row: number): unknown {
  switch (field) {
    case 'eventType':
      return table.eventType;
    case 'component':
      return table.component;
    case 'timestamp':
      return table.time[row];
    case 'body':
      return table.body[row];
  }
  const column = table.columns.find((c) => c.name === field);
  return column ? column.values[row] : null;
}

function refText(v: unknown, kind: string | undefined): string {
  if (kind === 'time' && typeof v === 'number') {
    return new Date(v).toISOString().replace('T', ' ').replace('Z', '');
  }
  if (typeof v === 'string') {
    return v;
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function refEqual(v: unknown, kind: string | undefined, w: string): boolean {
  if (v === null || v === undefined) {
    return false;
  }
  if (kind === 'number' && NUMERIC.test(w) && refNumber(v) === Number(w)) {
    return true;
  }
  if (kind === 'boolean' && /^(true|false)$/i.test(w) && v === (w.toLowerCase() === 'true')) {
    return true;
  }
  if (kind === 'time' && v === refTime(w)) {
    return true;
  }
  return refText(v, kind) === w;
}

function refRegex(w: string): RegExp {
  return w.startsWith('(?i)') ? new RegExp(w.slice(4), 'i') : new RegExp(w);
}

function refCompare(a: number, op: FilterOperator, b: number): boolean {
  return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
}

function refFieldFilter(table: EventTable, row: number, f: ResolvedFieldFilter): boolean {
  const v = refValue(table, f.field, row);
  const kind = refKind(table, f.field);
  const present = v !== null && v !== undefined;
  switch (f.op) {
    case 'exists':
      return present && v !== '';
    case 'missing':
      return !(present && v !== '');
  }
  // Empty values are ignored (a row still being filled in), blank ones too for comparisons.
  const values = ['>', '<', '>=', '<='].includes(f.op)
    ? f.values.filter((w) => w.trim() !== '')
    : f.values.filter((w) => w !== '');
  if (values.length === 0) {
    return true; // ignored
  }
  switch (f.op) {
    case '=':
      return values.some((w) => refEqual(v, kind, w));
    case '!=':
      return !values.some((w) => refEqual(v, kind, w));
    case '=~':
      return present && values.some((w) => refRegex(w).test(refText(v, kind)));
    case '!~':
      return !(present && values.some((w) => refRegex(w).test(refText(v, kind))));
    default:
      return values.some((w) => {
        const bound = kind === 'time' || !NUMERIC.test(w) ? refTime(w) : Number(w);
        const x = refNumber(v); // the generated strings are numbers or no times at all
        return present && x !== null && refCompare(x, f.op, bound);
      });
  }
}

function refTopicFilterValid(filter: string): boolean {
  const levels = filter.split('/');
  return (
    filter !== '' &&
    levels.every(
      (l, i) => (!l.includes('#') || (l === '#' && i === levels.length - 1)) && (!l.includes('+') || l === '+')
    )
  );
}

function refTopicMatch(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) {
    return false;
  }
  const pattern = filter
    .split('/')
    .map((level, i) => {
      const sep = i === 0 ? '' : '/';
      if (level === '#') {
        return i === 0 ? '[^]*' : `(?:/[^]*)?`;
      }
      return sep + (level === '+' ? '[^/]*' : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    })
    .join('');
  return new RegExp(`^${pattern}$`).test(topic);
}

const TOPIC_FIELDS = ['topicName', 'res.Topic'];

function refRow(table: EventTable, row: number, filter: RowFilter): boolean {
  const inList = (list: readonly string[], field: string) => {
    const v = refValue(table, field, row);
    return list.length === 0 || (typeof v === 'string' && list.some((s) => s.toLowerCase() === v.toLowerCase()));
  };
  const topics = filter.topicFilters.filter((t) => t !== '');
  const topicOk =
    topics.length === 0 ||
    TOPIC_FIELDS.some((field) => {
      const v = refValue(table, field, row);
      return typeof v === 'string' && topics.some((t) => refTopicMatch(t, v));
    });
  return (
    inList(filter.statuses, 'status') &&
    inList(filter.logLevels, 'logLevel') &&
    filter.fieldFilters.every((f) => refFieldFilter(table, row, f)) &&
    topicOk &&
    searchOk(table.body[row], filter.search)
  );
}

/** The entry contains one of the non-empty terms (or there are none), without regard to case. */
function searchOk(body: string, search: RowFilter['search']): boolean {
  const terms = (typeof search === 'string' ? [search] : search).filter((t) => t !== '');
  return terms.length === 0 || terms.some((t) => body.toLowerCase().includes(t.toLowerCase()));
}

function reference(tables: readonly EventTable[], filter: RowFilter) {
  const selections: Array<[number, number[] | 'all']> = [];
  let outside = 0;
  tables.forEach((table, index) => {
    if (filter.components.length > 0 && !filter.components.includes(table.component)) {
      return;
    }
    if (filter.eventTypes.length > 0 && !filter.eventTypes.includes(table.eventType)) {
      return;
    }
    const kept: number[] = [];
    for (let row = 0; row < table.length; row++) {
      if (!refRow(table, row, filter)) {
        continue;
      }
      const t = table.time[row];
      if (filter.timeRange && (t < filter.timeRange.from || t > filter.timeRange.to)) {
        outside++;
      } else {
        kept.push(row);
      }
    }
    if (kept.length > 0) {
      selections.push([index, kept.length === table.length ? 'all' : kept]);
    }
  });
  return { selections, outside };
}

function actual(tables: readonly EventTable[], selections: Selection[]) {
  return selections.map((s): [number, number[] | 'all'] => [
    tables.indexOf(s.table),
    s.rows ? Array.from(s.rows) : 'all',
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Generators

const levelArb = fc.constantFrom('a', 'b', '', '$aws', 'c');
const topicArb = fc.array(levelArb, { minLength: 1, maxLength: 4 }).map((levels) => levels.join('/'));
const topicFilterArb = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '', '+', '$aws'), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'));

const rowArb: fc.Arbitrary<TestRow> = fc.record(
  {
    timestamp: fc.integer({ min: 0, max: 20 }),
    status: fc.constantFrom('Success', 'Failure', 'success', null),
    logLevel: fc.constantFrom('INFO', 'ERROR', 'debug', null),
    n: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.constantFrom('2', 'a')),
    s: fc.constantFrom('a', 'A', '1', '01', '', '-1', '2.5', null),
    b: fc.constantFrom(true, false, null),
    topicName: fc.option(topicArb),
    'res.Topic': fc.option(topicArb),
  },
  { requiredKeys: ['timestamp'] }
);

const tableArb = fc
  .record({
    eventType: fc.constantFrom('Connect', 'Publish-In', 'Custom'),
    rows: fc.array(rowArb, { maxLength: 12 }),
  })
  .map(({ eventType, rows }) => tableOf(eventType, rows));

const COMPARISON_VALUES = ['-1', '0', '2', '10', ' ', '1970-01-01 00:00:00.005'];
const REGEX_VALUES = ['^a', 'a|1', '^$', '1$', '(?i)^a', 'ucc', '/'];
const VALUES = ['a', '1', '01', '-1', 'true', 'FALSE', 'Success', '', 'Connect', '2.5', 'message-broker', '5'];

const fieldFilterArb: fc.Arbitrary<ResolvedFieldFilter> = fc
  .record({
    field: fc.constantFrom(
      'status',
      'n',
      's',
      'b',
      'topicName',
      'nothing',
      'eventType',
      'component',
      'timestamp',
      'body'
    ),
    op: fc.constantFrom(...FILTER_OPERATORS),
  })
  .chain(({ field, op }) => {
    const pool = ['>', '<', '>=', '<='].includes(op)
      ? COMPARISON_VALUES
      : op === '=~' || op === '!~'
        ? REGEX_VALUES
        : [...VALUES, '1970-01-01 00:00:00.005'];
    return fc.subarray(pool, { maxLength: 2 }).map((values) => ({ field, op, values }));
  });

/** Often empty, so that filters combine without leaving nothing. */
function often<T>(empty: T, arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(empty) }, { weight: 1, arbitrary: arb });
}

const filterArb: fc.Arbitrary<RowFilter> = fc.record({
  components: often([], fc.subarray(['message-broker', 'unknown'])),
  eventTypes: often([], fc.subarray(['Connect', 'Publish-In', 'Custom'])),
  statuses: often([], fc.subarray(['Success', 'failure', 'Other'])),
  logLevels: often([], fc.subarray(['info', 'ERROR', 'WARN'])),
  fieldFilters: often([], fc.array(fieldFilterArb, { minLength: 1, maxLength: 2 })),
  topicFilters: often([], fc.array(topicFilterArb, { maxLength: 2 })),
  search: often('', fc.constantFrom('a', 'SUCC', 'info', '"s":"a"', 'connect', '$aws', '1')),
  timeRange: fc.option(fc.record({ from: fc.integer({ min: -1, max: 21 }), to: fc.integer({ min: -1, max: 21 }) }), {
    nil: undefined,
  }),
});

// ---------------------------------------------------------------------------------------------------

describe('selectRows (properties)', () => {
  it('keeps the rows a naive row-by-row reference keeps', () => {
    fc.assert(
      fc.property(fc.array(tableArb, { minLength: 1, maxLength: 3 }), filterArb, (tables, filter) => {
        const expected = reference(tables, filter);
        const result = selectRows(tables, filter);
        expect(actual(tables, result.selections)).toEqual(expected.selections);
        expect(result.outsideTimeRange).toBe(expected.outside);
        // again, from the memo, with the lists in another order
        const again = selectRows(tables, {
          ...filter,
          statuses: [...filter.statuses].reverse(),
          fieldFilters: [...filter.fieldFilters].reverse(),
        });
        expect(actual(tables, again.selections)).toEqual(expected.selections);
        expect(again.outsideTimeRange).toBe(expected.outside);
      }),
      { numRuns: 300 }
    );
  });
});

describe('MQTT topic matching (properties)', () => {
  it('agrees with a reference matcher', () => {
    fc.assert(
      fc.property(
        topicFilterArb.filter((f) => f !== ''),
        topicArb,
        (filter, topic) => {
          const parsed = parseTopicFilter(filter);
          expect(parsed).not.toBeInstanceOf(Error);
          expect(matchesTopic(parsed as Exclude<typeof parsed, Error>, topic)).toBe(refTopicMatch(filter, topic));
        }
      ),
      { numRuns: 500 }
    );
  });

  it('accepts exactly the valid filters', () => {
    const textArb = fc.array(fc.constantFrom('a', '/', '+', '#', '$'), { maxLength: 6 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(textArb, topicArb, (filter, topic) => {
        const parsed = parseTopicFilter(filter);
        expect(!(parsed instanceof Error)).toBe(refTopicFilterValid(filter));
        if (!(parsed instanceof Error)) {
          expect(matchesTopic(parsed, topic)).toBe(refTopicMatch(filter, topic));
        }
      }),
      { numRuns: 500 }
    );
  });
});
