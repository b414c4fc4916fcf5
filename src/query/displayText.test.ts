import { getDefaultQuery, type IotLogsQuery } from '../types';
import { queryDisplayText } from './displayText';

const query = (patch: Partial<IotLogsQuery>): IotLogsQuery => ({ refId: 'A', ...getDefaultQuery(), ...patch });

describe('queryDisplayText', () => {
  it('says the source, the filters and the output in one line', () => {
    expect(
      queryDisplayText(
        query({
          source: { type: 'sample' },
          components: ['message-broker'],
          statuses: ['Failure'],
          fieldFilters: [
            { field: 'clientId', op: '=~', value: 'sensor-.*' },
            { field: 'sourceIp', op: 'exists' },
          ],
          topicFilters: ['$aws/things/+/shadow/#'],
          search: 'timeout',
          output: 'timeseries',
          groupBy: ['disconnectReason'],
          metric: 'distinct',
          metricField: 'clientId',
        })
      )
    ).toBe(
      'Sample · component message-broker · status Failure · clientId =~ sensor-.* · sourceIp exists · topic $aws/things/+/shadow/# · "timeout" → timeseries by disconnectReason (distinct clientId)'
    );
  });

  it('never shows pasted content, only its size', () => {
    const text = `${'{"eventType":"Connect"}\n'.repeat(5000)}`;
    const shown = queryDisplayText(query({ source: { type: 'inline', content: text } }));
    expect(shown).toBe('Pasted 117 KB → logs');
    expect(
      queryDisplayText(query({ source: { type: 'inline', content: '', sessionKey: 'k', size: 3 * 1024 * 1024 } }))
    ).toBe('Pasted 3.0 MB (this session) → logs');
    expect(queryDisplayText(query({ source: { type: 'upload', fileName: 'day.json.gz', size: 10 } }))).toBe(
      'Upload day.json.gz → logs'
    );
  });
});
