import React, { useState } from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { CoreApp, LoadingState, getDefaultTimeRange, type DataQueryRequest, type PanelData } from '@grafana/data';

import type { DataSource } from '../datasource';
import { parseLogs } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { uploadBytes } from '../query/uploads';
import { RunReports, type RunReport } from '../query/runReport';
import { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';
import { EXPLORE_MAX_INLINE } from './sourceInputs';

const content = awsReferenceExamples()
  .map((e) => JSON.stringify(e.json))
  .join('\n');

/**
 * For what happens after an event (a popup opening, a file being read and compressed): generous, so that
 * a busy machine does not fail the test, yet short of the test timeout so that a failure says what was
 * awaited.
 */
const WAIT = { timeout: 20_000 };

const REQUEST_ID = 'Q-1';

const fakeDatasource = (patch: Partial<DataSource> = {}) =>
  ({
    maxStoredBytes: 1024 * 1024,
    baseUrl: undefined,
    sessions: new SessionStore(),
    reports: new RunReports(),
    ...patch,
  }) as DataSource;

const defaultQuery = (patch: Partial<IotLogsQuery> = {}): IotLogsQuery => ({
  refId: 'A',
  ...getDefaultQuery(),
  ...patch,
});

/** Panel data of the request whose report the editor reads. */
const panelData = (patch: Partial<PanelData> = {}): PanelData => ({
  state: LoadingState.Done,
  series: [],
  timeRange: getDefaultTimeRange(),
  request: { requestId: REQUEST_ID } as DataQueryRequest,
  ...patch,
});

interface Setup {
  patch?: Partial<IotLogsQuery>;
  /** A stored query of any shape (migrated by the editor). */
  stored?: IotLogsQuery;
  datasource?: DataSource;
  app?: CoreApp;
  data?: PanelData;
}

/**
 * Renders the editor the way Grafana does: the query it shows is the last one it handed to onChange,
 * so that controls are seen to follow the query.
 */
function setup({ patch = {}, stored, datasource = fakeDatasource(), app, data = panelData() }: Setup = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  // No pause between the steps of a click or an upload: they take no time that depends on the machine.
  const user = userEvent.setup({ delay: null });
  function Host() {
    const [query, setQuery] = useState<IotLogsQuery>(stored ?? defaultQuery(patch));
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        app={app}
        data={data}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }
  const utils = render(<Host />);
  const last = () => onChange.mock.lastCall?.[0] as IotLogsQuery;
  return { ...utils, user, datasource, onChange, onRunQuery, last };
}

/** A finished run's report of `text` parsed, for the query `query`. */
function doneReport(query: IotLogsQuery, text: string, patch: Partial<RunReport> = {}): RunReport {
  const { stats, issues } = parseLogs(text);
  return {
    refId: 'A',
    query,
    state: 'done',
    parse: stats,
    issues,
    outsideTimeRange: 0,
    output: {
      mode: query.output,
      frames: stats.eventTypes,
      rows: stats.entries,
      matched: stats.entries,
      parsed: stats.entries,
    },
    eventTypes: [],
    fields: [],
    ...patch,
  };
}

/**
 * Opens a combobox by its label and returns the options it lists.
 *
 * The listbox is found by role as the user sees it (it must be accessible); its options are then read
 * by role and text without computing each one's accessibility and accessible name, which calls jsdom's
 * getComputedStyle hundreds of times and took seconds per query on a busy machine.
 */
async function openOptions(user: UserEvent, label: string | HTMLElement): Promise<HTMLElement[]> {
  await user.click(typeof label === 'string' ? screen.getByLabelText(label) : label);
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

/** Picks an option of a Combobox or MultiCombobox (by its label), then closes the list. */
async function choose(user: UserEvent, label: string | HTMLElement, text: RegExp) {
  await user.click(optionOf(await openOptions(user, label), text));
  await user.keyboard('{Escape}');
}

/** Picks the output mode in the header's inline select. */
async function chooseOutput(user: UserEvent, label: string) {
  await user.click(screen.getByLabelText('Output'));
  await user.click(await screen.findByText(label, {}, WAIT));
}

const runButton = () => screen.getByRole('button', { name: /Run query/ });

describe('QueryEditor', () => {
  it('lays out header, source, filters and options, each control labelled', () => {
    setup();
    const header = screen.getByTestId(selectors.queryEditor.header);
    expect(within(header).getByRole('radiogroup', { name: 'Source' })).toBeInTheDocument();
    expect(within(header).getByLabelText('Output')).toBeInTheDocument();
    expect(within(header).getByRole('button', { name: /Run query/ })).toBeInTheDocument();
    for (const label of ['Log entries', 'Component', 'Event type', 'Status', 'Log level', 'Topic filters', 'Search']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Add field filter' })).toBeInTheDocument();
    // The collapsed options say what is set.
    expect(screen.getByRole('button', { name: 'Options Format: Auto-detect Time range: ignored' })).toHaveAttribute(
      'aria-expanded',
      'false'
    );
    expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Not run yet.');
  });

  it('gives every button a keyboard can reach an accessible name', async () => {
    const { user } = setup({
      patch: {
        components: ['jobs', 'device-shadow'],
        fieldFilters: [{ field: 'clientId', op: '=', value: 'a' }],
        topicFilters: ['a/#'],
      },
    });
    await user.click(screen.getByRole('button', { name: '2 chosen' }));
    await user.click(screen.getByRole('button', { name: /^Options/ }));
    const reachable = screen.getAllByRole('button').filter((b) => b.tabIndex >= 0);
    expect(reachable.length).toBeGreaterThan(8);
    for (const button of reachable) {
      expect(button).toHaveAccessibleName();
    }
    for (const name of [
      'Remove field filter 1',
      'Add field filter',
      'Remove topic filter a/#',
      'Add topic filter',
      'Remove Jobs from Component',
    ]) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
  });

  describe('pasted entries', () => {
    it('stores typed text in the query and runs when the text area loses focus', () => {
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

    it('runs pasted text at once', async () => {
      const { user, last, onRunQuery } = setup();
      await user.click(screen.getByLabelText('Log entries'));
      await user.paste(content);
      expect(last().source).toEqual({ type: 'inline', content });
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('runs on Shift+Enter in a text field, without a new line', async () => {
      const { user, last, onRunQuery } = setup();
      await user.type(screen.getByLabelText('Log entries'), '{{"a":1}');
      expect(onRunQuery).not.toHaveBeenCalled();
      await user.keyboard('{Shift>}{Enter}{/Shift}');
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(last().source).toEqual({ type: 'inline', content: '{"a":1}' });
      // Leaving the text area runs the changed query too; then Shift+Enter in the search field.
      await user.click(screen.getByLabelText('Search'));
      onRunQuery.mockClear();
      await user.keyboard('sensor{Shift>}{Enter}{/Shift}');
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(last().search).toBe('sensor');
      // In the topic filters, Shift+Enter adds the typed topic and runs once, with it.
      await user.click(screen.getByLabelText('Topic filters'));
      onRunQuery.mockClear();
      await user.keyboard('sensors/+/temp{Shift>}{Enter}{/Shift}');
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(last().topicFilters).toEqual(['sensors/+/temp']);
    });

    it('in Explore, keeps typed text editable past its limit and moves it to the session store when left', async () => {
      const datasource = fakeDatasource({ sessions: new SessionStore() });
      const { onChange } = setup({ app: CoreApp.Explore, datasource });
      const textarea = screen.getByLabelText('Log entries');
      const big = 'x'.repeat(65 * 1024);
      fireEvent.change(textarea, { target: { value: big } });
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ source: { type: 'inline', content: big } }));
      fireEvent.blur(textarea);
      const source = (onChange.mock.lastCall[0] as IotLogsQuery).source as { sessionKey?: string };
      expect(source.sessionKey).toBeDefined();
      expect(datasource.sessions.get(source.sessionKey!)).toBe(big);
    });

    it('clears pasted text', async () => {
      const { user, last } = setup({ patch: { source: { type: 'inline', content: 'x' } } });
      await user.click(screen.getByRole('button', { name: 'Clear pasted text' }));
      expect(last().source).toEqual({ type: 'inline', content: '' });
    });

    it('shows the stored content of a version 0 query', () => {
      setup({ stored: { refId: 'A', content: 'old content' } as unknown as IotLogsQuery });
      expect(screen.getByLabelText('Log entries')).toHaveValue('old content');
    });

    it('keeps big pasted text out of an Explore query, in the session store, and says so', async () => {
      const { user, last, datasource, onRunQuery } = setup({ app: CoreApp.Explore });
      const big = `${content}\n`.repeat(Math.ceil(EXPLORE_MAX_INLINE / content.length) + 1);
      expect(big.length).toBeGreaterThan(EXPLORE_MAX_INLINE);
      await user.click(screen.getByLabelText('Log entries'));
      await user.paste(big);
      const source = last().source;
      expect(source).toEqual({ type: 'inline', content: '', sessionKey: expect.any(String), size: big.length });
      expect(datasource.sessions.get((source as { sessionKey: string }).sessionKey)).toBe(big);
      expect(JSON.stringify(last()).length).toBeLessThan(1000);
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      const note = screen.getByTestId(selectors.queryEditor.sessionText);
      expect(note).toHaveTextContent('kept for this browser session: the URL holds a reference');
      expect(note).toHaveTextContent(/\d+ KB of pasted log entries/);
      expect(screen.queryByLabelText('Log entries')).not.toBeInTheDocument();
      // Clearing brings the text area back; the session text stays for a duplicated query holding its key.
      await user.click(screen.getByRole('button', { name: 'Clear pasted text' }));
      expect(last().source).toEqual({ type: 'inline', content: '' });
      expect(datasource.sessions.get((source as { sessionKey: string }).sessionKey)).toBe(big);
      expect(screen.getByLabelText('Log entries')).toBeInTheDocument();
    });

    it('keeps pasted text in a dashboard query up to the data source cap, and beyond it for the session only', async () => {
      const datasource = fakeDatasource({ sessions: new SessionStore(), maxStoredBytes: 2 * EXPLORE_MAX_INLINE });
      const { user, last } = setup({ app: CoreApp.Dashboard, datasource });
      const big = 'x'.repeat(EXPLORE_MAX_INLINE + 1);
      await user.click(screen.getByLabelText('Log entries'));
      await user.paste(big);
      expect(last().source).toEqual({ type: 'inline', content: big });
      await user.click(screen.getByRole('button', { name: 'Clear pasted text' }));
      const bigger = 'y'.repeat(2 * EXPLORE_MAX_INLINE + 1);
      await user.click(screen.getByLabelText('Log entries'));
      await user.paste(bigger);
      const source = last().source as { sessionKey?: string; size?: number };
      expect(source).toMatchObject({ content: '', size: bigger.length });
      expect(datasource.sessions.get(source.sessionKey!)).toBe(bigger);
      expect(screen.getByText(/kept for this browser session only/)).toBeInTheDocument();
    });

    it('says when session-held text is gone (a reload)', () => {
      setup({ patch: { source: { type: 'inline', content: '', sessionKey: 'gone', size: 100_000 } } });
      expect(screen.getByText('The pasted text is no longer available')).toBeInTheDocument();
    });
  });

  describe('Run', () => {
    it('runs the query and is highlighted while the query differs from the one last run', async () => {
      const datasource = fakeDatasource();
      const ran = defaultQuery({ source: { type: 'inline', content } });
      datasource.reports.set(REQUEST_ID, doneReport(ran, content));
      const { user, onRunQuery } = setup({ patch: { source: { type: 'inline', content } }, datasource });
      expect(runButton()).not.toHaveAccessibleDescription();
      await user.click(runButton());
      expect(onRunQuery).toHaveBeenCalledTimes(1);

      await choose(user, 'Status', /^Failure$/);
      expect(runButton()).toHaveAccessibleDescription('The query changed since it last ran.');
      // The run of the changed query arrives: no longer highlighted.
      act(() => datasource.reports.set(REQUEST_ID, doneReport({ ...ran, statuses: ['Failure'] }, content)));
      expect(runButton()).not.toHaveAccessibleDescription();
    });

    it('is highlighted before the first run', () => {
      setup();
      expect(runButton()).toHaveAccessibleDescription('The query changed since it last ran.');
    });

    it('leaving a text field does not run an unchanged query again', () => {
      const datasource = fakeDatasource();
      const query = defaultQuery({ source: { type: 'inline', content } });
      datasource.reports.set(REQUEST_ID, doneReport(query, content));
      const { onRunQuery } = setup({ patch: query, datasource });
      fireEvent.blur(screen.getByLabelText('Log entries'));
      fireEvent.blur(screen.getByLabelText('Search'));
      expect(onRunQuery).not.toHaveBeenCalled();
    });
  });

  describe('filters', () => {
    it('filters by component and runs the query', async () => {
      const { user, onChange, onRunQuery } = setup();
      await choose(user, 'Component', /^Jobs/);
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ components: ['jobs'] }));
      expect(onRunQuery).toHaveBeenCalled();
    });

    it('offers the eventTypes of the chosen components only', async () => {
      const { user } = setup({ patch: { components: ['jobs'] } });
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

    it('offers undocumented eventTypes the last run found', async () => {
      const datasource = fakeDatasource();
      datasource.reports.set(REQUEST_ID, doneReport(defaultQuery(), content, { eventTypes: ['FutureThing'] }));
      const { user } = setup({ datasource, patch: { components: ['unknown'] } });
      expect(textOf(await openOptions(user, 'Event type'))).toEqual([expect.stringMatching(/^FutureThing/)]);
    });

    it('drops selected eventTypes of components no longer chosen', async () => {
      const { user, onChange } = setup({
        patch: { components: ['jobs', 'message-broker'], eventTypes: ['Connect', 'UpdateJobExecution'] },
      });
      // Unselect "Message broker".
      await choose(user, 'Component', /^Message broker/);
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ components: ['jobs'], eventTypes: ['UpdateJobExecution'] })
      );
    });

    it('filters by status and log level', async () => {
      const { user, last } = setup();
      await choose(user, 'Status', /^Failure$/);
      await choose(user, 'Log level', /^ERROR$/);
      expect(last()).toMatchObject({ statuses: ['Failure'], logLevels: ['ERROR'] });
    });

    it('lists every chosen value on request, and removes one from there', async () => {
      const { user, last } = setup({ patch: { eventTypes: ['Connect', 'Disconnect', 'Subscribe', 'Publish-In'] } });
      const toggle = screen.getByRole('button', { name: '4 chosen' });
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await user.click(toggle);
      const list = screen.getByRole('list', { name: 'Chosen event type values' });
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((li) => li.textContent)
      ).toEqual(['Connect', 'Disconnect', 'Subscribe', 'Publish-In']);
      await user.click(within(list).getByRole('button', { name: 'Remove Subscribe from Event type' }));
      expect(last().eventTypes).toEqual(['Connect', 'Disconnect', 'Publish-In']);
    });

    it('keeps what a new filter row is given before its field is chosen', async () => {
      const { user, last } = setup({ patch: { eventTypes: ['Connect'] } });
      await user.click(screen.getByRole('button', { name: 'Add field filter' }));
      const row = () => screen.getByRole('group', { name: 'Field filter 1' });
      await user.type(within(row()).getByLabelText('Value'), 'sensor-1');
      await choose(user, within(row()).getByLabelText('Operator'), /^!=/);
      await choose(user, within(row()).getByLabelText('Field'), /^clientId/);
      expect(last().fieldFilters).toEqual([{ field: 'clientId', op: '!=', value: 'sensor-1' }]);
    });

    it('adds, edits and removes field filters; exists and missing take no value', async () => {
      const { user, last, onRunQuery } = setup({ patch: { eventTypes: ['Connect'] } });
      await user.click(screen.getByRole('button', { name: 'Add field filter' }));
      let row = screen.getByRole('group', { name: 'Field filter 1' });
      // Fields of the chosen eventType are suggested.
      await choose(user, within(row).getByLabelText('Field'), /^clientId/);
      expect(last().fieldFilters).toEqual([{ field: 'clientId', op: '=', value: '' }]);
      expect(onRunQuery).not.toHaveBeenCalled();

      row = screen.getByRole('group', { name: 'Field filter 1' });
      await user.type(within(row).getByLabelText('Value'), 'sensor-1');
      expect(last().fieldFilters).toEqual([{ field: 'clientId', op: '=', value: 'sensor-1' }]);
      expect(onRunQuery).not.toHaveBeenCalled();
      await user.tab();
      expect(onRunQuery).toHaveBeenCalledTimes(1);

      await choose(user, within(row).getByLabelText('Operator'), /^=~/);
      expect(last().fieldFilters).toEqual([{ field: 'clientId', op: '=~', value: 'sensor-1' }]);
      expect(onRunQuery).toHaveBeenCalledTimes(2);

      // A second filter, then exists: no value.
      await user.click(screen.getByRole('button', { name: 'Add field filter' }));
      const second = screen.getByRole('group', { name: 'Field filter 2' });
      await choose(user, within(second).getByLabelText('Field'), /^sourceIp/);
      await choose(
        user,
        within(screen.getByRole('group', { name: 'Field filter 2' })).getByLabelText('Operator'),
        /^exists/
      );
      expect(last().fieldFilters).toEqual([
        { field: 'clientId', op: '=~', value: 'sensor-1' },
        { field: 'sourceIp', op: 'exists' },
      ]);
      expect(within(screen.getByRole('group', { name: 'Field filter 2' })).queryByLabelText('Value')).toBeNull();

      await user.click(screen.getByRole('button', { name: 'Remove field filter 1' }));
      expect(last().fieldFilters).toEqual([{ field: 'sourceIp', op: 'exists' }]);
      expect(screen.queryByRole('group', { name: 'Field filter 2' })).toBeNull();
    });

    it('takes a field the list does not have, and suggests the fields of the last run', async () => {
      const datasource = fakeDatasource();
      datasource.reports.set(REQUEST_ID, doneReport(defaultQuery(), content, { fields: ['resources.RepublishTopic'] }));
      const { user, last } = setup({ datasource });
      await user.click(screen.getByRole('button', { name: 'Add field filter' }));
      const field = within(screen.getByRole('group', { name: 'Field filter 1' })).getByLabelText('Field');
      await user.type(field, 'Republish');
      const found = await screen.findAllByRole('option', { hidden: true }, WAIT);
      expect(textOf(found).some((o) => o.startsWith('resources.RepublishTopic'))).toBe(true);
      await user.clear(field);
      await user.type(field, 'myField');
      await user.click(optionOf(await screen.findAllByRole('option', { hidden: true }, WAIT), /^myField/));
      expect(last().fieldFilters).toEqual([{ field: 'myField', op: '=', value: '' }]);
    });

    it('cancels a field filter being added', async () => {
      const { user, onChange } = setup();
      await user.click(screen.getByRole('button', { name: 'Add field filter' }));
      await user.click(screen.getByRole('button', { name: 'Remove field filter 1' }));
      expect(screen.queryByRole('group', { name: 'Field filter 1' })).toBeNull();
      expect(onChange).not.toHaveBeenCalled();
    });

    it('adds and removes MQTT topic filters', async () => {
      const { user, last, onRunQuery } = setup();
      await user.type(screen.getByLabelText('Topic filters'), '$aws/things/+/shadow/#{Enter}');
      await user.type(screen.getByLabelText('Topic filters'), 'sensors/+/temperature{Enter}');
      expect(last().topicFilters).toEqual(['$aws/things/+/shadow/#', 'sensors/+/temperature']);
      expect(onRunQuery).toHaveBeenCalledTimes(2);
      expect(screen.getByLabelText('Topic filters')).toHaveValue('');
      await user.click(screen.getByRole('button', { name: 'Remove topic filter $aws/things/+/shadow/#' }));
      expect(last().topicFilters).toEqual(['sensors/+/temperature']);
    });

    it('searches free text, running when the field is left', async () => {
      const { user, last, onRunQuery } = setup();
      await user.type(screen.getByLabelText('Search'), 'timeout');
      expect(last().search).toBe('timeout');
      expect(onRunQuery).not.toHaveBeenCalled();
      await user.tab();
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });
  });

  describe('output', () => {
    it('changes the output mode and shows its options', async () => {
      const { user, last, onRunQuery } = setup();
      expect(screen.getByText(/One log line per entry/)).toBeInTheDocument();
      expect(screen.queryByLabelText('Group by')).toBeNull();

      await chooseOutput(user, 'Time series');
      expect(last().output).toBe('timeseries');
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      for (const label of ['Group by', 'Metric', 'Interval', 'Series limit']) {
        expect(screen.getByLabelText(label)).toBeInTheDocument();
      }

      await chooseOutput(user, 'Counts');
      expect(last().output).toBe('counts');
      expect(screen.getByLabelText('Row limit')).toBeInTheDocument();
      expect(screen.queryByLabelText('Interval')).toBeNull();

      await chooseOutput(user, 'Table');
      await user.click(screen.getByLabelText('Combine tables'));
      expect(last()).toMatchObject({ output: 'table', combineTables: true });

      await chooseOutput(user, 'Sessions');
      expect(screen.getByText(/One row per MQTT session/)).toBeInTheDocument();
    });

    it('sets the line limit of the logs output, which a switch to another output drops', async () => {
      const { user, last } = setup();
      await user.type(screen.getByLabelText('Line limit'), '500');
      expect(last()).toMatchObject({ output: 'logs', limit: 500 });
      await chooseOutput(user, 'Counts');
      expect(last().output).toBe('counts');
      expect(last()).not.toHaveProperty('limit');
    });

    it('sets group by, metric, interval and limit of a time series', async () => {
      const { user, last } = setup({ patch: { output: 'timeseries' } });
      const groupBy = textOf(await openOptions(user, 'Group by'));
      expect(groupBy.slice(0, 4).map((o) => o.split(/[A-Z]/)[0])).toEqual(['event', 'status', 'component', 'log']);
      await user.click(optionOf(await screen.findAllByRole('option', { hidden: true }), /^status/));
      await user.keyboard('{Escape}');
      expect(last().groupBy).toEqual(['status']);

      expect(screen.queryByLabelText('Distinct field')).toBeNull();
      await choose(user, 'Metric', /^Distinct/);
      expect(last().metric).toBe('distinct');
      await choose(user, 'Distinct field', /^clientId/);
      expect(last()).toMatchObject({ metric: 'distinct', metricField: 'clientId' });

      await user.type(screen.getByLabelText('Interval'), '5m');
      await user.type(screen.getByLabelText('Series limit'), '20');
      expect(last()).toMatchObject({ interval: '5m', limit: 20 });
      await user.clear(screen.getByLabelText('Interval'));
      await user.clear(screen.getByLabelText('Series limit'));
      expect(last()).not.toHaveProperty('interval');
      expect(last()).not.toHaveProperty('limit');
    });
  });

  describe('options', () => {
    it('collapses format and time range, and says what is set', async () => {
      const { user, last } = setup();
      expect(screen.queryByLabelText('Ignore time range')).toBeNull();
      await user.click(screen.getByRole('button', { name: /^Options/ }));
      await user.click(screen.getByLabelText('Ignore time range'));
      expect(last().ignoreTimeRange).toBe(false);
      await choose(user, 'Format', /^one JSON entry per line/);
      expect(last().format).toBe('ndjson');
      await user.click(screen.getByRole('button', { name: /^Options/ }));
      expect(screen.getByRole('button', { name: /^Options/ })).toHaveAccessibleName(
        'Options Format: one JSON entry per line Time range: applied'
      );
    });
  });

  describe('sources', () => {
    it('switches source with the time range default of each', async () => {
      const { user, onChange, onRunQuery } = setup();
      await user.click(screen.getByRole('radio', { name: 'Sample' }));
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'sample' }, ignoreTimeRange: false })
      );
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      await user.click(screen.getByRole('radio', { name: 'Upload' }));
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'upload', fileName: '', size: 0 }, ignoreTimeRange: true })
      );
      // Nothing to read yet: no run.
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('keeps pasted text and an uploaded file while another source is shown', async () => {
      const upload = { type: 'upload' as const, fileName: 'a.json', size: 3, data: 'H4sI' };
      const { user, last, onRunQuery } = setup({ patch: { source: { type: 'inline', content } } });
      await user.click(screen.getByRole('radio', { name: 'Upload' }));
      expect(last().source).toEqual({ type: 'upload', fileName: '', size: 0 });
      await user.click(screen.getByRole('radio', { name: 'Paste' }));
      expect(last().source).toEqual({ type: 'inline', content });
      expect(screen.getByLabelText('Log entries')).toHaveValue(content);
      expect(onRunQuery).toHaveBeenCalledTimes(1);

      // The same for a file, and across several switches.
      const withFile = setup({ patch: { source: upload } });
      await withFile.user.click(within(withFile.container).getByRole('radio', { name: 'URL' }));
      await withFile.user.click(within(withFile.container).getByRole('radio', { name: 'Sample' }));
      await withFile.user.click(within(withFile.container).getByRole('radio', { name: 'Upload' }));
      expect(withFile.last().source).toEqual(upload);
    });

    it('uploads a real File through the dropzone and stores it compressed in the query', async () => {
      const { user, last, onRunQuery, datasource } = setup({
        patch: { source: { type: 'upload', fileName: '', size: 0 } },
      });
      const file = new File([content], 'iot-logs.ndjson', { type: 'application/x-ndjson' });
      await user.upload(screen.getByTestId(selectors.queryEditor.fileInput), file);
      await waitFor(() => expect(last()?.source).toMatchObject({ fileName: 'iot-logs.ndjson' }), WAIT);
      const stored = last().source;
      expect(stored).toMatchObject({ type: 'upload', size: content.length, data: expect.any(String) });
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      const read = uploadBytes(stored as Extract<typeof stored, { type: 'upload' }>, datasource.sessions);
      expect(new TextDecoder().decode(read.bytes)).toBe(content);
      expect(screen.getByTestId(selectors.queryEditor.uploadedFile)).toHaveTextContent(
        /^iot-logs.ndjson · .* stored in the query/
      );
    });

    it('keeps a file larger than the cap for the session only, never in the query, and says so', async () => {
      const { user, last } = setup({
        patch: { source: { type: 'upload', fileName: '', size: 0 } },
        datasource: fakeDatasource({ maxStoredBytes: 512 }),
      });
      await user.upload(screen.getByTestId(selectors.queryEditor.fileInput), new File([content], 'big.json'));
      await waitFor(() => expect(last()?.source).toMatchObject({ fileName: 'big.json' }), WAIT);
      expect(last().source).toMatchObject({ type: 'upload', sessionKey: expect.any(String) });
      expect(JSON.stringify(last()).length).toBeLessThan(512);
      expect(await screen.findByText('This file will not be saved with the dashboard')).toBeInTheDocument();
      expect(screen.getByTestId(selectors.queryEditor.uploadedFile)).toHaveTextContent(
        /big.json · .* kept for this browser session only/
      );
    });

    it('keeps an upload over 64 KiB compressed out of an Explore query', async () => {
      const { user, last } = setup({
        app: CoreApp.Explore,
        patch: { source: { type: 'upload', fileName: '', size: 0 } },
      });
      // Random digits hardly compress.
      let text = '';
      for (let i = 0; text.length < 6 * EXPLORE_MAX_INLINE; i++) {
        text += `{"eventType":"Connect","n":${Math.random()}}\n`;
      }
      await user.upload(screen.getByTestId(selectors.queryEditor.fileInput), new File([text], 'big.ndjson'));
      await waitFor(() => expect(last()?.source).toMatchObject({ fileName: 'big.ndjson' }), WAIT);
      expect('data' in last().source).toBe(false);
      expect(last().source).toMatchObject({ sessionKey: expect.any(String) });
      expect(screen.getByTestId(selectors.queryEditor.uploadedFile)).toHaveTextContent(
        'kept for this browser session: the URL holds a reference'
      );
    });

    it('removes an uploaded file', async () => {
      const { user, last } = setup({
        patch: { source: { type: 'upload', fileName: 'a.json', size: 3, data: 'H4sI' } },
      });
      await user.click(screen.getByRole('button', { name: 'Remove file' }));
      expect(last().source).toEqual({ type: 'upload', fileName: '', size: 0 });
    });

    it('explains the URL source when no base URL is configured', () => {
      setup({ patch: { source: { type: 'url', path: '' } } });
      expect(screen.getByText('No base URL configured')).toBeInTheDocument();
    });

    it('edits the URL path under the base URL and flags paths that leave it', () => {
      const { onChange } = setup({
        patch: { source: { type: 'url', path: '../x' } },
        datasource: fakeDatasource({ baseUrl: 'https://logs.example.com/iot' }),
      });
      expect(screen.getByText(/must stay under the base URL/)).toBeInTheDocument();
      fireEvent.change(screen.getByLabelText('Path'), { target: { value: 'day.json.gz' } });
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ source: { type: 'url', path: 'day.json.gz' } })
      );
    });
  });

  describe('run summary', () => {
    it('shows the progress of a running query', () => {
      const datasource = fakeDatasource();
      datasource.reports.set(REQUEST_ID, { refId: 'A', query: defaultQuery(), state: 'running', progress: 0.42 });
      setup({ datasource, data: panelData({ state: LoadingState.Loading }) });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Parsing… 42%');
      expect(screen.getByRole('progressbar', { name: 'Parse progress' })).toHaveAttribute('aria-valuenow', '42');
    });

    it('follows the report as the run goes on', () => {
      const datasource = fakeDatasource();
      const query = defaultQuery({ source: { type: 'inline', content } });
      setup({ datasource, patch: query });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Not run yet.');
      act(() => datasource.reports.set(REQUEST_ID, { refId: 'A', query, state: 'running', progress: 0.1 }));
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Parsing… 10%');
      act(() => datasource.reports.set(REQUEST_ID, doneReport(query, content)));
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(/^Last run: 22 entries/);
    });

    it('says what was parsed, what matched and what it became, and the first problems', () => {
      const datasource = fakeDatasource();
      const text = `${content}\nnot json\n{"eventType":"Connect"}`;
      const query = defaultQuery({ source: { type: 'inline', content: text }, output: 'timeseries' });
      datasource.reports.set(
        REQUEST_ID,
        doneReport(query, text, {
          outsideTimeRange: 3,
          output: { mode: 'timeseries', frames: 12, rows: 1200, matched: 1204, parsed: 10976 },
        })
      );
      setup({ datasource, patch: query });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(
        'Last run: 22 entries · 2 rejected · format: one JSON entry per line · 22 event types · 3 outside the time range'
      );
      expect(screen.getByTestId(selectors.queryEditor.returned)).toHaveTextContent(
        '1,204 of 10,976 entries matched → 12 series'
      );
      const issues = within(screen.getByRole('list', { name: 'Rejected records' })).getAllByRole('listitem');
      expect(issues.map((li) => li.textContent)).toEqual([
        'Line 23: text that is not JSON: "not json"',
        expect.stringMatching(/^Line 24: Connect entry with no timestamp/),
      ]);
    });

    it('says plainly when the filters matched nothing', () => {
      const datasource = fakeDatasource();
      const query = defaultQuery({ source: { type: 'inline', content }, statuses: ['Failure'] });
      datasource.reports.set(
        REQUEST_ID,
        doneReport(query, content, { output: { mode: 'logs', frames: 0, rows: 0, matched: 0, parsed: 22 } })
      );
      setup({ datasource, patch: query });
      expect(screen.getByTestId(selectors.queryEditor.returned)).toHaveTextContent(
        'No entry matched the filters (0 of 22 entries): loosen or clear them to see entries.'
      );
    });

    it("shows the run's error", () => {
      const datasource = fakeDatasource();
      datasource.reports.set(REQUEST_ID, {
        refId: 'A',
        query: defaultQuery(),
        state: 'error',
        error: 'Invalid regular expression in the filter on clientId: "("',
      });
      setup({ datasource });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent(
        'Last run failed: Invalid regular expression in the filter on clientId: "("'
      );
      expect(screen.queryByText('Not run yet.')).toBeNull();
    });

    it("shows the panel's error for the query when there is no report", () => {
      setup({ data: panelData({ state: LoadingState.Error, errors: [{ refId: 'A', message: 'Could not fetch x' }] }) });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Last run failed: Could not fetch x');
    });

    it('reads the report of its own refId and request only', () => {
      const datasource = fakeDatasource();
      datasource.reports.set('other-request', doneReport(defaultQuery(), content));
      datasource.reports.set(REQUEST_ID, { ...doneReport(defaultQuery({ refId: 'B' }), content), refId: 'B' });
      setup({ datasource });
      expect(screen.getByTestId(selectors.queryEditor.summary)).toHaveTextContent('Not run yet.');
    });
  });
});
