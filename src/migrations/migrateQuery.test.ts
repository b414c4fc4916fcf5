import { getDefaultQuery, SCHEMA_VERSION, type IotLogsQuery } from '../types';
import { migrateQuery } from './migrateQuery';

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
    expect(migrateQuery(v1)).toEqual({ ...v1, schemaVersion: SCHEMA_VERSION, format: 'auto', ignoreTimeRange: true });
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
});
