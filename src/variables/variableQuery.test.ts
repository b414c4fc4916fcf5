import { migrateQuery } from '../migrations/migrateQuery';
import { getDefaultQuery, SCHEMA_VERSION } from '../types';
import {
  asLogsQuery,
  getDefaultVariableQuery,
  LOGS_VERSION_OF_VARIABLE,
  migrateVariableQuery,
  VARIABLE_REF_ID,
  VARIABLE_SCHEMA_VERSION,
  VARIABLE_VALUES,
  valuesOfName,
  withLogsQuery,
  withValues,
  type IotLogsVariableQuery,
} from './variableQuery';

const defaults = (patch: Partial<IotLogsVariableQuery> = {}): IotLogsVariableQuery => ({
  refId: VARIABLE_REF_ID,
  ...getDefaultVariableQuery(),
  ...patch,
});

describe('migrateVariableQuery', () => {
  it('leaves a current query as it is', () => {
    const query: IotLogsVariableQuery = {
      refId: 'V',
      datasource: { type: 'seed-awsiotlogs-datasource', uid: 'iot' },
      schemaVersion: VARIABLE_SCHEMA_VERSION,
      source: { type: 'url', path: 'logs/$day.json' },
      format: 'ndjson',
      ignoreTimeRange: false,
      components: ['jobs'],
      eventTypes: ['$eventType'],
      statuses: ['Failure'],
      logLevels: ['ERROR'],
      fieldFilters: [{ field: 'component', op: '=', value: '$component' }],
      topicFilters: ['$aws/things/+/jobs/#'],
      search: 'timeout',
      values: 'field',
      field: 'resources.RepublishTopic',
      sort: 'name',
      showCounts: true,
      keptSources: { inline: { source: { type: 'inline', content: '{}' }, ignoreTimeRange: true } },
    };
    expect(migrateVariableQuery(query)).toEqual(query);
    expect(migrateVariableQuery(migrateVariableQuery(query))).toEqual(query);
  });

  it('gives the defaults for nothing, an empty string, a bare { refId } and other values', () => {
    expect(migrateVariableQuery(undefined)).toEqual(defaults());
    expect(migrateVariableQuery(null)).toEqual(defaults());
    expect(migrateVariableQuery('')).toEqual(defaults());
    expect(migrateVariableQuery('   ')).toEqual(defaults());
    expect(migrateVariableQuery(42)).toEqual(defaults());
    expect(migrateVariableQuery([])).toEqual(defaults());
    expect(migrateVariableQuery({ refId: 'A' })).toEqual(defaults({ refId: 'A' }));
  });

  it('reads a string of an old dashboard: a known name lists that, in any case, singular or plural', () => {
    expect(migrateVariableQuery('clientId')).toEqual(defaults({ values: 'clientId' }));
    expect(migrateVariableQuery('ClientIds')).toEqual(defaults({ values: 'clientId' }));
    expect(migrateVariableQuery(' eventTypes ')).toEqual(defaults({ values: 'eventType' }));
    expect(migrateVariableQuery('Event types')).toEqual(defaults({ values: 'eventType' }));
    expect(migrateVariableQuery('statuses')).toEqual(defaults({ values: 'status' }));
    expect(migrateVariableQuery('thing_names')).toEqual(defaults({ values: 'thingName' }));
    expect(migrateVariableQuery('topics')).toEqual(defaults({ values: 'topic' }));
    expect(migrateVariableQuery('component')).toEqual(defaults({ values: 'component' }));
    expect(migrateVariableQuery('field')).toEqual(defaults({ values: 'field', field: '' }));
  });

  it('reads any other string as the field whose values to list', () => {
    expect(migrateVariableQuery('sourceIp')).toEqual(defaults({ values: 'field', field: 'sourceIp' }));
    expect(migrateVariableQuery('resources.RepublishTopic')).toEqual(
      defaults({ values: 'field', field: 'resources.RepublishTopic' })
    );
    expect(migrateVariableQuery('$field')).toEqual(defaults({ values: 'field', field: '$field' }));
    // topicName is a field (the topics list reads every topic field).
    expect(migrateVariableQuery('topicName')).toEqual(defaults({ values: 'field', field: 'topicName' }));
  });

  it("reads Grafana's { query } shape like a string", () => {
    expect(migrateVariableQuery({ refId: 'A', query: 'ruleNames' })).toEqual(
      defaults({ refId: 'A', values: 'ruleName' })
    );
    expect(migrateVariableQuery({ refId: 'A', query: 'principalId' })).toEqual(
      defaults({ refId: 'A', values: 'field', field: 'principalId' })
    );
  });

  it('reads hand-written objects: names in any case, unknown values as a field, options as text', () => {
    expect(migrateVariableQuery({ values: 'JobIds', sort: 'Name', showCounts: 'true' })).toEqual(
      defaults({ values: 'jobId', sort: 'name', showCounts: true })
    );
    expect(migrateVariableQuery({ values: 'sourcePort' })).toEqual(defaults({ values: 'field', field: 'sourcePort' }));
    expect(migrateVariableQuery({ values: 'field', field: ' clientId ' })).toEqual(
      defaults({ values: 'field', field: 'clientId' })
    );
    expect(migrateVariableQuery({ values: 'field' })).toEqual(defaults({ values: 'field', field: '' }));
    // A field without `values: 'field'` is not listed (the values say what to list).
    expect(migrateVariableQuery({ values: 'status', field: 'x' })).toEqual(defaults({ values: 'status' }));
    expect(migrateVariableQuery({ values: 42, sort: 'random', showCounts: 'yes' })).toEqual(defaults());
  });

  it("reads the source and filters as migrateQuery reads a query's", () => {
    // A source object and no version: version 2 defaults (the sample respects the time range).
    expect(migrateVariableQuery({ values: 'clientId', source: { type: 'sample' } })).toEqual(
      defaults({ values: 'clientId', source: { type: 'sample' }, ignoreTimeRange: false })
    );
    // Version 0: content at the top, single filters.
    expect(
      migrateVariableQuery({
        refId: 'A',
        content: '{"a":1}',
        component: 'jobs',
        eventType: 'Connect',
        values: 'clientId',
      })
    ).toEqual(
      defaults({
        refId: 'A',
        values: 'clientId',
        source: { type: 'inline', content: '{"a":1}' },
        components: ['jobs'],
        eventTypes: ['Connect'],
      })
    );
    // Unknown components are dropped, variables kept; field filters without a field dropped.
    expect(
      migrateVariableQuery({
        schemaVersion: 1,
        components: ['jobs', 'nope', '$component'],
        fieldFilters: [{ field: 'clientId', op: '=', value: 'a' }, { op: '=' }],
      })
    ).toEqual(
      defaults({
        components: ['jobs', '$component'] as IotLogsVariableQuery['components'],
        fieldFilters: [{ field: 'clientId', op: '=', value: 'a' }],
      })
    );
  });

  it('keeps what Grafana stores on queries, drops what it does not know', () => {
    const migrated = migrateVariableQuery({ refId: 'A', hide: false, key: 'k', junk: 1, query: 'status' });
    expect(migrated).toEqual(defaults({ refId: 'A', hide: false, key: 'k', values: 'status' }));
  });

  it('never mutates what it reads', () => {
    const stored = Object.freeze({ refId: 'A', values: 'clientId', components: Object.freeze(['jobs']) });
    expect(() => migrateVariableQuery(stored)).not.toThrow();
  });
});

