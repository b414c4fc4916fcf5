import { thresholdsFromText, thresholdsText } from './OutputOptions';
import { parseLogs } from '../parsing';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import {
  componentOptions,
  eventTypeOptions,
  fieldFilterChangeRuns,
  fieldOptions,
  groupByOptions,
  isEffective,
  limitFromText,
  operatorTakesValue,
  summarize,
  withComponents,
  withOperator,
  withOption,
  withOutput,
} from './queryEditorOptions';

const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

describe('eventTypeOptions', () => {
  const values = (...args: Parameters<typeof eventTypeOptions>) => eventTypeOptions(...args).map((o) => o.value);

  it('lists every documented type when no component is chosen', () => {
    expect(values([], [], [])).toHaveLength(37);
  });

  it('follows the chosen components', () => {
    expect(values(['device-shadow'], [], [])).toEqual(['GetThingShadow', 'UpdateThingShadow', 'DeleteThingShadow']);
  });

  it('adds undocumented types seen in the last run to "Other" and keeps selected values', () => {
    expect(values(['unknown'], ['FutureThing', 'Connect'], [])).toEqual(['FutureThing']);
    expect(values(['device-shadow'], [], ['$eventType'])).toContain('$eventType');
    expect(eventTypeOptions([], ['FutureThing'], []).find((o) => o.value === 'FutureThing')?.description).toBe(
      'Not documented by AWS'
    );
  });
});

describe('withComponents', () => {
  it('drops selected eventTypes of other components but keeps variables', () => {
    const q = query({ eventTypes: ['Connect', 'GetThingShadow', '$type'] });
    expect(withComponents(q, ['device-shadow'])).toMatchObject({
      components: ['device-shadow'],
      eventTypes: ['GetThingShadow', '$type'],
    });
    expect(withComponents(q, [])).toMatchObject({ components: [], eventTypes: ['Connect', 'GetThingShadow', '$type'] });
  });
});

describe('summarize', () => {
  it('says entries, rejected, format and event types in one line', () => {
    expect(summarize(parseLogs('{"timestamp":"2020-01-01 00:00:00.000","eventType":"Connect"}\nx').stats)).toBe(
      '1 entry · 1 rejected · format: one JSON entry per line · 1 event type'
    );
  });
});

it('offers every component', () => {
  expect(componentOptions.map((o) => o.value)).toEqual([
    'message-broker',
    'ocsp',
    'device-shadow',
    'rules-engine',
    'jobs',
    'device-provisioning',
    'thing-groups',
    'fleet-indexing',
    'unknown',
  ]);
});

describe('field options', () => {
  const values = (options: Array<{ value: string }>) => options.map((o) => o.value);

  it('offers the fields every table has, then the documented fields of the chosen eventTypes', () => {
    const fields = values(fieldOptions(query({ eventTypes: ['Connect'] })));
    expect(fields.slice(0, 4)).toEqual(['eventType', 'component', 'timestamp', 'body']);
    expect(fields).toEqual(expect.arrayContaining(['clientId', 'sourceIp', 'principalId', 'logLevel']));
    expect(fields).not.toContain('jobId');
  });

  it('follows the chosen components when no eventType is chosen, and leaves objects to their keys', () => {
    const jobs = values(fieldOptions(query({ components: ['jobs'] })));
    expect(jobs).toContain('jobId');
    expect(jobs).not.toContain('sourcePort');
    expect(values(fieldOptions(query({})))).not.toContain('resources');
  });

  it('adds the fields of the last run and the fields in use, each once', () => {
    const options = fieldOptions(
      query({ eventTypes: ['Connect'] }),
      ['resources.RepublishTopic', 'clientId'],
      ['custom']
    );
    expect(values(options).filter((v) => v === 'clientId')).toHaveLength(1);
    expect(options.find((o) => o.value === 'resources.RepublishTopic')?.description).toBe('Found in the last run');
    expect(values(options)).toContain('custom');
  });

  it('offers eventType, status, component and logLevel first to group by, never body or timestamp', () => {
    const options = values(groupByOptions(query({ groupBy: ['thingName'] })));
    expect(options.slice(0, 4)).toEqual(['eventType', 'status', 'component', 'logLevel']);
    expect(options).toContain('thingName');
    expect(options).not.toContain('body');
    expect(options).not.toContain('timestamp');
  });
});

