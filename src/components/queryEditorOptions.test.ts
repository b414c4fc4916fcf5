import { parseLogs } from '../parsing';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { componentOptions, eventTypeOptions, summarize, withComponents } from './queryEditorOptions';

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
