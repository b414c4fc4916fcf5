import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoadingState, getDefaultTimeRange, type PanelData } from '@grafana/data';

import type { DataSource } from '../datasource';
import { awsReferenceExamples } from '../parsing/testutils';
import { ParseCache } from '../query/parseCache';
import { runQuery } from '../query/runQuery';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';

const content = awsReferenceExamples()
  .map((e) => JSON.stringify(e.json))
  .join('\n');

function setup(patch: Partial<IotLogsQuery> = {}, withData = false, stored?: IotLogsQuery) {
  const query: IotLogsQuery = stored ?? { refId: 'A', ...getDefaultQuery(), ...patch };
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const data: PanelData | undefined = withData
    ? { state: LoadingState.Done, series: runQuery(query, new ParseCache()), timeRange: getDefaultTimeRange() }
    : undefined;
  const utils = render(
    <QueryEditor datasource={{} as DataSource} query={query} onChange={onChange} onRunQuery={onRunQuery} data={data} />
  );
  return { ...utils, query, onChange, onRunQuery };
}

/** Opens a MultiCombobox by its label and returns the option texts it lists. */
async function openOptions(label: string): Promise<string[]> {
  await userEvent.click(screen.getByLabelText(label));
  await screen.findAllByRole('option');
  return within(screen.getByRole('listbox'))
    .getAllByRole('option')
    .map((o) => o.textContent ?? '');
}

describe('QueryEditor', () => {
  it('labels every control', () => {
    setup();
    expect(screen.getByLabelText('Log entries')).toBeInTheDocument();
    expect(screen.getByLabelText('Component')).toBeInTheDocument();
    expect(screen.getByLabelText('Event type')).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toBeInTheDocument();
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Not run yet.');
  });

  it('stores pasted entries in the query and runs it when the text area loses focus', () => {
    const { onChange, onRunQuery } = setup();
    const textarea = screen.getByLabelText('Log entries');
    fireEvent.change(textarea, { target: { value: content } });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ refId: 'A', source: { type: 'inline', content } })
    );
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(textarea);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('shows the stored content of a version 0 query', () => {
    setup({}, false, { refId: 'A', content: 'old content' } as unknown as IotLogsQuery);
    expect(screen.getByLabelText('Log entries')).toHaveValue('old content');
  });

  it('filters by component and runs the query', async () => {
    const { onChange, onRunQuery } = setup();
    const options = await openOptions('Component');
    expect(options.some((o) => o.startsWith('Jobs'))).toBe(true);
    await userEvent.click(screen.getByRole('option', { name: /^Jobs/ }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ components: ['jobs'] }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers the eventTypes of the chosen components only', async () => {
    setup({ components: ['jobs'] });
    const options = await openOptions('Event type');
    expect(options).toHaveLength(5);
    for (const eventType of [
      'GetPendingJobExecution',
      'DescribeJobExecution',
      'UpdateJobExecution',
      'StartNextPendingJobExecution',
      'ReportFinalJobExecutionCount',
    ]) {
      expect(options.some((o) => o.startsWith(eventType))).toBe(true);
    }
    expect(options.some((o) => o.startsWith('Connect'))).toBe(false);
  });

  it('drops selected eventTypes of components no longer chosen', async () => {
    const { onChange } = setup({
      components: ['jobs', 'message-broker'],
      eventTypes: ['Connect', 'UpdateJobExecution'],
    });
    await openOptions('Component');
    // Unselect "Message broker".
    await userEvent.click(screen.getByRole('option', { name: /^Message broker/ }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ components: ['jobs'], eventTypes: ['UpdateJobExecution'] })
    );
  });

  it('filters by status', async () => {
    const { onChange } = setup();
    await openOptions('Status');
    await userEvent.click(screen.getByRole('option', { name: 'Failure' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ statuses: ['Failure'] }));
  });

  it('summarises the last run: entries, rejected, format and the first problems', () => {
    setup({ source: { type: 'inline', content: `${content}\nnot json\n{"eventType":"Connect"}` } }, true);
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(
      'Last run: 22 entries · 2 rejected · format: one JSON entry per line · 22 event types'
    );
    const issues = within(screen.getByRole('list', { name: 'Rejected records' })).getAllByRole('listitem');
    expect(issues.map((li) => li.textContent)).toEqual([
      'Line 23: text that is not JSON: "not json"',
      expect.stringMatching(/^Line 24: Connect entry with no timestamp/),
    ]);
  });
});
