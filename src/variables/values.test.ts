import fc from 'fast-check';
import type { ScopedVars } from '@grafana/data';

import { parseTables, type TableResult } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { tableOf } from '../parsing/testTables';
import { FilterError, NO_FILTER, type RowFilter } from '../query/filter';
import { rowFilterOf, type Replace } from '../query/interpolate';
import { componentVariable, fleet, fleetMinute } from './testFleet';
import { asLogsQuery, getDefaultVariableQuery, type IotLogsVariableQuery } from './variableQuery';
import { limitValues, sortValues, topValues, variableValues, type ValueCount, type ValuesSpec } from './values';

const ALL = NO_FILTER;

const byCount = (spec: ValuesSpec, result: TableResult = fleet(), filter: RowFilter = ALL) =>
  variableValues(result, filter, { ...spec, sort: 'count' });

const pairs = (values: readonly ValueCount[]) => values.map((v) => [v.value, v.count]);

describe('variableValues', () => {
  it('lists every eventType of AWS reference examples, once each', () => {
    const examples = awsReferenceExamples();
    const result = parseTables(examples.map((e) => e.text).join('\n'));
    const values = variableValues(result, ALL, { values: 'eventType', sort: 'name' });
    expect(values.map((v) => v.value)).toEqual([...new Set(examples.map((e) => e.eventType))].sort(compareNames));
    expect(values.every((v) => v.count === 1)).toBe(true);
  });

  it('counts eventTypes, most frequent first, ties by name', () => {
    expect(pairs(byCount({ values: 'eventType' }))).toEqual([
      ['Connect', 5],
      ['Publish-In', 3],
      ['RuleExecution', 2],
      ['UpdateJobExecution', 2],
      ['UpdateThingShadow', 1],
    ]);
  });

  it('lists components by id, with their names as labels', () => {
    expect(byCount({ values: 'component' })).toEqual([
      { value: 'message-broker', count: 8, label: 'Message broker' },
      { value: 'jobs', count: 2, label: 'Jobs' },
      { value: 'rules-engine', count: 2, label: 'Rules engine' },
      { value: 'device-shadow', count: 1, label: 'Device Shadow' },
    ]);
    // By name sorts by what the user reads: the label.
    expect(variableValues(fleet(), ALL, { values: 'component', sort: 'name' }).map((v) => v.label)).toEqual([
      'Device Shadow',
      'Jobs',
      'Message broker',
      'Rules engine',
    ]);
  });

  it('counts every clientId across event types; entries without one give none', () => {
    expect(pairs(byCount({ values: 'clientId' }))).toEqual([
      ['sensor-1', 5],
      ['sensor-2', 4],
      ['pump-7', 2],
      ['sensor-10', 1],
    ]);
  });

  it('sorts by name with numbers in names read as numbers', () => {
    const values = variableValues(fleet(), ALL, { values: 'clientId', sort: 'name' });
    expect(values.map((v) => v.value)).toEqual(['pump-7', 'sensor-1', 'sensor-2', 'sensor-10']);
  });

  it('lists statuses, thing names (derived from topics), rule names and job ids as written', () => {
    expect(pairs(byCount({ values: 'status' }))).toEqual([
      ['Success', 12],
      ['Failure', 1],
    ]);
    expect(pairs(byCount({ values: 'thingName' }))).toEqual([['pump-7', 3]]);
    expect(pairs(byCount({ values: 'ruleName' }))).toEqual([['TempRule', 2]]);
    expect(pairs(byCount({ values: 'jobId' }))).toEqual([
      ['002', 1],
      ['003', 1],
    ]);
  });

  it('lists topics of every topic field, a row once per distinct topic', () => {
    expect(pairs(byCount({ values: 'topic' }))).toEqual([
      ['sensors/2/temp', 3],
      ['$aws/things/pump-7/jobs/002/update', 1],
      ['$aws/things/pump-7/jobs/003/update', 1],
      ['$aws/things/pump-7/shadow/update', 1],
      ['alerts/temp', 1],
      ['rules/x', 1],
      ['sensors/1/temp', 1],
    ]);
  });

  it('lists the values of any field: numbers as written, table fields, unknown fields as nothing', () => {
    expect(pairs(byCount({ values: 'field', field: 'sourcePort' }))).toEqual([
      ['443', 3],
      ['8883', 2],
    ]);
    expect(pairs(byCount({ values: 'field', field: 'resources.RepublishTopic' }))).toEqual([
      ['alerts/temp', 1],
      ['rules/x', 1],
    ]);
    expect(pairs(byCount({ values: 'field', field: 'component' }))[0]).toEqual(['message-broker', 8]);
    expect(byCount({ values: 'field', field: 'noSuchField' })).toEqual([]);
    expect(byCount({ values: 'field', field: '' })).toEqual([]);
  });

  it('reads times as ISO 8601 UTC, booleans and composites as text, drops empty texts', () => {
    const table = tableOf(
      'Custom',
      [
        { timestamp: fleetMinute(0), ok: true, when: fleetMinute(1), tags: ['a'], name: '' },
        { timestamp: fleetMinute(1), ok: false, when: fleetMinute(1), tags: ['a'], name: 'x' },
      ],
      { when: 'time' }
    );
    const result: TableResult = { ...fleet(), tables: [table] };
    expect(pairs(byCount({ values: 'field', field: 'ok' }, result))).toEqual([
      ['false', 1],
      ['true', 1],
    ]);
    expect(pairs(byCount({ values: 'field', field: 'when' }, result))).toEqual([['2024-05-01T10:01:00.000Z', 2]]);
    expect(pairs(byCount({ values: 'field', field: 'timestamp' }, result))).toEqual([
      ['2024-05-01T10:00:00.000Z', 1],
      ['2024-05-01T10:01:00.000Z', 1],
    ]);
    expect(pairs(byCount({ values: 'field', field: 'tags' }, result))).toEqual([['["a"]', 2]]);
    expect(pairs(byCount({ values: 'field', field: 'name' }, result))).toEqual([['x', 1]]);
  });

  it('merges a value written as a number in one table and as text in another', () => {
    const result: TableResult = {
      ...fleet(),
      tables: [
        tableOf('A', [{ timestamp: 0, code: 5 }]),
        tableOf('B', [
          { timestamp: 0, code: '5' },
          { timestamp: 1, code: '6' },
        ]),
      ],
    };
    expect(pairs(byCount({ values: 'field', field: 'code' }, result))).toEqual([
      ['5', 2],
      ['6', 1],
    ]);
  });

  it('reads only the rows the filter keeps, time range included', () => {
    const failures: RowFilter = { ...ALL, statuses: ['failure'] };
    expect(pairs(byCount({ values: 'clientId' }, fleet(), failures))).toEqual([['sensor-1', 1]]);
    const early: RowFilter = { ...ALL, timeRange: { from: fleetMinute(0), to: fleetMinute(2) } };
    expect(pairs(byCount({ values: 'clientId' }, fleet(), early))).toEqual([
      ['sensor-1', 1],
      ['sensor-2', 1],
      ['sensor-10', 1],
    ]);
    const topics: RowFilter = { ...ALL, topicFilters: ['sensors/+/temp'] };
    expect(pairs(byCount({ values: 'ruleName' }, fleet(), topics))).toEqual([['TempRule', 1]]);
  });

  it('throws a FilterError for a filter that cannot run, whatever the data', () => {
    const bad: RowFilter = { ...ALL, fieldFilters: [{ field: 'clientId', op: '=~', values: ['('] }] };
    expect(() => byCount({ values: 'clientId' }, fleet(), bad)).toThrow(FilterError);
  });

  it('never writes into the tables (their arrays are frozen by tableOf)', () => {
    const result: TableResult = {
      ...fleet(),
      tables: [tableOf('Connect', [{ timestamp: 0, clientId: 'a', topicName: 't', resources: 'x' }])],
    };
    for (const values of ['clientId', 'topic', 'eventType', 'component'] as const) {
      expect(() => byCount({ values }, result)).not.toThrow();
    }
  });
});

