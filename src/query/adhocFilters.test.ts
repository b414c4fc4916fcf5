import type { AdHocVariableFilter, DataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../datasource';
import { awsReferenceExamples } from '../parsing/testutils';
import { NO_BACKEND, NO_VARIABLES, TEST_SETTINGS, testRequest } from '../testDataSource';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { adhocFieldFilters } from './adhocFilters';
import { FilterError } from './filter';

const settings = TEST_SETTINGS;
const templateSrv = NO_VARIABLES;

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');

function request(filters: AdHocVariableFilter[] | undefined, ...targets: Array<Partial<IotLogsQuery>>) {
  const queries = targets.map((t, i) => ({
    ...getDefaultQuery(),
    refId: String.fromCharCode(65 + i),
    source: { type: 'inline' as const, content },
    ...t,
  }));
  return testRequest(queries, { filters, requestId: 'adhoc' });
}

const rows = (frames: DataFrame[]) => frames.reduce((n, f) => n + f.length, 0);
const eventTypes = (frames: DataFrame[]) => frames.map((f) => f.name).sort();

describe('adhocFieldFilters', () => {
  it('maps every operator Grafana offers to a field filter', () => {
    expect(
      adhocFieldFilters([
        { key: 'status', operator: '=', value: 'Failure' },
        { key: 'clientId', operator: '!=', value: 'a' },
        { key: 'topicName', operator: '=~', value: '^dt/' },
        { key: 'reason', operator: '!~', value: 'KEEP' },
        { key: 'sourcePort', operator: '<', value: '100' },
        { key: 'sourcePort', operator: '>', value: '10' },
        { key: 'sourcePort', operator: '<=', value: '100' },
        { key: 'sourcePort', operator: '>=', value: '10' },
        { key: 'eventType', operator: '=|', value: 'Connect', values: ['Connect', 'Disconnect'] },
        { key: 'eventType', operator: '!=|', value: 'Connect', values: ['Connect', 'Subscribe'] },
        { key: 'severity', operator: '=', value: 'ERROR' },
      ])
    ).toEqual([
      { field: 'status', op: '=', values: ['Failure'] },
      { field: 'clientId', op: '!=', values: ['a'] },
      { field: 'topicName', op: '=~', values: ['^dt/'] },
      { field: 'reason', op: '!~', values: ['KEEP'] },
      { field: 'sourcePort', op: '<', values: ['100'] },
      { field: 'sourcePort', op: '>', values: ['10'] },
      { field: 'sourcePort', op: '<=', values: ['100'] },
      { field: 'sourcePort', op: '>=', values: ['10'] },
      { field: 'eventType', op: '=', values: ['Connect', 'Disconnect'] },
      { field: 'eventType', op: '!=', values: ['Connect', 'Subscribe'] },
      { field: 'logLevel', op: '=', values: ['ERROR'] },
    ]);
  });

  it('skips filters without a key and rejects operators it cannot apply, naming them', () => {
    expect(adhocFieldFilters(undefined)).toEqual([]);
    expect(adhocFieldFilters([{ key: '', operator: '=', value: 'x' }])).toEqual([]);
    expect(() => adhocFieldFilters([{ key: 'status', operator: '~~', value: 'x' }])).toThrow(FilterError);
    expect(() => adhocFieldFilters([{ key: 'status', operator: 'exists', value: '' }])).toThrow(/status exists/);
  });
});

describe('ad hoc filters in queries', () => {
  it('apply to every query of the request, after its own filters', async () => {
    const ds = new DataSource(settings, templateSrv, NO_BACKEND);
    const all = await lastValueFrom(ds.query(request(undefined, {}, { components: ['rules-engine'] })));
    const filtered = await lastValueFrom(
      ds.query(request([{ key: 'status', operator: '=', value: 'Failure' }], {}, { components: ['rules-engine'] }))
    );
    const byRef = (frames: DataFrame[], refId: string) => frames.filter((f) => f.refId === refId);
    const allA = byRef(all.data, 'A');
    const filteredA = byRef(filtered.data, 'A');
    expect(rows(filteredA)).toBeGreaterThan(0);
    expect(rows(filteredA)).toBeLessThan(rows(allA));
    for (const frame of filteredA) {
      expect(frame.fields.find((f) => f.name === 'status')!.values.every((v) => v === 'Failure')).toBe(true);
    }
    // B keeps its own component filter too.
    for (const name of eventTypes(byRef(filtered.data, 'B'))) {
      expect(eventTypes(byRef(all.data, 'B'))).toContain(name);
    }
    expect(rows(byRef(filtered.data, 'B'))).toBeLessThan(rows(byRef(all.data, 'B')));
  });

  it('narrow counts like the same field filter in the query would', async () => {
    const ds = new DataSource(settings, templateSrv, NO_BACKEND);
    const viaAdhoc = await lastValueFrom(
      ds.query(
        request([{ key: 'eventType', operator: '=|', value: '', values: ['Connect', 'Disconnect'] }], {
          output: 'counts',
        })
      )
    );
    const viaQuery = await lastValueFrom(
      ds.query(request(undefined, { output: 'counts', eventTypes: ['Connect', 'Disconnect'] }))
    );
    const counts = (frames: DataFrame[]) => frames[0].fields.map((f) => [...f.values]);
    expect(counts(viaAdhoc.data)).toEqual(counts(viaQuery.data));
    expect(counts(viaAdhoc.data)[0]).toEqual(['Connect', 'Disconnect']);
  });

  it('an operator it cannot apply is an error on every query, nothing thrown', async () => {
    const ds = new DataSource(settings, templateSrv, NO_BACKEND);
    const response = await lastValueFrom(ds.query(request([{ key: 'status', operator: '~~', value: 'x' }], {}, {})));
    expect(response.errors?.map((e) => e.refId)).toEqual(['A', 'B']);
    expect(response.errors?.[0].message).toMatch(/operator AWS IoT Logs does not support/);
  });
});

describe('ad hoc filters in a query that carries them ("Explore" from a panel)', () => {
  it('become the query’s field filters, one each, after its own', () => {
    const ds = new DataSource(settings, templateSrv, NO_BACKEND);
    const [query] = ds.interpolateVariablesInQueries(
      [{ ...getDefaultQuery(), refId: 'A', fieldFilters: [{ field: 'clientId', op: 'exists' }] }],
      {},
      [
        { key: 'status', operator: '=', value: 'Failure' },
        { key: 'eventType', operator: '!=|', value: '', values: ['Connect', 'Publish-In'] },
        { key: 'status', operator: '~~', value: 'left out: the run reports it' },
      ]
    );
    expect(query.fieldFilters).toEqual([
      { field: 'clientId', op: 'exists' },
      { field: 'status', op: '=', value: 'Failure' },
      { field: 'eventType', op: '!~', value: '^(?:Connect|Publish-In)$' },
    ]);
  });

  it('the interpolated query returns what the request with ad hoc filters returns', async () => {
    const ds = new DataSource(settings, templateSrv, NO_BACKEND);
    const filters: AdHocVariableFilter[] = [
      { key: 'eventType', operator: '=|', value: '', values: ['Connect', 'Disconnect', 'Publish-In'] },
      { key: 'logLevel', operator: '!=', value: 'DEBUG' },
    ];
    const viaRequest = await lastValueFrom(ds.query(request(filters, {})));
    const [concrete] = ds.interpolateVariablesInQueries(request(undefined, {}).targets, {}, filters);
    const viaQuery = await lastValueFrom(ds.query(request(undefined, concrete)));
    expect(eventTypes(viaQuery.data)).toEqual(eventTypes(viaRequest.data));
    expect(rows(viaQuery.data)).toBe(rows(viaRequest.data));
    expect(rows(viaQuery.data)).toBeGreaterThan(0);
  });
});
