import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { LoadingState, getDefaultTimeRange, type PanelData } from '@grafana/data';

import type { DataSource } from '../datasource';
import { awsReferenceExamples } from '../parsing/testutils';
import { ParseCache } from '../query/parseCache';
import { runQuery, type RunContext } from '../query/runQuery';
import { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';

const content = awsReferenceExamples()
  .map((e) => JSON.stringify(e.json))
  .join('\n');

/**
 * For what happens after an event (a popup opening, a file being read and compressed): generous, so that
 * a busy machine does not fail the test, yet short of the test timeout so that a failure says what was
 * awaited.
 */
const WAIT = { timeout: 20_000 };

/** The session store of the fake data source (uploads over the cap), read by the runs of these tests. */
const sessions = new SessionStore();

const fakeDatasource = (patch: Partial<DataSource> = {}) =>
  ({ maxStoredBytes: 1024 * 1024, baseUrl: undefined, sessions, ...patch }) as DataSource;

function setup(
  patch: Partial<IotLogsQuery> = {},
  data?: PanelData,
  stored?: IotLogsQuery,
  datasource = fakeDatasource()
) {
  const query: IotLogsQuery = stored ?? { refId: 'A', ...getDefaultQuery(), ...patch };
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  // No pause between the steps of a click or an upload: they take no time that depends on the machine.
  const user = userEvent.setup({ delay: null });
  const utils = render(
    <QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} data={data} />
  );
  return { ...utils, user, query, onChange, onRunQuery };
}

async function lastRun(query: IotLogsQuery): Promise<PanelData> {
  const ctx: RunContext = {
    cache: new ParseCache(),
    range: { from: 0, to: Date.now() },
    hasBaseUrl: false,
    fetchUrl: () => Promise.reject(new Error('none')),
    sessions,
    loadSample: () => Promise.reject(new Error('none')),
  };
  return { state: LoadingState.Done, series: await runQuery(query, ctx), timeRange: getDefaultTimeRange() };
}

/**
 * Opens a MultiCombobox by its label and returns the options it lists.
 *
 * The listbox is found by role as the user sees it (it must be accessible); its options are then read
 * by role and text without computing each one's accessibility and accessible name, which calls jsdom's
 * getComputedStyle hundreds of times and took seconds per query on a busy machine.
 */
async function openOptions(user: UserEvent, label: string): Promise<HTMLElement[]> {
  await user.click(screen.getByLabelText(label));
  const listbox = await screen.findByRole('listbox', {}, WAIT);
  return within(listbox).findAllByRole('option', { hidden: true }, WAIT);
}

const textOf = (options: HTMLElement[]) => options.map((o) => o.textContent ?? '');

