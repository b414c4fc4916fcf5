import { dateTime, type AdHocVariableFilter, type MetricFindValue, type TimeRange } from '@grafana/data';

import { getEventTypeSchema, type TableResult } from '../parsing';
import { tableOf } from '../parsing/testTables';
import { SourceError } from '../sources';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { IotLogsAdHocSupport, tagKeys, tagValues } from './adhoc';
import { componentVariable, FLEET_TEXT, fleet, fleetMinute } from './testFleet';
import type { DataReader, ParseOptions } from './types';

const names = (values: MetricFindValue[]) => values.map((v) => v.value);

const filter = (key: string, operator: string, value: string, values?: string[]): AdHocVariableFilter => ({
  key,
  operator,
  value,
  ...(values ? { values } : {}),
});

describe('tagKeys', () => {
  it('offers the documented fields of every component and the fields seen, sorted, each once', () => {
    const keys = names(tagKeys([fleet()], []));
    expect(keys).toEqual([...new Set(keys)]);
    expect(keys).toEqual(
      [...keys].sort((a, b) => new Intl.Collator('en', { numeric: true }).compare(String(a), String(b)))
    );
    // Documented fields of components the data does not have, the filterable table fields, fields seen.
    for (const key of [
      'deviceCertificateId',
      'ruleName',
      'clientId',
      'component',
      'eventType',
      'resources.RepublishTopic',
    ]) {
      expect(keys).toContain(key);
    }
    // `resources` is an object: its keys are fields, not itself; the body is no field to filter by.
    expect(keys).not.toContain('resources');
    expect(keys).not.toContain('body');
    expect(keys.every((k, i) => tagKeys([fleet()], [])[i].text === k)).toBe(true);
  });

  it('offers only the fields of the chosen components, documented or seen', () => {
    const keys = names(tagKeys([fleet()], ['jobs']));
    for (const field of getEventTypeSchema('UpdateJobExecution')!.fields) {
      expect(keys).toContain(field.name);
    }
    expect(keys).not.toContain('ruleName');
    expect(keys).not.toContain('resources.RepublishTopic');
    // A column only seen in the data (not documented for jobs) counts.
    const seen = { ...fleet(), tables: [tableOf('UpdateJobExecution', [{ timestamp: 0, rolloutId: 'r' }])] };
    expect(names(tagKeys([seen], ['jobs']))).toContain('rolloutId');
  });

  it('offers documented fields without data, and ignores names that are no component', () => {
    const keys = names(tagKeys([], ['$component', 'nope']));
    expect(keys).toEqual(names(tagKeys([], [])));
    expect(keys).toContain('clientId');
  });
});

describe('tagValues', () => {
  it('lists the distinct values seen, most frequent first, text = value', () => {
    expect(tagValues([fleet()], 'clientId')).toEqual([
      { text: 'sensor-1', value: 'sensor-1' },
      { text: 'sensor-2', value: 'sensor-2' },
      { text: 'pump-7', value: 'pump-7' },
      { text: 'sensor-10', value: 'sensor-10' },
    ]);
    expect(names(tagValues([fleet()], 'eventType'))[0]).toBe('Connect');
    expect(tagValues([fleet()], 'noSuchField')).toEqual([]);
  });

  it('offers the levels for `severity`, the key log details use for logLevel (filters read it as logLevel)', () => {
    expect(tagValues([fleet()], 'severity')).toEqual(tagValues([fleet()], 'logLevel'));
    expect(tagValues([fleet()], 'severity').length).toBeGreaterThan(0);
  });

  it('adds up values of several parses, each parse once', () => {
    const a = fleet();
    const b: TableResult = { ...fleet(), tables: [tableOf('Connect', [{ timestamp: 0, clientId: 'pump-7' }])] };
    expect(names(tagValues([a, a, b], 'clientId'))).toEqual(['sensor-1', 'sensor-2', 'pump-7', 'sensor-10']);
    const c: TableResult = {
      ...fleet(),
      tables: [
        tableOf(
          'Connect',
          [1, 2, 3].map((t) => ({ timestamp: t, clientId: 'pump-7' }))
        ),
      ],
    };
    expect(names(tagValues([a, c], 'clientId'))[0]).toBe('pump-7');
  });

  it('is narrowed by the other ad hoc filters, not by one on its own key', () => {
    expect(names(tagValues([fleet()], 'clientId', [filter('status', '=', 'Failure')]))).toEqual(['sensor-1']);
    expect(names(tagValues([fleet()], 'clientId', [filter('clientId', '=', 'sensor-1')]))).toHaveLength(4);
    expect(
      names(tagValues([fleet()], 'clientId', [filter('eventType', '=|', '', ['UpdateJobExecution', 'RuleExecution'])]))
    ).toEqual(['pump-7', 'sensor-1', 'sensor-2']);
    expect(names(tagValues([fleet()], 'jobId', [filter('component', '!=', 'jobs')]))).toEqual([]);
  });

  it('reads every row when the other filters cannot run, leaves out filters it cannot apply', () => {
    expect(names(tagValues([fleet()], 'clientId', [filter('status', '=~', '(')]))).toHaveLength(4);
    expect(names(tagValues([fleet()], 'clientId', [filter('status', '<>', 'x')]))).toHaveLength(4);
  });

  it('keeps a parse to its time range, unless one of its queries reads it whole', () => {
    const result = fleet();
    const timeRange = { from: fleetMinute(9), to: fleetMinute(12) };
    expect(names(tagValues([{ result, timeRange }], 'clientId'))).toEqual(['pump-7', 'sensor-1']);
    expect(names(tagValues([{ result, timeRange }, result], 'clientId'))).toHaveLength(4);
  });
});