describe('chained variables', () => {
  /** Grafana's replace as the plugin uses it: `$name` → the variable's values (a format function gets them). */
  const replaceWith =
    (variables: Record<string, string[]>): Replace =>
    (text, _scopedVars?: ScopedVars, format?) =>
      text.replace(/\$(\w+)/g, (all, name: string) => {
        const values = variables[name];
        if (!values) {
          return all;
        }
        if (typeof format === 'function') {
          return format(values.length === 1 ? values[0] : values);
        }
        return values.join(',');
      });

  const clientIdsOf = (query: Partial<IotLogsVariableQuery>, variables: Record<string, string[]>) => {
    const q: IotLogsVariableQuery = { refId: 'v', ...getDefaultVariableQuery(), values: 'clientId', ...query };
    const filter = rowFilterOf(asLogsQuery(q), replaceWith(variables), {}, { from: 0, to: 0 });
    return variableValues(fleet(), filter, { values: 'clientId', sort: 'name' }).map((v) => v.value);
  };

  it('narrows clientIds to the components a $component variable holds', () => {
    const q: Partial<IotLogsVariableQuery> = { components: [componentVariable] };
    expect(clientIdsOf(q, { component: ['jobs'] })).toEqual(['pump-7']);
    expect(clientIdsOf(q, { component: ['rules-engine', 'jobs'] })).toEqual(['pump-7', 'sensor-1', 'sensor-2']);
  });

  it('works through a field filter on component, event type and status too', () => {
    expect(
      clientIdsOf({ fieldFilters: [{ field: 'component', op: '=', value: '$component' }] }, { component: ['jobs'] })
    ).toEqual(['pump-7']);
    expect(clientIdsOf({ eventTypes: ['$eventType'] }, { eventType: ['Publish-In'] })).toEqual([
      'sensor-1',
      'sensor-2',
    ]);
    expect(clientIdsOf({ statuses: ['$status'] }, { status: ['Failure'] })).toEqual(['sensor-1']);
  });
});

