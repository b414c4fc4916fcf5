import { getDefaultQuery, type IotLogsQuery } from '../types';
import { RULE_UID } from './alertRule';
import { queryAlert, queryAlertUid } from './queryAlert';

const settings = { cloudWatchUid: 'cw-prod', region: 'eu-west-1', logGroups: ['AWSIotLogsV2'] };
const replace = (text: string) => text;
const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

function spec(patch: Partial<IotLogsQuery>) {
  const alert = queryAlert(query(patch), settings, replace);
  if ('error' in alert) {
    throw new Error(alert.error);
  }
  return alert.spec;
}

describe('queryAlert', () => {
  it('counts the entries the filters select per 5 minutes, split as the time series', () => {
    const s = spec({ eventTypes: ['Connect'], statuses: ['Failure'], output: 'timeseries', groupBy: ['clientId'] });
    expect(s.expression).toMatch(
      /^filter eventType in \["Connect"\] \| filter status like .* \| stats count\(\*\) as count by bin\(5m\), clientId$/
    );
    expect(s.statsGroups).toEqual(['bin(5m)', 'clientId']);
    expect(s).toMatchObject({ cloudWatchUid: 'cw-prod', region: 'eu-west-1', intervalSeconds: 300, threshold: 0 });
    expect(s.title).toBe('AWS IoT: eventType Connect · status Failure');
  });

  it('says why there is no rule without a CloudWatch data source', () => {
    expect(queryAlert(query({}), {}, replace)).toEqual({
      error: expect.stringMatching(/choose one in this data source/),
    });
  });

  it('gives rules whose titles begin alike uids of their own, valid for Grafana', () => {
    const a = spec({
      eventTypes: ['Connect', 'Disconnect'],
      statuses: ['Failure'],
      fieldFilters: [{ field: 'clientId', op: '=', value: 'sensor-001' }],
    });
    const b = spec({
      eventTypes: ['Connect', 'Disconnect'],
      statuses: ['Failure'],
      fieldFilters: [{ field: 'clientId', op: '=', value: 'sensor-002' }],
    });
    expect(queryAlertUid(a)).not.toBe(queryAlertUid(b));
    for (const uid of [queryAlertUid(a), queryAlertUid(b)]) {
      expect(uid).toMatch(RULE_UID);
    }
    expect(queryAlertUid(a)).toBe(queryAlertUid({ ...a }));
  });
});
