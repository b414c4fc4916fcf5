import { isEffective } from '../components/queryEditorOptions';
import { FILTER_OPERATORS } from '../types';
import type { Selection } from '../output/types';
import { tableOf } from '../parsing/testTables';
import type { EventTable } from '../parsing/table';
import { FilterError, filterKey, NO_FILTER, type ResolvedFieldFilter, type RowFilter, selectRows } from './filter';

const connect = tableOf('Connect', [
  { timestamp: 1000, logLevel: 'INFO', status: 'Success', clientId: 'c1', sourcePort: 1883 },
  {
    timestamp: 2000,
    logLevel: 'ERROR',
    status: 'Failure',
    clientId: 'c2',
    sourcePort: 8883,
    reason: 'AUTHORIZATION_FAILURE',
  },
  { timestamp: 3000, logLevel: 'info', status: 'Success', clientId: 'C1', sourcePort: null },
  { timestamp: 4000, status: null, clientId: 'N/A', sourcePort: 443 },
]);

const publishIn = tableOf('Publish-In', [
  { timestamp: 1500, logLevel: 'INFO', status: 'Success', topicName: 'a/b/c', accountId: '002' },
  { timestamp: 2500, logLevel: 'ERROR', status: 'Failure', topicName: '$aws/things/t1/shadow/update', accountId: '2' },
  { timestamp: 3500, logLevel: 'DEBUG', status: 'Success', topicName: 'a//c', accountId: '' },
  { timestamp: 3600, logLevel: 'WARN', status: 'Success', topicName: 'a' },
]);

const rules = tableOf(
  'RuleExecution',
  [
    {
      timestamp: '1970-01-01 00:00:01.200',
      logLevel: 'INFO',
      status: 'Success',
      'resources.RepublishTopic': 'out/x',
      latency: 5,
      count: '42',
      flag: true,
      tags: ['x', 1],
      when: 1000,
    },
    {
      timestamp: 2200,
      logLevel: 'ERROR',
      status: 'Failure',
      latency: 15.5,
      count: '7',
      flag: false,
      tags: null,
      details: 'Access Denied',
      when: 5000,
    },
    {
      timestamp: 3200,
      logLevel: 'INFO',
      status: 'SucceededWithIssues',
      'resources.RepublishTopic': '$aws/rules/r1',
      latency: null,
      count: 'many',
      tags: { a: 1 },
      when: null,
    },
  ],
  { when: 'time' }
);

const custom = tableOf('Custom', [
  { timestamp: 500, topic: 'a/b/c', Stamp: '2024-05-01 10:00:00.000' },
  { timestamp: 600, topic: 'x', Stamp: 'not a date' },
]);

const TABLES = [connect, publishIn, rules, custom];

function filterOf(partial: Partial<RowFilter> = {}): RowFilter {
  return { ...NO_FILTER, ...partial };
}

/** The rows kept per eventType: 'all' for `rows: undefined`. */
function shape(selections: Selection[]): Record<string, number[] | 'all'> {
  const out: Record<string, number[] | 'all'> = {};
  for (const s of selections) {
    out[s.table.eventType] = s.rows ? Array.from(s.rows) : 'all';
  }
  return out;
}

function kept(partial: Partial<RowFilter>, tables: readonly EventTable[] = TABLES) {
  return shape(selectRows(tables, filterOf(partial)).selections);
}

function where(field: string, op: ResolvedFieldFilter['op'], ...values: string[]) {
  return kept({ fieldFilters: [{ field, op, values }] });
}

const ALL_OTHERS = { 'Publish-In': 'all', RuleExecution: 'all', Custom: 'all' };