describe('IotLogsAdHocSupport', () => {
  const query = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
    refId: 'A',
    ...getDefaultQuery(),
    source: { type: 'inline', content: FLEET_TEXT },
    ...patch,
  });

  function reader(parse: (q: Parameters<DataReader['parse']>[0], o?: ParseOptions) => Promise<TableResult>) {
    return {
      parse: jest.fn(parse),
      replace: (text: string) => (text === '$component' ? 'jobs' : text),
    };
  }

  const range = (from: number, to: number): TimeRange => ({
    from: dateTime(from),
    to: dateTime(to),
    raw: { from: dateTime(from), to: dateTime(to) },
  });

  it('reads the sources of the queries Grafana passes, migrated, hidden and empty ones left out', async () => {
    const ds = reader(async () => fleet());
    const support = new IotLogsAdHocSupport(ds);
    const stored = { refId: 'B', content: FLEET_TEXT } as unknown as IotLogsQuery; // version 0
    const response = await support.getTagValues({
      key: 'clientId',
      filters: [],
      queries: [stored, query({ refId: 'C', hide: true }), query({ refId: 'D', source: { type: 'url', path: '' } })],
    });
    expect(ds.parse).toHaveBeenCalledTimes(1);
    expect(ds.parse.mock.calls[0][0].source).toEqual({ type: 'inline', content: FLEET_TEXT });
    expect(names(response.data)).toEqual(['sensor-1', 'sensor-2', 'pump-7', 'sensor-10']);
    expect(response.error).toBeUndefined();
  });

  it('offers the fields of the components the queries filter by ($variables interpolated)', async () => {
    const support = new IotLogsAdHocSupport(reader(async () => fleet()));
    const jobsOnly = await support.getTagKeys({
      filters: [],
      queries: [query({ components: [componentVariable] })],
    });
    expect(names(jobsOnly.data)).toContain('jobId');
    expect(names(jobsOnly.data)).not.toContain('ruleName');
    // One query without a component filter reads every component.
    const all = await support.getTagKeys({ filters: [], queries: [query({ components: ['jobs'] }), query()] });
    expect(names(all.data)).toContain('ruleName');
  });

  it('without queries: documented keys, no values, nothing read', async () => {
    const ds = reader(async () => fleet());
    const support = new IotLogsAdHocSupport(ds);
    expect(names((await support.getTagKeys()).data)).toContain('clientId');
    expect((await support.getTagValues({ key: 'clientId', filters: [] })).data).toEqual([]);
    expect(ds.parse).not.toHaveBeenCalled();
  });

  it("keeps values to the dashboard's time range for queries that respect it", async () => {
    const ds = reader(async () => fleet());
    const support = new IotLogsAdHocSupport(ds);
    const timeRange = range(fleetMinute(9), fleetMinute(12));
    const respecting = await support.getTagValues({
      key: 'clientId',
      filters: [],
      timeRange,
      queries: [query({ ignoreTimeRange: false })],
    });
    expect(names(respecting.data)).toEqual(['pump-7', 'sensor-1']);
    expect(ds.parse.mock.calls[0][1]).toEqual({ rangeTo: fleetMinute(12) });
    const ignoring = await support.getTagValues({ key: 'clientId', filters: [], timeRange, queries: [query()] });
    expect(names(ignoring.data)).toHaveLength(4);
  });

  it('names the sources it could not read and still offers the others', async () => {
    const support = new IotLogsAdHocSupport(
      reader(async (q) => {
        if (q.source.type === 'url') {
          throw new SourceError('Could not fetch a.json from the base URL (HTTP 404).');
        }
        return fleet();
      })
    );
    const response = await support.getTagValues({
      key: 'ruleName',
      filters: [],
      queries: [query(), query({ refId: 'B', source: { type: 'url', path: 'a.json' } })],
    });
    expect(names(response.data)).toEqual(['TempRule']);
    expect(response.error?.message).toBe(
      'Some entries could not be read (query B: Could not fetch a.json from the base URL (HTTP 404).).'
    );
  });
});
