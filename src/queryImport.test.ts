import { AbstractLabelOperator, type AbstractQuery } from '@grafana/data';

import { selectRows } from './query/filter';
import { rowFilterOf } from './query/interpolate';
import { parseTables } from './parsing';
import { awsReferenceExamples } from './parsing/testutils';
import { exportToAbstractQuery, importFromAbstractQuery } from './queryImport';
import { getDefaultQuery, type IotLogsQuery } from './types';

const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ ...getDefaultQuery(), refId: 'A', ...patch });
const { Equal, NotEqual, EqualRegEx, NotEqualRegEx } = AbstractLabelOperator;

describe('query export', () => {
  it('turns the query’s lists and field filters into label matchers', () => {
    expect(
      exportToAbstractQuery(
        query({
          components: ['rules-engine'],
          eventTypes: ['RuleExecution', 'RuleMatch'],
          statuses: ['Failure'],
          logLevels: ['ERROR'],
          fieldFilters: [
            { field: 'ruleName', op: '!=', value: 'r.1' },
            { field: 'topicName', op: '=~', value: 'dt/' },
            { field: 'reason', op: '!~', value: 'THROTTLE' },
            { field: 'sourcePort', op: '>', value: '10' },
            { field: 'clientId', op: 'exists' },
          ],
          search: 'kept behind',
        })
      )
    ).toEqual({
      refId: 'A',
      labelMatchers: [
        { name: 'component', operator: Equal, value: 'rules-engine' },
        { name: 'eventType', operator: EqualRegEx, value: 'RuleExecution|RuleMatch' },
        { name: 'status', operator: Equal, value: 'Failure' },
        { name: 'level', operator: Equal, value: 'ERROR' },
        { name: 'ruleName', operator: NotEqual, value: 'r.1' },
        { name: 'topicName', operator: EqualRegEx, value: '.*(?:dt/).*' },
        { name: 'reason', operator: NotEqualRegEx, value: '.*(?:THROTTLE).*' },
      ],
    });
  });

  it('escapes values in an alternation', () => {
    expect(exportToAbstractQuery(query({ eventTypes: ['a.b', 'c|d'] })).labelMatchers).toEqual([
      { name: 'eventType', operator: EqualRegEx, value: 'a\\.b|c\\|d' },
    ]);
  });
});

describe('query import', () => {
  it('turns label matchers into the query’s lists and field filters, with the default source', () => {
    const imported = importFromAbstractQuery({
      refId: 'B',
      labelMatchers: [
        { name: 'eventType', operator: Equal, value: 'Disconnect' },
        { name: 'component', operator: Equal, value: 'message-broker' },
        { name: 'component', operator: Equal, value: 'my-app' },
        { name: 'level', operator: Equal, value: 'error' },
        { name: 'detected_level', operator: EqualRegEx, value: 'warn|info' },
        { name: 'clientId', operator: Equal, value: 'sensor-1' },
        { name: 'disconnectReason', operator: NotEqual, value: 'CLIENT_INITIATED_DISCONNECT' },
        { name: 'topicName', operator: NotEqualRegEx, value: 'dt/.*' },
      ],
    });
    expect(imported).toEqual({
      ...getDefaultQuery(),
      refId: 'B',
      eventTypes: ['Disconnect'],
      components: ['message-broker'],
      logLevels: ['ERROR'],
      fieldFilters: [
        // Not a component of AWS IoT: kept as a filter (that matches nothing) rather than dropped.
        { field: 'component', op: '=', value: 'my-app' },
        { field: 'logLevel', op: '=~', value: '^(?:WARN|INFO)$' },
        { field: 'clientId', op: '=', value: 'sensor-1' },
        { field: 'disconnectReason', op: '!=', value: 'CLIENT_INITIATED_DISCONNECT' },
        { field: 'topicName', op: '!~', value: '^(?:dt/.*)$' },
      ],
    });
  });

  it('keeps a case-insensitive matcher case-insensitive, as a pattern that compiles', () => {
    const imported = importFromAbstractQuery({
      refId: 'A',
      labelMatchers: [{ name: 'clientId', operator: EqualRegEx, value: '(?i)sensor-.*' }],
    });
    expect(imported.fieldFilters).toEqual([{ field: 'clientId', op: '=~', value: '(?i)^(?:sensor-.*)$' }]);
    const { tables } = parseTables(
      JSON.stringify({ timestamp: '2026-11-30 10:00:00.000', eventType: 'Connect', clientId: 'SENSOR-1' })
    );
    const kept = selectRows(
      tables,
      rowFilterOf(imported, (t) => t, undefined, { from: 0, to: 0 })
    ).selections;
    expect(kept.map((s) => s.table.eventType)).toEqual(['Connect']);
  });

  it('an empty abstract query gives the default query', () => {
    const empty: AbstractQuery = { refId: 'C', labelMatchers: [] };
    expect(importFromAbstractQuery(empty)).toEqual({ ...getDefaultQuery(), refId: 'C' });
  });

  it('a query exported then imported keeps the same rows', () => {
    const { tables } = parseTables(
      awsReferenceExamples()
        .map((e) => e.text)
        .join('\n')
    );
    const rows = (q: IotLogsQuery) =>
      selectRows(
        tables,
        rowFilterOf(q, (t) => t, undefined, { from: 0, to: 0 })
      )
        .selections.map((s) => `${s.table.eventType}:${s.rows ? [...s.rows].join(',') : 'all'}`)
        .join(' ');
    const cases: Array<Partial<IotLogsQuery>> = [
      { eventTypes: ['Connect', 'Disconnect'], ignoreTimeRange: true },
      { components: ['rules-engine'], statuses: ['Failure'], ignoreTimeRange: true },
      {
        logLevels: ['ERROR'],
        fieldFilters: [{ field: 'eventType', op: '=~', value: 'Rule' }],
        ignoreTimeRange: true,
      },
      { fieldFilters: [{ field: 'eventType', op: '!~', value: 'Rule' }], ignoreTimeRange: true },
    ];
    for (const c of cases) {
      const original = query(c);
      const back = { ...importFromAbstractQuery(exportToAbstractQuery(original)), ignoreTimeRange: true };
      expect(rows(back)).toBe(rows(original));
      expect(rows(back)).not.toBe('');
    }
  });
});