describe('the variable query and the panel query', () => {
  it('holds the filters of the current panel query version (a new one needs a new variable version)', () => {
    expect(LOGS_VERSION_OF_VARIABLE[VARIABLE_SCHEMA_VERSION]).toBe(SCHEMA_VERSION);
  });

  it('has the same source and filter defaults as a new panel query', () => {
    const logs = asLogsQuery(defaults());
    expect(logs).toEqual({ refId: VARIABLE_REF_ID, ...getDefaultQuery() });
    expect(migrateQuery(logs)).toEqual(logs);
  });

  it('moves filters both ways without losing the variable options', () => {
    const query = defaults({ values: 'field', field: 'x', sort: 'name', showCounts: true });
    const logs = { ...asLogsQuery(query), components: ['jobs' as const], search: 'a', output: 'table' as const };
    const back = withLogsQuery(query, logs);
    expect(back).toEqual({ ...query, components: ['jobs'], search: 'a' });
    expect(back).not.toHaveProperty('output');
    expect(back).not.toHaveProperty('keptSources');
  });

  it('keeps the field only for field values', () => {
    const query = defaults({ values: 'field', field: 'x' });
    expect(withValues(query, 'clientId')).toEqual(defaults({ values: 'clientId' }));
    expect(withValues(defaults(), 'field')).toEqual(defaults({ values: 'field', field: '' }));
  });

  it('knows every values name by itself', () => {
    for (const values of VARIABLE_VALUES) {
      expect(valuesOfName(values)).toBe(values);
    }
    expect(valuesOfName('nope')).toBeUndefined();
  });
});