describe('sortValues and limitValues', () => {
  const values: ValueCount[] = [
    { value: 'b', count: 1 },
    { value: 'a', count: 3 },
    { value: 'c', count: 2 },
    { value: 'item-10', count: 2 },
    { value: 'item-9', count: 2 },
  ];

  it('sorts most frequent first (ties by name) or by name, in a new array', () => {
    const copy = [...values];
    expect(sortValues(values, 'count').map((v) => v.value)).toEqual(['a', 'c', 'item-9', 'item-10', 'b']);
    expect(sortValues(values, 'name').map((v) => v.value)).toEqual(['a', 'b', 'c', 'item-9', 'item-10']);
    expect(values).toEqual(copy);
  });

  it('keeps the most frequent values, in the order asked', () => {
    expect(limitValues(sortValues(values, 'count'), 2, 'count').map((v) => v.value)).toEqual(['a', 'c']);
    expect(limitValues(sortValues(values, 'name'), 3, 'name').map((v) => v.value)).toEqual(['a', 'c', 'item-9']);
    const short = sortValues(values, 'name');
    expect(limitValues(short, 10, 'name')).toBe(short);
  });
});

function compareNames(a: string, b: string): number {
  return new Intl.Collator('en', { numeric: true }).compare(a, b);
}

describe('topValues', () => {
  const counted = (counts: number[]): ValueCount[] => counts.map((count, i) => ({ value: `v${i}`, count }));

  it('keeps the most frequent, sorted as asked, the same as sorting them all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom<'count' | 'name'>('count', 'name'),
        (counts, limit, sort) => {
          const values = counted(counts);
          const top = topValues(values, limit, sort);
          expect(top.length).toBe(Math.min(limit, values.length));
          expect(top).toEqual(sortValues(top, sort));
          // Every kept value is at least as frequent as every value left out.
          const kept = new Set(top.map((v) => v.value));
          const least = Math.min(...top.map((v) => v.count));
          expect(values.every((v) => kept.has(v.value) || v.count <= least)).toBe(true);
        }
      )
    );
  });

  it('of the values tied at the cut, keeps those seen first', () => {
    expect(topValues(counted([1, 1, 3, 1, 2]), 3, 'count').map((v) => v.value)).toEqual(['v2', 'v4', 'v0']);
  });
});