describe('selectRows', () => {
  it('keeps every row of every table without filters, sharing the tables', () => {
    const { selections, outsideTimeRange } = selectRows(TABLES, filterOf());
    expect(selections.map((s) => s.table)).toEqual(TABLES);
    expect(selections.every((s) => s.rows === undefined && TABLES.includes(s.table))).toBe(true);
    expect(outsideTimeRange).toBe(0);
  });

  it('drops tables without rows', () => {
    expect(kept({}, [tableOf('Connect', []), custom])).toEqual({ Custom: 'all' });
  });

  describe('components and eventTypes', () => {
    it('select whole tables, in the input order', () => {
      expect(kept({ components: ['message-broker'] })).toEqual({ Connect: 'all', 'Publish-In': 'all' });
      expect(kept({ eventTypes: ['Custom', 'RuleExecution'] })).toEqual({ RuleExecution: 'all', Custom: 'all' });
      expect(kept({ components: ['message-broker'], eventTypes: ['RuleExecution'] })).toEqual({});
      expect(kept({ components: ['unknown', 'rules-engine'] }, [custom, rules, connect])).toEqual({
        Custom: 'all',
        RuleExecution: 'all',
      });
      const order = selectRows([custom, rules, connect], filterOf()).selections.map((s) => s.table.eventType);
      expect(order).toEqual(['Custom', 'RuleExecution', 'Connect']);
    });
  });

  describe('statuses and log levels', () => {
    it('keep rows whose value is in the list, without regard to case', () => {
      expect(kept({ statuses: ['Success'] })).toEqual({ Connect: [0, 2], 'Publish-In': [0, 2, 3], RuleExecution: [0] });
      expect(kept({ statuses: ['success', 'Failure'] })).toEqual({
        Connect: [0, 1, 2],
        'Publish-In': 'all',
        RuleExecution: [0, 1],
      });
      expect(kept({ logLevels: ['INFO'] })).toEqual({ Connect: [0, 2], 'Publish-In': [0], RuleExecution: [0, 2] });
      expect(kept({ logLevels: ['ERROR', 'warn'] })).toEqual({
        Connect: [1],
        'Publish-In': [1, 3],
        RuleExecution: [1],
      });
    });

    it('combine with each other (AND)', () => {
      expect(kept({ statuses: ['Success'], logLevels: ['INFO'] })).toEqual({
        Connect: [0, 2],
        'Publish-In': [0],
        RuleExecution: [0],
      });
    });
  });

  describe('field filters', () => {
    it('= on strings: exact text, any of the values', () => {
      expect(where('clientId', '=', 'c1')).toEqual({ Connect: [0] });
      expect(where('clientId', '=', 'c1', 'C1')).toEqual({ Connect: [0, 2] });
      expect(where('accountId', '=', '2')).toEqual({ 'Publish-In': [1] });
      expect(where('accountId', '=', '002')).toEqual({ 'Publish-In': [0] });
      // An empty value is a row still being filled in: the filter is ignored (as the editor does).
      expect(where('accountId', '=', '')).toEqual(kept({}));
      expect(where('accountId', '!=', '')).toEqual(kept({}));
      expect(where('count', '=', '42')).toEqual({ RuleExecution: [0] });
    });

    it('!= passes rows lacking the field, and tables without it', () => {
      expect(where('clientId', '!=', 'c1', 'C1')).toEqual({ Connect: [1, 3], ...ALL_OTHERS });
      expect(where('sourcePort', '!=', '443')).toEqual({ Connect: [0, 1, 2], ...ALL_OTHERS });
      expect(where('accountId', '!=', '002')).toEqual({
        Connect: 'all',
        'Publish-In': [1, 2, 3],
        RuleExecution: 'all',
        Custom: 'all',
      });
    });

    it('= on numbers compares numbers', () => {
      expect(where('sourcePort', '=', '1883.0')).toEqual({ Connect: [0] });
      expect(where('sourcePort', '=', '443', '8883')).toEqual({ Connect: [1, 3] });
      expect(where('sourcePort', '=', 'abc')).toEqual({});
      expect(where('latency', '=', '15.5')).toEqual({ RuleExecution: [1] });
    });

    it('= on booleans reads true/false in any case', () => {
      expect(where('flag', '=', 'TRUE')).toEqual({ RuleExecution: [0] });
      expect(where('flag', '!=', 'true')).toEqual({
        Connect: 'all',
        'Publish-In': 'all',
        RuleExecution: [1, 2],
        Custom: 'all',
      });
    });

    it('= on composite values compares their JSON text', () => {
      expect(where('tags', '=', '["x",1]')).toEqual({ RuleExecution: [0] });
      expect(where('tags', '=', '{"a":1}')).toEqual({ RuleExecution: [2] });
      expect(where('tags', '=~', '"a"')).toEqual({ RuleExecution: [2] });
    });

    it('= on times reads the value as a time', () => {
      expect(where('when', '=', '1970-01-01T00:00:01Z')).toEqual({ RuleExecution: [0] });
      expect(where('when', '=', '1000')).toEqual({ RuleExecution: [0] });
      expect(where('when', '=', '1970-01-01 00:00:05.000')).toEqual({ RuleExecution: [1] });
      expect(where('timestamp', '=', '1970-01-01 00:00:02.500')).toEqual({ 'Publish-In': [1] });
    });

    it('the table fields eventType and component select or drop whole tables', () => {
      expect(where('eventType', '=', 'Connect')).toEqual({ Connect: 'all' });
      expect(where('eventType', '!=', 'Connect')).toEqual(ALL_OTHERS);
      expect(where('eventType', '=~', '^Pub')).toEqual({ 'Publish-In': 'all' });
      expect(where('component', '=', 'rules-engine')).toEqual({ RuleExecution: 'all' });
      expect(where('body', '=~', 'AUTHORIZATION')).toEqual({ Connect: [1] });
    });

    it('=~ and !~ are unanchored regular expressions; !~ passes rows lacking the field', () => {
      expect(where('clientId', '=~', '^c')).toEqual({ Connect: [0, 1] });
      expect(where('clientId', '=~', '1')).toEqual({ Connect: [0, 2] });
      expect(where('clientId', '=~', '^c2$', '/')).toEqual({ Connect: [1, 3] });
      expect(where('clientId', '!~', '^c')).toEqual({ Connect: [2, 3], ...ALL_OTHERS });
      expect(where('clientId', '=~', '')).toEqual(kept({}));
      expect(where('details', '=~', 'access denied')).toEqual({});
      expect(where('details', '=~', '(?i)access denied')).toEqual({ RuleExecution: [1] });
      expect(where('sourcePort', '=~', '^8')).toEqual({ Connect: [1] });
      expect(where('timestamp', '=~', '^1970-01-01 00:00:01')).toEqual({
        Connect: [0],
        'Publish-In': [0],
        RuleExecution: [0],
      });
    });

    it('comparisons on numbers, numeric strings and times', () => {
      expect(where('latency', '>', '10')).toEqual({ RuleExecution: [1] });
      expect(where('latency', '>=', '5')).toEqual({ RuleExecution: [0, 1] });
      expect(where('latency', '<', '5')).toEqual({});
      expect(where('latency', '<=', '1', '5')).toEqual({ RuleExecution: [0] });
      expect(where('latency', '>', '100', '10')).toEqual({ RuleExecution: [1] });
      expect(where('count', '>', '10')).toEqual({ RuleExecution: [0] });
      expect(where('count', '<', '10')).toEqual({ RuleExecution: [1] });
      expect(where('accountId', '>=', '2')).toEqual({ 'Publish-In': [0, 1] });
      expect(where('sourcePort', '<', '1000')).toEqual({ Connect: [3] });
      expect(where('when', '>', '1970-01-01 00:00:02.000')).toEqual({ RuleExecution: [1] });
      expect(where('when', '<=', '1970-01-01T00:00:01.000Z')).toEqual({ RuleExecution: [0] });
      expect(where('Stamp', '>', '2024-01-01')).toEqual({ Custom: [0] });
      expect(where('Stamp', '>', '5')).toEqual({});
      expect(where('timestamp', '>', '1970-01-01T00:00:03Z')).toEqual({
        Connect: [3],
        'Publish-In': [2, 3],
        RuleExecution: [2],
      });
      expect(
        kept({
          fieldFilters: [
            { field: 'timestamp', op: '>=', values: ['2000'] },
            { field: 'timestamp', op: '<=', values: ['3000'] },
          ],
        })
      ).toEqual({
        Connect: [1, 2],
        'Publish-In': [1],
        RuleExecution: [1],
      });
      // booleans and composites are no numbers
      expect(where('flag', '>', '0')).toEqual({});
    });

    it('exists and missing: null and the empty string are missing', () => {
      expect(where('accountId', 'exists')).toEqual({ 'Publish-In': [0, 1] });
      expect(where('accountId', 'missing')).toEqual({
        Connect: 'all',
        'Publish-In': [2, 3],
        RuleExecution: 'all',
        Custom: 'all',
      });
      expect(where('reason', 'exists', 'ignored')).toEqual({ Connect: [1] });
      expect(where('reason', 'missing')).toEqual({ Connect: [0, 2, 3], ...ALL_OTHERS });
      expect(where('tags', 'exists')).toEqual({ RuleExecution: [0, 2] });
      expect(where('nowhere', 'exists')).toEqual({});
    });

    it('a field no table has: = drops every table, != and missing keep every row', () => {
      expect(where('nowhere', '=', 'x')).toEqual({});
      expect(where('nowhere', '=~', '.*')).toEqual({});
      expect(where('nowhere', '>', '1')).toEqual({});
      const all = { Connect: 'all', ...ALL_OTHERS };
      expect(where('nowhere', '!=', 'x')).toEqual(all);
      expect(where('nowhere', '!~', 'x')).toEqual(all);
      expect(where('nowhere', 'missing')).toEqual(all);
    });

    it('all field filters must hold', () => {
      expect(
        kept({
          fieldFilters: [
            { field: 'clientId', op: '=~', values: ['^c'] },
            { field: 'sourcePort', op: '>', values: ['2000'] },
          ],
        })
      ).toEqual({ Connect: [1] });
    });

    it('ignores a filter with no value yet, and blank comparison values', () => {
      const all = { Connect: 'all', ...ALL_OTHERS };
      expect(where('clientId', '=')).toEqual(all);
      expect(where('clientId', '=~')).toEqual(all);
      expect(where('latency', '>', ' ')).toEqual(all);
      expect(where('latency', '>', '', '10')).toEqual({ RuleExecution: [1] });
    });

    it('throws a FilterError naming the field and value for an invalid regular expression', () => {
      expect(() => where('clientId', '=~', 'a(')).toThrow(FilterError);
      expect(() => where('clientId', '!~', 'ok', '[b')).toThrow(
        /^Field filter on clientId: "\[b" is not a valid regular expression: .+/
      );
    });

    it('throws a FilterError for a comparison value that is neither a number nor a time', () => {
      expect(() => where('latency', '>', 'fast')).toThrow(FilterError);
      expect(() => where('latency', '<=', '5', 'fast')).toThrow(/latency.*"fast"/);
      // even when no table has the field: the filter itself cannot run
      expect(() => selectRows([], filterOf({ fieldFilters: [{ field: 'x', op: '>', values: ['y'] }] }))).toThrow(
        FilterError
      );
    });

    it('throws a FilterError for an unknown operator', () => {
      expect(() => where('x', '~~' as ResolvedFieldFilter['op'], 'y')).toThrow(/"~~" is not a filter operator/);
    });
  });

  describe('topic filters', () => {
    it('match topicName and columns ending in Topic/topic with MQTT wildcards', () => {
      expect(kept({ topicFilters: ['a/+/c'] })).toEqual({ 'Publish-In': [0, 2], Custom: [0] });
      expect(kept({ topicFilters: ['a/#'] })).toEqual({ 'Publish-In': [0, 2, 3], Custom: [0] });
      expect(kept({ topicFilters: ['#'] })).toEqual({ 'Publish-In': [0, 2, 3], RuleExecution: [0], Custom: 'all' });
      expect(kept({ topicFilters: ['+'] })).toEqual({ 'Publish-In': [3], Custom: [1] });
      expect(kept({ topicFilters: ['a//c'] })).toEqual({ 'Publish-In': [2] });
      expect(kept({ topicFilters: ['$aws/things/+/shadow/#'] })).toEqual({ 'Publish-In': [1] });
      expect(kept({ topicFilters: ['+/things/#'] })).toEqual({});
      expect(kept({ topicFilters: ['$aws/#'] })).toEqual({ 'Publish-In': [1], RuleExecution: [2] });
      expect(kept({ topicFilters: ['out/x', 'x'] })).toEqual({ RuleExecution: [0], Custom: [1] });
      expect(kept({ topicFilters: ['', 'x'] })).toEqual({ Custom: [1] });
      expect(kept({ topicFilters: [''] })).toEqual({ Connect: 'all', ...ALL_OTHERS });
    });

    it('keep a row when any of its topic fields matches', () => {
      const match = tableOf('RuleMatch', [
        { timestamp: 1, topicName: 'in/1', 'resources.RepublishTopic': 'out/1' },
        { timestamp: 2, topicName: 'in/2', 'resources.RepublishTopic': 'out/2' },
        { timestamp: 3, topicName: 'in/3' },
      ]);
      expect(kept({ topicFilters: ['out/1', 'in/3'] }, [match])).toEqual({ RuleMatch: [0, 2] });
      expect(kept({ topicFilters: ['+/2'] }, [match])).toEqual({ RuleMatch: [1] });
    });

    it.each(['a/#/b', 'a+', 'a/b#', '#/a'])('throw a FilterError for %j', (topic) => {
      expect(() => kept({ topicFilters: ['ok', topic] })).toThrow(FilterError);
      expect(() => kept({ topicFilters: [topic] })).toThrow(`Topic filter "${topic}" is not a valid MQTT topic filter`);
    });
  });

  describe('free text search', () => {
    it('finds the text in the entry as written, without regard to case', () => {
      expect(kept({ search: 'authorization_failure' })).toEqual({ Connect: [1] });
      expect(kept({ search: 'ACCESS denied' })).toEqual({ RuleExecution: [1] });
      expect(kept({ search: '$aws/THINGS' })).toEqual({ 'Publish-In': [1] });
      expect(kept({ search: 'n/a' })).toEqual({ Connect: [3] });
      expect(kept({ search: '["x"' })).toEqual({ RuleExecution: [0] });
      expect(kept({ search: '1883' })).toEqual({ Connect: [0] });
      expect(kept({ search: '.*' })).toEqual({});
      expect(kept({ search: 'CONNECT' })).toEqual({ Connect: 'all' });
      // Several terms (a multi-value variable): any of them; empty terms are no search.
      expect(kept({ search: ['authorization_failure', 'ACCESS denied'] })).toEqual({
        Connect: [1],
        RuleExecution: [1],
      });
      expect(kept({ search: ['', ''] })).toEqual(kept({}));
    });
  });

  describe('time range', () => {
    it('keeps rows within [from, to] (inclusive) and counts the others', () => {
      const { selections, outsideTimeRange } = selectRows(TABLES, filterOf({ timeRange: { from: 2000, to: 3000 } }));
      expect(shape(selections)).toEqual({ Connect: [1, 2], 'Publish-In': [1], RuleExecution: [1] });
      expect(outsideTimeRange).toBe(2 + 3 + 2 + 2);
    });

    it('counts only rows that pass the other filters, of the selected tables', () => {
      const range = { from: 2000, to: 3000 };
      const a = selectRows(TABLES, filterOf({ statuses: ['Success'], timeRange: range }));
      expect(shape(a.selections)).toEqual({ Connect: [2] });
      expect(a.outsideTimeRange).toBe(1 + 3 + 1);
      const b = selectRows(TABLES, filterOf({ eventTypes: ['Connect'], timeRange: range }));
      expect(b.outsideTimeRange).toBe(2);
    });

    it('keeps every row when all are in range, none when the range is empty', () => {
      const all = selectRows(TABLES, filterOf({ timeRange: { from: 500, to: 4000 } }));
      expect(all.selections.every((s) => s.rows === undefined)).toBe(true);
      expect(all.outsideTimeRange).toBe(0);
      const none = selectRows(TABLES, filterOf({ timeRange: { from: 3000, to: 2000 } }));
      expect(none.selections).toEqual([]);
      expect(none.outsideTimeRange).toBe(13);
      const edge = selectRows([connect], filterOf({ timeRange: { from: 1000, to: 1000 } }));
      expect(shape(edge.selections)).toEqual({ Connect: [0] });
    });

    it('handles ties and filtered rows', () => {
      const ties = tableOf(
        'Ping',
        [1, 2, 2, 2, 3, 3].map((timestamp, i) => ({ timestamp, n: i }))
      );
      expect(kept({ timeRange: { from: 2, to: 2 } }, [ties])).toEqual({ Ping: [1, 2, 3] });
      expect(kept({ timeRange: { from: 2, to: 3 } }, [ties])).toEqual({ Ping: [1, 2, 3, 4, 5] });
      const odd = { fieldFilters: [{ field: 'n', op: '=' as const, values: ['1', '3', '5'] }] };
      expect(kept({ ...odd, timeRange: { from: 2, to: 2 } }, [ties])).toEqual({ Ping: [1, 3] });
      expect(kept({ ...odd, timeRange: { from: 3, to: 9 } }, [ties])).toEqual({ Ping: [5] });
      expect(selectRows([ties], filterOf({ ...odd, timeRange: { from: 3, to: 9 } })).outsideTimeRange).toBe(2);
    });

    it('does not trust tables whose times are out of order', () => {
      const unsorted: EventTable = Object.freeze({ ...connect, time: Object.freeze([3000, 1000, 2000, 4000]) });
      const result = selectRows([unsorted], filterOf({ timeRange: { from: 1500, to: 3000 } }));
      expect(shape(result.selections)).toEqual({ Connect: [0, 2] });
      expect(result.outsideTimeRange).toBe(2);
    });
  });

  describe('results', () => {
    it('are ascending Int32Arrays, or undefined when every row is kept', () => {
      const { selections } = selectRows(TABLES, filterOf({ logLevels: ['INFO', 'WARN', 'DEBUG', 'ERROR'] }));
      for (const s of selections) {
        if (s.rows) {
          expect(s.rows).toBeInstanceOf(Int32Array);
          expect(Array.from(s.rows)).toEqual([...s.rows].sort((a, b) => a - b));
        }
      }
      expect(shape(selections)).toEqual({ Connect: [0, 1, 2], 'Publish-In': 'all', RuleExecution: 'all' });
    });

    it('are memoised: the same filter gives the same arrays', () => {
      const filter = filterOf({ statuses: ['Success', 'Failure'], timeRange: { from: 0, to: 3000 } });
      const first = selectRows(TABLES, filter).selections;
      const again = selectRows(
        TABLES,
        filterOf({ statuses: ['Failure', 'Success', 'Success'], timeRange: { from: 0, to: 3000 } })
      ).selections;
      expect(again.length).toBe(first.length);
      again.forEach((s, i) => expect(s.rows).toBe(first[i].rows));
      const withoutRange = selectRows(TABLES, filterOf({ statuses: ['Success', 'Failure'] })).selections;
      expect(withoutRange[0].rows).toBe(
        selectRows(TABLES, filterOf({ statuses: ['Failure', 'Success'] })).selections[0].rows
      );
    });

    it('never throw for odd data', () => {
      const odd = tableOf(
        'Odd',
        [
          { timestamp: 1, v: Number.NaN, s: { deep: [1] }, t: 'x' },
          { timestamp: 2, v: 'x', s: true, t: -1e300 },
          { timestamp: 3, v: undefined, s: '', t: 8.64e15 + 1 },
        ],
        { t: 'time', v: 'number', s: 'string' }
      );
      for (const op of ['=', '!=', '=~', '!~', '>', '<', '>=', '<=', 'exists', 'missing'] as const) {
        for (const field of ['v', 's', 't', 'timestamp', 'body']) {
          expect(() =>
            selectRows(
              [odd],
              filterOf({ fieldFilters: [{ field, op, values: ['1'] }], search: 'x', topicFilters: ['#'] })
            )
          ).not.toThrow();
        }
      }
      expect(where('t', '=~', '^x$')).toEqual({});
      expect(kept({ fieldFilters: [{ field: 't', op: '=~', values: ['^x$'] }] }, [odd])).toEqual({ Odd: [0] });
      expect(kept({ fieldFilters: [{ field: 's', op: '=', values: ['true'] }] }, [odd])).toEqual({ Odd: [1] });
    });

    it('use dictionaries on large low-cardinality columns with the same results', () => {
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        timestamp: i,
        status: ['Success', 'Failure', 'SucceededWithIssues'][i % 3],
        clientId: `c${i % 7}`,
      }));
      const big = tableOf('Connect', rows);
      const failures = kept({ statuses: ['Failure'] }, [big]).Connect as number[];
      expect(failures.length).toBe(1000);
      expect(failures.every((r) => r % 3 === 1)).toBe(true);
      const both = kept({ statuses: ['Failure'], fieldFilters: [{ field: 'clientId', op: '=', values: ['c0'] }] }, [
        big,
      ]);
      expect(both.Connect).toEqual(rows.map((_, i) => i).filter((i) => i % 3 === 1 && i % 7 === 0));
      expect(kept({ statuses: ['Success', 'Failure', 'SucceededWithIssues'] }, [big])).toEqual({ Connect: 'all' });
      expect(kept({ statuses: ['Nope'] }, [big])).toEqual({});
    });

    it('give the same rows whether a dictionary is built, used or skipped', () => {
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        timestamp: i,
        status: i % 500 === 0 ? 'Failure' : 'Success',
        clientId: `c${i % 700}`,
        traceId: `t${i}`, // too many distinct values for a dictionary
      }));
      const big = tableOf('Connect', rows);
      const expected = (keep: (i: number) => boolean) => rows.map((_, i) => i).filter(keep);
      const byClient = { fieldFilters: [{ field: 'clientId', op: '=~' as const, values: ['^c[15]'] }] };
      const clientMatches = (i: number) => /^c[15]/.test(`c${i % 700}`);
      // few rows to scan, no dictionary yet: the rows are tested one by one
      expect(kept({ statuses: ['Failure'], ...byClient }, [big]).Connect).toEqual(
        expected((i) => i % 500 === 0 && clientMatches(i))
      );
      // every row to scan: the dictionary is built
      expect(kept(byClient, [big]).Connect).toEqual(expected(clientMatches));
      // few rows to scan, a dictionary with more values than that: the rows are tested one by one
      expect(
        kept({ statuses: ['Failure'], fieldFilters: [{ field: 'clientId', op: '!=', values: ['c0'] }] }, [big]).Connect
      ).toEqual(expected((i) => i % 500 === 0 && i % 700 !== 0));
      expect(kept({ fieldFilters: [{ field: 'traceId', op: '=~', values: ['^t1.$'] }] }, [big]).Connect).toEqual(
        expected((i) => /^t1.$/.test(`t${i}`))
      );
    });
  });
});

