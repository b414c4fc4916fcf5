import fc from 'fast-check';

import { parseTables } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { getDefaultQuery, type FieldFilter, type IotLogsQuery } from '../types';
import { selectRows, type RowFilter } from './filter';
import { interpolateQuery, interpolateValues, rowFilterOf, type Replace } from './interpolate';

const variables: Record<string, string[]> = { client: ['alpha', 'beta'], one: ['solo'], odd: ["a$'b", 'x$$y', 'p$&q'] };

/** Grafana's named formats, as far as these tests use them. */
const FORMATS: Record<string, (values: string[]) => string> = {
  regex: (values) => (values.length === 1 ? values[0] : `(${values.join('|')})`),
  csv: (values) => values.join(','),
  pipe: (values) => values.join('|'),
};

/**
 * Grafana's replace as far as the plugin uses it: `$var`, `${var}` and `${var:format}`; a format written
 * in the text wins over the caller's (TemplateSrv: `fmt || format`); a format function gets a
 * multi-value variable's values.
 */
const replace: Replace = (text, _vars, format) =>
  text.replace(/\$(\w+)|\$\{(\w+)(?::(\w+))?\}/g, (whole, plain: string, braced: string, written?: string) => {
    const values = variables[plain ?? braced];
    if (!values) {
      return whole;
    }
    const fmt = written ?? format;
    if (typeof fmt === 'function') {
      return fmt(values.length === 1 ? values[0] : values);
    }
    if (typeof fmt === 'string' && FORMATS[fmt]) {
      return FORMATS[fmt](values);
    }
    return values.length === 1 ? values[0] : `{${values.join(',')}}`;
  });

describe('interpolateValues', () => {
  it('gives one value per value of a multi-value variable, the rest of the text around each', () => {
    expect(interpolateValues('plain', replace)).toEqual(['plain']);
    expect(interpolateValues('$one', replace)).toEqual(['solo']);
    expect(interpolateValues('dev-$client', replace)).toEqual(['dev-alpha', 'dev-beta']);
  });

  it('keeps `$` patterns of values as text', () => {
    expect(interpolateValues('dev-$odd', replace)).toEqual(["dev-a$'b", 'dev-x$$y', 'dev-p$&q']);
  });

  it("uses Grafana's regex format in regular expressions", () => {
    expect(interpolateValues('^$client$', replace, undefined, '=~')).toEqual(['^(alpha|beta)$']);
    expect(interpolateValues('^${client}$', replace, undefined, '!~')).toEqual(['^(alpha|beta)$']);
  });

  it('keeps a format written in the value (`${var:regex}`, `${var:csv}`) as Grafana documents: one value', () => {
    expect(interpolateValues('${client}', replace)).toEqual(['alpha', 'beta']);
    expect(interpolateValues('${client:regex}', replace)).toEqual(['(alpha|beta)']);
    expect(interpolateValues('${client:csv}', replace)).toEqual(['alpha,beta']);
    expect(interpolateValues('${client:pipe}', replace, undefined, '=~')).toEqual(['alpha|beta']);
    // A written format on one variable, the other multi-value variable still means any of its values.
    expect(interpolateValues('${odd:csv}/$client', replace)).toEqual(["a$'b,x$$y,p$&q/alpha", "a$'b,x$$y,p$&q/beta"]);
  });
});

describe('rowFilterOf', () => {
  const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

  it('makes a multi-value variable in free text any of its values', () => {
    expect(rowFilterOf(query({ search: '$client' }), replace, undefined, { from: 0, to: 1 }).search).toEqual([
      'alpha',
      'beta',
    ]);
  });

  it('expands variables in every filter value, and keeps the time range unless the query ignores it', () => {
    const filter = rowFilterOf(
      query({
        statuses: ['$one'],
        fieldFilters: [{ field: 'clientId', op: '=', value: '$client' }],
        topicFilters: ['fleet/$client/#'],
        ignoreTimeRange: false,
      }),
      replace,
      undefined,
      { from: 5, to: 9 }
    );
    expect(filter).toMatchObject({
      statuses: ['solo'],
      fieldFilters: [{ field: 'clientId', op: '=', values: ['alpha', 'beta'] }],
      topicFilters: ['fleet/alpha/#', 'fleet/beta/#'],
      timeRange: { from: 5, to: 9 },
    });
  });
});

