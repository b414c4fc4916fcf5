import { getDefaultQuery, SCHEMA_VERSION, type IotLogsQuery } from '../types';
import { migrateQuery } from './migrateQuery';

describe('migrateQuery', () => {
  it('completes a bare query from Grafana with the defaults', () => {
    expect(migrateQuery({ refId: 'A' })).toEqual({ refId: 'A', ...getDefaultQuery() });
  });

  it('leaves a current query as it is', () => {
    const query: IotLogsQuery = {
      refId: 'B',
      hide: false,
      datasource: { type: 'seed-awsiotlogs-datasource', uid: 'x' },
      schemaVersion: SCHEMA_VERSION,
      source: { type: 'inline', content: '{"eventType":"Connect"}' },
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
      components: ['jobs'],
      eventTypes: ['UpdateJobExecution'],
      statuses: ['Failure'],
    });
  });

  it('drops values that cannot be filters but keeps template variables', () => {
    const stored = {
      refId: 'A',
      schemaVersion: 1,
      source: { type: 'inline', content: 42 },
      components: ['message-broker', 'no-such-component', '$component', 7],
      eventTypes: 'Connect',
      statuses: [null, 'Success', ''],
    };
    expect(migrateQuery(stored)).toMatchObject({
      source: { type: 'inline', content: '' },
      components: ['message-broker', '$component'],
      eventTypes: ['Connect'],
      statuses: ['Success'],
    });
  });

  it('does not change its input and is idempotent', () => {
    const stored = Object.freeze({ refId: 'A', content: 'x', component: 'jobs' });
    const once = migrateQuery(stored);
    expect(stored).toEqual({ refId: 'A', content: 'x', component: 'jobs' });
    expect(migrateQuery(once)).toEqual(once);
  });
});