describe('filterKey', () => {
  it('is the same for filters that mean the same, different otherwise', () => {
    const a = filterOf({ statuses: ['Success', 'Failure'], topicFilters: ['a/#', 'b'], timeRange: { from: 1, to: 2 } });
    const b = filterOf({
      statuses: ['Failure', 'Success'],
      topicFilters: ['b', 'a/#', ''],
      timeRange: { from: 1, to: 2 },
    });
    expect(filterKey(a)).toBe(filterKey(b));
    expect(filterKey(a)).not.toBe(filterKey({ ...a, timeRange: { from: 1, to: 3 } }));
    expect(filterKey(a)).not.toBe(filterKey({ ...a, timeRange: undefined }));
    expect(filterKey(a)).not.toBe(filterKey({ ...a, search: 'x' }));
    expect(filterKey(a)).not.toBe(filterKey({ ...a, eventTypes: ['Connect'] }));
    expect(filterKey(a)).not.toBe(filterKey({ ...a, components: ['jobs'] }));
    const f1: ResolvedFieldFilter = { field: 'x', op: '=', values: ['1', '2'] };
    const f2: ResolvedFieldFilter = { field: 'y', op: 'exists', values: [] };
    expect(filterKey(filterOf({ fieldFilters: [f1, f2] }))).toBe(
      filterKey(
        filterOf({
          fieldFilters: [
            { ...f2, values: ['z'] },
            { ...f1, values: ['2', '1'] },
          ],
        })
      )
    );
    expect(filterKey(filterOf({ fieldFilters: [f1] }))).not.toBe(
      filterKey(filterOf({ fieldFilters: [{ ...f1, op: '!=' }] }))
    );
  });
});

describe('the editor and the engine agree on unfinished field filters', () => {
  it('ignores every filter the editor calls not effective', () => {
    for (const op of FILTER_OPERATORS) {
      for (const value of ['', '  ', 'x']) {
        const filter = { field: 'clientId', op, value };
        if (!isEffective(filter)) {
          expect(kept({ fieldFilters: [{ field: 'clientId', op, values: [value] }] })).toEqual(kept({}));
        }
      }
    }
  });
});