describe('field filter rules', () => {
  it('drops the value of exists and missing, and brings it back empty', () => {
    expect(withOperator({ field: 'clientId', op: '=', value: 'a' }, 'exists')).toEqual({
      field: 'clientId',
      op: 'exists',
    });
    expect(withOperator({ field: 'clientId', op: 'missing' }, '=~')).toEqual({
      field: 'clientId',
      op: '=~',
      value: '',
    });
    expect(withOperator({ field: 'clientId', op: '=', value: 'a' }, '!=')).toEqual({
      field: 'clientId',
      op: '!=',
      value: 'a',
    });
    expect(operatorTakesValue('exists')).toBe(false);
    expect(operatorTakesValue('>=')).toBe(true);
  });

  it('runs on field, operator, add and remove of filters that count; never while a value is typed', () => {
    const full = { field: 'clientId', op: '=' as const, value: 'a' };
    expect(fieldFilterChangeRuns(full, { ...full, value: 'ab' })).toBe(false);
    expect(fieldFilterChangeRuns({ ...full, value: '' }, full)).toBe(false);
    expect(fieldFilterChangeRuns(full, { ...full, op: '!=' })).toBe(true);
    expect(fieldFilterChangeRuns(full, { ...full, field: 'sourceIp' })).toBe(true);
    expect(fieldFilterChangeRuns(full, undefined)).toBe(true);
    expect(fieldFilterChangeRuns({ ...full, value: '' }, undefined)).toBe(false);
    expect(fieldFilterChangeRuns(undefined, { field: 'clientId', op: '=', value: '' })).toBe(false);
    expect(fieldFilterChangeRuns({ ...full, value: '' }, { field: 'clientId', op: 'exists' })).toBe(true);
    expect(isEffective({ field: 'clientId', op: 'missing' })).toBe(true);
  });
});

describe('output options', () => {
  it('leaves unset options out of the query', () => {
    const q = query({ limit: 5, interval: '5m' });
    expect(withOption(q, 'limit', undefined)).not.toHaveProperty('limit');
    expect(withOption(q, 'interval', '')).not.toHaveProperty('interval');
    expect(withOption(q, 'limit', 7).limit).toBe(7);
  });

  it.each([
    ['10', 10],
    [' 3 ', 3],
    ['', undefined],
    ['0', undefined],
    ['2.5', undefined],
    ['x', undefined],
  ])('limitFromText(%j) = %j', (text, limit) => {
    expect(limitFromText(text)).toBe(limit);
  });
});

describe('withOutput', () => {
  it('changes the output and drops the limit, whose meaning depends on the output', () => {
    const logs = query({ limit: 500, groupBy: ['status'] });
    expect(withOutput(logs, 'timeseries')).toEqual({
      ...getDefaultQuery(),
      refId: 'A',
      groupBy: ['status'],
      output: 'timeseries',
    });
    expect(withOutput(logs, 'logs')).toBe(logs);
  });

  it('drops the metric field between behaviour (a metric) and the others (a distinct field), and the view', () => {
    const distinct = query({ output: 'timeseries', metric: 'distinct', metricField: 'clientId' });
    expect(withOutput(distinct, 'behaviour').metricField).toBeUndefined();
    const series = query({ output: 'behaviour', behaviourView: 'series', metricField: 'connectFailures' });
    const back = withOutput(series, 'timeseries');
    expect(back.metricField).toBeUndefined();
    expect(back.behaviourView).toBeUndefined();
  });
});

describe('thresholds as typed', () => {
  it('reads name=value pairs of known thresholds and names what it cannot read', () => {
    expect(thresholdsFromText('stormConnects=20, waveDevices = 8; nope=3, stormWindowMinutes=-1, ')).toEqual({
      thresholds: { stormConnects: 20, waveDevices: 8 },
      unknown: ['nope=3', 'stormWindowMinutes=-1'],
    });
    expect(thresholdsFromText('')).toEqual({ thresholds: undefined, unknown: [] });
    // one name, one value: a second `=` or a missing name is not a threshold
    expect(thresholdsFromText('stormConnects=20=5, =4, stormConnects')).toEqual({
      thresholds: undefined,
      unknown: ['stormConnects=20=5', '=4', 'stormConnects'],
    });
    expect(thresholdsText({ stormConnects: 20, waveDevices: 8 })).toBe('stormConnects=20, waveDevices=8');
  });
});