describe('interpolateQuery', () => {
  const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

  it('replaces every value, one field filter each, meaning what the run means', () => {
    const q = interpolateQuery(
      query({
        source: { type: 'url', path: 'fleet/$one.json' },
        eventTypes: ['$client'],
        fieldFilters: [
          { field: 'clientId', op: '=', value: '$client' },
          { field: 'clientId', op: '!=', value: 'dev-$odd' },
          { field: 'topicName', op: '=~', value: '^$client/' },
          { field: 'sourcePort', op: '>', value: '$one' },
          { field: 'reason', op: 'exists' },
        ],
        topicFilters: ['fleet/$client/#'],
        search: '$one',
        groupBy: ['$one'],
      }),
      replace,
      undefined,
      [{ field: 'status', op: '=', value: 'Failure' }]
    );
    expect(q).toMatchObject({
      source: { type: 'url', path: 'fleet/solo.json' },
      eventTypes: ['alpha', 'beta'],
      fieldFilters: [
        { field: 'clientId', op: '=~', value: '^(?:alpha|beta)$' },
        { field: 'clientId', op: '!~', value: "^(?:dev-a\\$'b|dev-x\\$\\$y|dev-p\\$&q)$" },
        { field: 'topicName', op: '=~', value: '^(alpha|beta)/' },
        { field: 'sourcePort', op: '>', value: 'solo' },
        { field: 'reason', op: 'exists' },
        { field: 'status', op: '=', value: 'Failure' },
      ],
      topicFilters: ['fleet/alpha/#', 'fleet/beta/#'],
      search: 'solo',
      groupBy: ['solo'],
    });
  });

  it('leaves out empty values, as the run does (a multi-value variable with empty values)', () => {
    variables.blank = ['', ''];
    const q = interpolateQuery(query({ fieldFilters: [{ field: 'eventType', op: '=', value: '$blank' }] }), replace);
    expect(q.fieldFilters).toEqual([{ field: 'eventType', op: '=', value: '' }]);
    delete variables.blank;
  });

  it('turns a multi-value search into a case-insensitive alternation on the entry', () => {
    const q = interpolateQuery(query({ search: '$client' }), replace);
    expect(q.search).toBe('');
    expect(q.fieldFilters).toEqual([{ field: 'body', op: '=~', value: '(?i)(?:alpha|beta)' }]);
  });

  it('keeps the rows: running the interpolated query with no variables keeps what the original keeps (property)', () => {
    const { tables } = parseTables(
      awsReferenceExamples()
        .map((e) => e.text)
        .join('\n')
    );
    const identity: Replace = (text) => text;
    const keys = (filter: RowFilter) =>
      selectRows(tables, filter)
        .selections.map((s) => `${s.table.eventType}:${s.rows ? [...s.rows].join(',') : 'all'}`)
        .join(' ');
    const words = ['Connect', 'Failure', 'ERROR', 'iotconsole', 'a.b|c', 'TestThing', 'rule', '$(x)', ''];
    // Numbers and times in several spellings: filters compare them by value.
    const amounts = ['443', '443.0', '4.43e2', '8883', '0', '2017-08-10 15:37:23.476', '1502379443476', '2020-03-16'];
    const sameRows = (original: IotLogsQuery) => {
      const concrete = interpolateQuery(original, replace);
      expect(keys(rowFilterOf(concrete, identity, undefined, { from: 0, to: 0 }))).toBe(
        keys(rowFilterOf(original, replace, undefined, { from: 0, to: 0 }))
      );
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words, ...amounts), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('eventType', 'status', 'clientId', 'thingName', 'logLevel', 'body', 'sourcePort', 'timestamp'),
        fc.constantFrom('=', '!=', '=~', '!~'),
        fc.boolean(),
        (values, field, op, inSearch) => {
          variables.pick = values;
          sameRows(
            query(
              inSearch
                ? { search: '$pick', ignoreTimeRange: true }
                : { fieldFilters: [{ field, op: op as FieldFilter['op'], value: '$pick' }], ignoreTimeRange: true }
            )
          );
        }
      ),
      { numRuns: 100 }
    );
    fc.assert(
      fc.property(
        // All numbers or all times (a list mixing both keeps the numbers' bound: see oneFieldFilter).
        fc.oneof(
          fc.array(fc.constantFrom(...amounts.slice(0, 5), '1502379443476'), { minLength: 1, maxLength: 3 }),
          fc.array(fc.constantFrom(...amounts.slice(5)), { minLength: 1, maxLength: 3 })
        ),
        fc.constantFrom('sourcePort', 'timestamp'),
        fc.constantFrom('>', '>=', '<', '<='),
        (values, field, op) => {
          variables.pick = values;
          sameRows(
            query({ fieldFilters: [{ field, op: op as FieldFilter['op'], value: '$pick' }], ignoreTimeRange: true })
          );
        }
      ),
      { numRuns: 100 }
    );
    delete variables.pick;
    // Generous: a busy machine may be slow, the property is not about speed.
  }, 60_000);
});