/** The one option whose text matches. */
function optionOf(options: HTMLElement[], text: RegExp): HTMLElement {
  const matching = options.filter((o) => text.test(o.textContent ?? ''));
  expect(textOf(matching)).toHaveLength(1);
  return matching[0];
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
    setup({}, undefined, { refId: 'A', content: 'old content' } as unknown as IotLogsQuery);
    expect(screen.getByLabelText('Log entries')).toHaveValue('old content');
  });

  it('filters by component and runs the query', async () => {
    const { user, onChange, onRunQuery } = setup();
    const options = await openOptions(user, 'Component');
    await user.click(optionOf(options, /^Jobs/));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ components: ['jobs'] }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers the eventTypes of the chosen components only', async () => {
    const { user } = setup({ components: ['jobs'] });
    const options = textOf(await openOptions(user, 'Event type'));
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
    const { user, onChange } = setup({
      components: ['jobs', 'message-broker'],
      eventTypes: ['Connect', 'UpdateJobExecution'],
    });
    const options = await openOptions(user, 'Component');
    // Unselect "Message broker".
    await user.click(optionOf(options, /^Message broker/));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ components: ['jobs'], eventTypes: ['UpdateJobExecution'] })
    );
  });

  it('filters by status', async () => {
    const { user, onChange } = setup();
    const options = await openOptions(user, 'Status');
    await user.click(optionOf(options, /^Failure$/));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ statuses: ['Failure'] }));
  });

  it('summarises the last run: entries, rejected, format and the first problems', async () => {
    const patch: Partial<IotLogsQuery> = {
      source: { type: 'inline', content: `${content}\nnot json\n{"eventType":"Connect"}` },
    };
    setup(patch, await lastRun({ refId: 'A', ...getDefaultQuery(), ...patch }));
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(
      'Last run: 22 entries · 2 rejected · format: one JSON entry per line · 22 event types'
    );
    const issues = within(screen.getByRole('list', { name: 'Rejected records' })).getAllByRole('listitem');
    expect(issues.map((li) => li.textContent)).toEqual([
      'Line 23: text that is not JSON: "not json"',
      expect.stringMatching(/^Line 24: Connect entry with no timestamp/),
    ]);
  });

  it('shows the progress of a large parse', () => {
    const progressFrame = { refId: 'A', name: 'Parsing', fields: [], length: 0, meta: { custom: { progress: 0.42 } } };
    setup({}, { state: LoadingState.Loading, series: [progressFrame], timeRange: getDefaultTimeRange() });
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Parsing… 42%');
  });

  describe('sources', () => {
    it('switches source with the time range default of each', async () => {
      const { user, onChange, onRunQuery } = setup();
      await user.click(screen.getByRole('radio', { name: 'Sample' }));
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'sample' }, ignoreTimeRange: false })
      );
      expect(onRunQuery).toHaveBeenCalled();
      await user.click(screen.getByRole('radio', { name: 'Upload' }));
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'upload', fileName: '', size: 0 }, ignoreTimeRange: true })
      );
    });

    it('uploads a real File through the dropzone and stores it compressed in the query', async () => {
      const { user, container, onChange, onRunQuery } = setup({ source: { type: 'upload', fileName: '', size: 0 } });
      const file = new File([content], 'iot-logs.ndjson', { type: 'application/x-ndjson' });
      await user.upload(container.querySelector('input[type="file"]') as HTMLInputElement, file);
      await waitFor(() => expect(onChange).toHaveBeenCalled(), WAIT);
      const stored = onChange.mock.lastCall[0] as IotLogsQuery;
      expect(stored.source).toMatchObject({
        type: 'upload',
        fileName: 'iot-logs.ndjson',
        size: content.length,
        data: expect.any(String),
      });
      expect(onRunQuery).toHaveBeenCalled();
      const frames = (await lastRun(stored)).series;
      expect(frames).toHaveLength(22);
    });

    it('keeps a file larger than the cap for the session only, never in the query, and says so', async () => {
      const { user, container, onChange, rerender } = setup(
        { source: { type: 'upload', fileName: '', size: 0 } },
        undefined,
        undefined,
        fakeDatasource({ maxStoredBytes: 512 })
      );
      await user.upload(
        container.querySelector('input[type="file"]') as HTMLInputElement,
        new File([content], 'big.json')
      );
      await waitFor(() => expect(onChange).toHaveBeenCalled(), WAIT);
      const stored = onChange.mock.lastCall[0] as IotLogsQuery;
      expect(stored.source).toMatchObject({ type: 'upload', fileName: 'big.json', sessionKey: expect.any(String) });
      expect(JSON.stringify(stored).length).toBeLessThan(512);
      rerender(
        <QueryEditor
          datasource={fakeDatasource({ maxStoredBytes: 512 })}
          query={stored}
          onChange={onChange}
          onRunQuery={jest.fn()}
        />
      );
      expect(screen.getByText('This file will not be saved with the dashboard')).toBeInTheDocument();
      expect(screen.getByTestId(selectors.queryEditor.uploadedFile)).toHaveTextContent(
        /big.json · .* kept for this browser session only/
      );
    });

    it('explains the URL source when no base URL is configured', () => {
      setup({ source: { type: 'url', path: '' } });
      expect(screen.getByText('No base URL configured')).toBeInTheDocument();
    });

    it('edits the URL path under the base URL and flags paths that leave it', () => {
      const { onChange } = setup(
        { source: { type: 'url', path: '../x' } },
        undefined,
        undefined,
        fakeDatasource({ baseUrl: 'https://logs.example.com/iot' })
      );
      expect(screen.getByText(/must stay under the base URL/)).toBeInTheDocument();
      fireEvent.change(screen.getByLabelText('Path'), { target: { value: 'day.json.gz' } });
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'url', path: 'day.json.gz' } })
      );
    });

    it('toggles the time range', async () => {
      const { user, onChange } = setup();
      await user.click(screen.getByLabelText('Ignore time range'));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ ignoreTimeRange: false }));
    });
  });
});
