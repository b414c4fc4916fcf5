import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoadingState, getDefaultTimeRange, type DataQueryRequest, type PanelData } from '@grafana/data';

import { cloudWatchEditorContext, cloudWatchSettings } from '../cloudwatch/context';
import type { DataSource } from '../datasource';
import { RunReports } from '../query/runReport';
import { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';

const replace = (text: string) => text;

const datasource = (jsonData = { cloudWatchUid: 'cw-prod', region: 'eu-west-1', logGroups: ['AWSIotLogsV2'] }) =>
  ({
    maxStoredBytes: 1024 * 1024,
    baseUrl: undefined,
    sessions: new SessionStore(),
    reports: new RunReports(),
    replace,
    cloudWatch: cloudWatchEditorContext(cloudWatchSettings(jsonData), replace),
  }) as unknown as DataSource;

const data: PanelData = {
  state: LoadingState.Done,
  series: [],
  timeRange: getDefaultTimeRange(),
  request: { requestId: 'Q-1', intervalMs: 300_000 } as DataQueryRequest,
};

function setup(patch: Partial<IotLogsQuery>, ds = datasource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const user = userEvent.setup({ delay: null });
  function Host() {
    const [query, setQuery] = useState<IotLogsQuery>({ refId: 'A', ...getDefaultQuery(), ...patch });
    return (
      <QueryEditor
        datasource={ds}
        query={query}
        data={data}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }
  render(<Host />);
  return { user, last: () => onChange.mock.lastCall?.[0] as IotLogsQuery, onRunQuery };
}

describe('the query editor with the CloudWatch source', () => {
  it('shows the Logs Insights query the filters are written into, with the log groups and region', () => {
    setup({ source: { type: 'cloudwatch' }, eventTypes: ['Connect'], statuses: ['Failure'], ignoreTimeRange: false });
    const written = screen.getByTestId(selectors.queryEditor.insightsWritten);
    expect(written).toHaveTextContent('Runs on CloudWatch Logs Insights (AWSIotLogsV2 · region eu-west-1) as:');
    const text = within(written).getByLabelText('Written Logs Insights query').textContent!;
    expect(text).toMatch(/^fields @timestamp, @message, @logStream, @log \| /);
    expect(text).toContain('eventType in ["Connect"]');
    expect(text).toMatch(/status like \/\(\?i\)/);
  });

  it('edits the Logs Insights query from the written one, and goes back to the written one', async () => {
    const { user, last, onRunQuery } = setup({ source: { type: 'cloudwatch' }, ignoreTimeRange: false });
    await user.click(screen.getByRole('button', { name: 'Edit the Logs Insights query' }));
    expect(last().source).toEqual({
      type: 'cloudwatch',
      expression: 'fields @timestamp, @message, @logStream, @log | sort @timestamp desc | limit 10000',
    });
    const area = screen.getByLabelText(/^Logs Insights query/);
    await user.clear(area);
    await user.type(area, 'fields @message | limit 5');
    expect(last().source).toEqual({ type: 'cloudwatch', expression: 'fields @message | limit 5' });
    await user.click(screen.getByRole('button', { name: 'Use the written query' }));
    expect(last().source).toEqual({ type: 'cloudwatch' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('says what CloudWatch answered in the last run', () => {
    const ds = datasource();
    const query: IotLogsQuery = { refId: 'A', ...getDefaultQuery(), source: { type: 'cloudwatch' }, output: 'counts' };
    ds.reports.set('Q-1', {
      refId: 'A',
      query,
      state: 'done',
      output: { mode: 'counts', frames: 1, rows: 4, matched: 0, parsed: 0 },
      insights: {
        expression: 'stats …',
        pushedDown: [],
        afterParse: [],
        rows: 10_000,
        capped: true,
        status: 'Complete',
      },
    });
    setup(query, ds);
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(
      'Logs Insights returned 10,000 rows counted in AWS (Complete): its 10,000-row maximum, so older entries are missing.'
    );
  });

  it('says where to choose a CloudWatch data source when none is set', () => {
    setup({ source: { type: 'cloudwatch' } }, datasource({} as never));
    expect(screen.getByTestId(selectors.queryEditor.cloudWatchMissing)).toHaveTextContent(
      'No CloudWatch data source chosen'
    );
    expect(screen.getByTestId(selectors.queryEditor.alertUnavailable)).toHaveTextContent('Alert rules run on Grafana');
  });

  it("creates the alert rule in Grafana's form, prefilled with the equivalent stats query, on any source", async () => {
    const { user } = setup({
      source: { type: 'sample' },
      eventTypes: ['Disconnect'],
      output: 'timeseries',
      groupBy: ['clientId'],
    });
    const row = screen.getByTestId(selectors.queryEditor.alert);
    const link = within(row).getByRole('link', { name: /Create alert rule/ });
    const url = new URL(link.getAttribute('href')!, 'http://grafana.local');
    expect(url.pathname).toBe('/alerting/new/alerting');
    const form = JSON.parse(url.searchParams.get('defaults')!);
    expect(form.type).toBe('grafana-alerting');
    expect(form.condition).toBe('C');
    const a = form.queries.find((q: { refId: string }) => q.refId === 'A');
    expect(a.datasourceUid).toBe('cw-prod');
    expect(a.model).toMatchObject({
      queryMode: 'Logs',
      region: 'eu-west-1',
      statsGroups: ['bin(5m)', 'clientId'],
      logGroups: [{ arn: 'AWSIotLogsV2', name: 'AWSIotLogsV2' }],
    });
    expect(a.model.expression).toBe(
      'filter eventType in ["Disconnect"] | stats count(*) as count by bin(5m), clientId'
    );

    await user.click(within(row).getByRole('button', { name: 'Rule as YAML' }));
    const yaml = within(row).getByLabelText('Alert rule as provisioning YAML').textContent!;
    expect(yaml).toMatch(/^apiVersion: 1/m);
    expect(yaml).toContain('datasourceUid: cw-prod');
    expect(yaml).toContain('stats count(*) as count by bin(5m), clientId');
  });
});
