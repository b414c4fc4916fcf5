import { getDefaultQuery, SCHEMA_VERSION, type IotLogsQuery } from '../types';
import { migrateQuery } from './migrateQuery';

/** What a query of version 2 or older gets in version 3. */
const NEW_IN_V3 = {
  logLevels: [],
  fieldFilters: [],
  topicFilters: [],
  search: '',
  output: 'logs',
  groupBy: [],
  metric: 'count',
};

describe('migrateQuery', () => {
  it('completes a bare query from Grafana with the defaults', () => {
    expect(migrateQuery({ refId: 'A' })).toEqual({ refId: 'A', ...getDefaultQuery() });
  });

  it('reads a stored format that is only ever reported, never chosen, as auto-detect', () => {
    for (const format of ['mixed', 'empty', 'text']) {
      expect(migrateQuery({ refId: 'A', format } as never).format).toBe('auto');
    }
    expect(migrateQuery({ refId: 'A', format: 'logs-tail' } as never).format).toBe('logs-tail');
  });

  it('leaves a current query as it is', () => {
    const query: IotLogsQuery = {
      refId: 'B',
      hide: false,
      datasource: { type: 'seed-awsiotlogs-datasource', uid: 'x' },
      schemaVersion: SCHEMA_VERSION,
      source: { type: 'upload', fileName: 'logs.gz', size: 12, data: 'H4sI' },
      format: 's3-export',
      ignoreTimeRange: false,
      components: ['message-broker', 'jobs'],
      eventTypes: ['Connect'],
      statuses: ['Failure'],
      logLevels: ['ERROR'],
      fieldFilters: [
        { field: 'disconnectReason', op: '=~', value: 'KEEP_ALIVE|CONNECTION_LOST' },
        { field: 'sourceIp', op: 'exists' },
      ],
      topicFilters: ['$aws/things/+/shadow/#'],
      search: 'sensor',
      output: 'timeseries',
      groupBy: ['disconnectReason'],
      metric: 'distinct',
      metricField: 'clientId',
      interval: '5m',
      limit: 5,
      combineTables: true,
    };
    expect(migrateQuery(query)).toEqual(query);
  });

  it('moves a version 0 query (top-level content, single-value filters) to the current shape', () => {
    const stored = {
      refId: 'A',
      content: 'entries',
      component: 'jobs',
      eventType: 'UpdateJobExecution',
      status: 'Failure',
    };
    expect(migrateQuery(stored)).toEqual({
      refId: 'A',
      schemaVersion: SCHEMA_VERSION,
      source: { type: 'inline', content: 'entries' },
      format: 'auto',
      ignoreTimeRange: true,
      components: ['jobs'],
      eventTypes: ['UpdateJobExecution'],
      statuses: ['Failure'],
      ...NEW_IN_V3,
    });
  });

  it('moves a version 1 query to version 2, still reading every entry whatever the time range', () => {
    const v1 = {
      refId: 'A',
      schemaVersion: 1,
      source: { type: 'inline', content: 'x' },
      components: [],
      eventTypes: [],
      statuses: ['Success'],
    };
    expect(migrateQuery(v1)).toEqual({
      ...v1,
      schemaVersion: SCHEMA_VERSION,
      format: 'auto',
      ignoreTimeRange: true,
      ...NEW_IN_V3,
    });
  });

  it('moves a version 2 query to version 3: logs output as before, no new filters', () => {
    const v2 = {
      refId: 'A',
      schemaVersion: 2,
      source: { type: 'sample' },
      format: 'auto',
      ignoreTimeRange: false,
      components: ['message-broker'],
      eventTypes: ['$eventType'],
      statuses: ['Failure'],
    };
    expect(migrateQuery(v2)).toEqual({ ...v2, schemaVersion: 3, ...NEW_IN_V3 });
    expect(migrateQuery(v2).output).toBe('logs');
  });

  it('gives { output } alone the defaults of that output', () => {
    expect(migrateQuery({ refId: 'A', output: 'timeseries' } as never)).toEqual({
      refId: 'A',
      ...getDefaultQuery(),
      output: 'timeseries',
    });
  });

  it('reads the behaviour view without regard to case, and drops an unknown one', () => {
    const stored = { refId: 'A', schemaVersion: 3, output: 'Behaviour', behaviourView: 'Series' };
    expect(migrateQuery(stored as never)).toMatchObject({ output: 'behaviour', behaviourView: 'series' });
    expect(migrateQuery({ ...stored, behaviourView: 'pie' } as never).behaviourView).toBeUndefined();
  });

  it('keeps thresholds that are numbers of at least 0 (also written as text), and drops the rest', () => {
    const stored = { refId: 'A', output: 'findings', thresholds: { stormConnects: '20', waveDevices: -1, x: 'y' } };
    expect(migrateQuery(stored as never)).toMatchObject({ output: 'findings', thresholds: { stormConnects: 20 } });
    expect(migrateQuery({ ...stored, thresholds: [3] } as never).thresholds).toBeUndefined();
  });

  it('drops v3 options of the wrong type or unknown values', () => {
    const stored = {
      refId: 'A',
      schemaVersion: 3,
      output: 'pie',
      metric: 'sum',
      metricField: 3,
      groupBy: 'clientId',
      interval: '  ',
      limit: -2,
      combineTables: 'yes',
      logLevels: ['ERROR', 4],
      fieldFilters: [
        { field: 'a', op: 'like', value: 'x' },
        { field: '', op: '=', value: 'x' },
        { field: 'latency', op: '>', value: 100 },
        { field: 'b', op: 'exists', value: 'ignored' },
        null,
      ],
      topicFilters: 'a/#',
      search: ['x'],
    };
    const migrated = migrateQuery(stored as never);
    expect(migrated).toMatchObject({
      output: 'logs',
      metric: 'count',
      groupBy: ['clientId'],
      logLevels: ['ERROR'],
      fieldFilters: [
        // An unknown operator is kept: the run says what is wrong with it.
        { field: 'a', op: 'like', value: 'x' },
        { field: 'latency', op: '>', value: '100' },
        { field: 'b', op: 'exists' },
      ],
      topicFilters: ['a/#'],
      search: '',
    });
    for (const key of ['metricField', 'interval', 'limit', 'combineTables']) {
      expect(migrated).not.toHaveProperty(key);
    }
    expect(migrateQuery({ refId: 'A', limit: '20' } as never).limit).toBe(20);
  });

  it('reads hand-written provisioning values the way they were meant', () => {
    expect(
      migrateQuery({
        refId: 'A',
        source: { type: 'sample' },
        output: 'Timeseries',
        metric: 'Distinct',
        metricField: 'clientId',
        interval: 300,
        combineTables: 'true',
      } as never)
    ).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      // A source object means version 2 or later: the sample keeps to the time range.
      ignoreTimeRange: false,
      output: 'timeseries',
      metric: 'distinct',
      interval: '300s',
      combineTables: true,
    });
    expect(migrateQuery({ refId: 'A', schemaVersion: '3', source: { type: 'url', path: 'a' } } as never)).toMatchObject(
      {
        ignoreTimeRange: false,
      }
    );
  });

  it('gives each source its time range default when none is stored', () => {
    expect(migrateQuery({ refId: 'A', schemaVersion: 2, source: { type: 'sample' } })).toMatchObject({
      ignoreTimeRange: false,
    });
    expect(migrateQuery({ refId: 'A', schemaVersion: 2, source: { type: 'url', path: 'a.json' } })).toMatchObject({
      ignoreTimeRange: false,
    });
    expect(
      migrateQuery({ refId: 'A', schemaVersion: 2, source: { type: 'upload', fileName: 'f', size: 1 } })
    ).toMatchObject({ ignoreTimeRange: true });
  });

  it('drops values that cannot be filters but keeps template variables', () => {
    const stored = {
      refId: 'A',
      schemaVersion: 1,
      source: { type: 'inline', content: 42 },
      format: 'constructor',
      components: ['message-broker', 'no-such-component', '$component', 7],
      eventTypes: 'Connect',
      statuses: [null, 'Success', ''],
    };
    expect(migrateQuery(stored)).toMatchObject({
      source: { type: 'inline', content: '' },
      format: 'auto',
      components: ['message-broker', '$component'],
      eventTypes: ['Connect'],
      statuses: ['Success'],
    });
  });

  it('repairs sources of unknown or partial shape', () => {
    expect(migrateQuery({ refId: 'A', schemaVersion: 2, source: { type: 'ftp' } }).source).toEqual({
      type: 'inline',
      content: '',
    });
    expect(migrateQuery({ refId: 'A', schemaVersion: 2, source: { type: 'upload', size: -1 } }).source).toEqual({
      type: 'upload',
      fileName: 'upload',
      size: 0,
    });
  });

  it('does not change its input and is idempotent', () => {
    const stored = Object.freeze({ refId: 'A', content: 'x', component: 'jobs' });
    const once = migrateQuery(stored);
    expect(stored).toEqual({ refId: 'A', content: 'x', component: 'jobs' });
    expect(migrateQuery(once)).toEqual(once);
  });

  describe('linkFilters (a data link filled per row)', () => {
    const link = JSON.stringify({
      eventTypes: ['Connect', 'Disconnect'],
      fieldFilters: [{ field: 'clientId', op: '=', value: 'sensor-1' }],
      from: '2024-03-04T14:00:00.000Z',
      to: '2024-03-04T14:10:00.000Z',
    });

    it('moves them into the lists, the times as timestamp filters, once', () => {
      const stored = {
        refId: 'A',
        schemaVersion: 3,
        source: { type: 'inline', content: 'x' },
        fieldFilters: [{ field: 'status', op: '=', value: 'Failure' }],
        linkFilters: link,
      };
      const once = migrateQuery(stored);
      expect(once.linkFilters).toBeUndefined();
      expect(once.eventTypes).toEqual(['Connect', 'Disconnect']);
      expect(once.fieldFilters).toEqual([
        { field: 'status', op: '=', value: 'Failure' },
        { field: 'clientId', op: '=', value: 'sensor-1' },
        { field: 'timestamp', op: '>=', value: '2024-03-04T14:00:00.000Z' },
        { field: 'timestamp', op: '<=', value: '2024-03-04T14:10:00.000Z' },
      ]);
      expect(migrateQuery(once)).toEqual(once);
    });

    it('reads an object written by hand, and leaves the times out for the sample (its times move)', () => {
      const q = migrateQuery({
        refId: 'A',
        schemaVersion: 3,
        source: { type: 'sample' },
        linkFilters: JSON.parse(link),
      });
      expect(q.eventTypes).toEqual(['Connect', 'Disconnect']);
      expect(q.fieldFilters).toEqual([{ field: 'clientId', op: '=', value: 'sensor-1' }]);
    });

    it('drops a null (a cleared field)', () => {
      expect(migrateQuery({ refId: 'A', schemaVersion: 3, linkFilters: null })).not.toHaveProperty('linkFilters');
    });

    it('keeps text that is not such JSON, for the run to report', () => {
      for (const bad of ['{"eventTypes": [', '[1, 2]', 'null']) {
        expect(migrateQuery({ refId: 'A', schemaVersion: 3, linkFilters: bad }).linkFilters).toBe(bad);
      }
    });
  });
});
