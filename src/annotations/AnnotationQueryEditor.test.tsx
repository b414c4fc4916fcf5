import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AnnotationEventFieldSource,
  LoadingState,
  getDefaultTimeRange,
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceApi,
  type PanelData,
} from '@grafana/data';

import { logsFramesOf, logsOutput } from '../output/logs';
import { parseTables } from '../parsing';
import { tableOf } from '../parsing/testTables';
import { awsReferenceExamples } from '../parsing/testutils';
import { RunReports, type RunReport } from '../query/runReport';
import { SessionStore } from '../sources/sessionStore';
import type { IotLogsOptions, IotLogsQuery } from '../types';
import { AnnotationQueryEditor, type AnnotationEditorContext } from './AnnotationQueryEditor';
import {
  ANNOTATION_LIMIT,
  annotationRunQuery,
  getDefaultAnnotationQuery,
  type IotLogsAnnotationQuery,
} from './annotations';
import { annotationSelectors } from './selectors';

const WAIT = { timeout: 20_000 };
const REQUEST_ID = 'AQ100';

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');
const parsed = parseTables(content);

const context = (): AnnotationEditorContext => ({
  maxStoredBytes: 1024 * 1024,
  sessions: new SessionStore(),
  reports: new RunReports(),
});

const target = (patch: Partial<IotLogsAnnotationQuery> = {}): IotLogsAnnotationQuery => ({
  refId: 'Anno',
  ...getDefaultAnnotationQuery(),
  ...patch,
});

/** The report of a finished run of `query`, as the data source files it. */
function report(query: IotLogsQuery, matched: number, entries = parsed.stats.entries): RunReport {
  return {
    refId: 'Anno',
    query,
    state: 'done',
    parse: parsed.stats,
    issues: [],
    outsideTimeRange: 0,
    output: { mode: query.output, frames: 1, rows: matched, matched, parsed: entries },
    eventTypes: parsed.tables.map((t) => t.eventType),
    fields: [],
  };
}

const panelData = (series: DataFrame[]): PanelData => ({
  state: LoadingState.Done,
  series,
  timeRange: getDefaultTimeRange(),
  request: { requestId: REQUEST_ID } as DataQueryRequest,
});

interface Setup {
  query?: IotLogsQuery;
  data?: PanelData;
  ctx?: AnnotationEditorContext;
  mappings?: AnnotationQuery<IotLogsQuery>['mappings'];
}

/** Renders the editor as Grafana's annotation settings do: the query shown is the last one handed to onChange. */
function setup({ query = target(), data, ctx = context(), mappings }: Setup = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const onAnnotationChange = jest.fn();
  const user = userEvent.setup({ delay: null });
  function Host() {
    const [current, setCurrent] = useState<IotLogsQuery>(query);
    const annotation: AnnotationQuery<IotLogsQuery> = {
      name: 'AWS IoT',
      enable: true,
      iconColor: 'red',
      target: current,
      mappings,
    };
    return (
      <AnnotationQueryEditor
        context={ctx}
        datasource={{} as DataSourceApi<IotLogsQuery, IotLogsOptions>}
        query={current}
        data={data}
        annotation={annotation}
        onAnnotationChange={onAnnotationChange}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          onChange(next);
          setCurrent(next);
        }}
      />
    );
  }
  render(<Host />);
  const last = () => onChange.mock.lastCall?.[0] as IotLogsAnnotationQuery;
  return { user, onChange, onRunQuery, onAnnotationChange, last };
}

describe('AnnotationQueryEditor', () => {
  it('labels every control: source, what to mark, the entries, the filters', () => {
    setup();
    expect(screen.getByRole('radiogroup', { name: 'Source' })).toBeInTheDocument();
    const mark = screen.getByRole('radiogroup', { name: 'Mark' });
    expect(within(mark).getByRole('radio', { name: 'Each entry' })).toBeChecked();
    expect(within(mark).getByRole('radio', { name: 'Each session (region)' })).not.toBeChecked();
    for (const label of ['Log entries', 'Component', 'Event type', 'Status', 'Log level', 'Topic filters', 'Search']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Add field filter' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Annotation mapping' })).toHaveTextContent(
      /title: event type and status, e.g. "Disconnect Failure".*text: reason, disconnect reason and details.*tags: component, event type, status, and clientId:…, thingName:…, ruleName:…, jobId:…/
    );
    expect(screen.getByTestId(annotationSelectors.noInput)).toHaveTextContent('Paste, upload or choose the entries');
  });

  it('marks sessions as regions when asked, keeping the filters', async () => {
    const { user, last, onRunQuery } = setup({ query: target({ statuses: ['Failure'], search: 'gateway' }) });
    await user.click(screen.getByRole('radio', { name: 'Each session (region)' }));
    expect(last()).toEqual(
      target({ statuses: ['Failure'], search: 'gateway', annotate: 'sessions', output: 'sessions' })
    );
    expect(screen.getByRole('radio', { name: 'Each session (region)' })).toBeChecked();
    expect(screen.getByRole('region', { name: 'Annotation mapping' })).toHaveTextContent(
      'a region from Connect to Disconnect'
    );
    await user.click(screen.getByRole('radio', { name: 'Each entry' }));
    expect(last()).toMatchObject({ annotate: 'entries', output: 'logs', statuses: ['Failure'] });
    // Grafana runs an annotation after each change itself.
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('marks findings with thresholds of their own, and says which typed ones are not thresholds', async () => {
    const { user, last } = setup({
      query: target({ annotate: 'findings', output: 'findings', source: { type: 'sample' } }),
    });
    const input = screen.getByLabelText('Thresholds');
    await user.type(input, 'stormConnects=20, nope=3');
    await user.tab();
    expect(last()).toMatchObject({ annotate: 'findings', output: 'findings', thresholds: { stormConnects: 20 } });
    expect(await screen.findByText(/Not a threshold or not a number ≥ 0: nope=3/)).toBeInTheDocument();
    // and the annotation runs the findings with them
    expect(annotationRunQuery({ target: last() })).toMatchObject({
      output: 'findings',
      thresholds: { stormConnects: 20 },
    });
  });

  it('shows no thresholds when marking entries or sessions', () => {
    setup();
    expect(screen.queryByLabelText('Thresholds')).not.toBeInTheDocument();
  });

  it('changes the filters of the query, keeping what it marks', async () => {
    const { user, last } = setup({ query: target({ annotate: 'sessions', output: 'sessions' }) });
    await user.type(screen.getByLabelText('Search'), 'gateway');
    expect(last()).toEqual(target({ annotate: 'sessions', output: 'sessions', search: 'gateway' }));

    await user.click(screen.getByLabelText('Status'));
    const listbox = await screen.findByRole('listbox', {}, WAIT);
    const options = await within(listbox).findAllByRole('option', { hidden: true }, WAIT);
    await user.click(options.find((o) => o.textContent === 'Failure')!);
    expect(last()).toMatchObject({ annotate: 'sessions', statuses: ['Failure'], search: 'gateway' });
  });

  it('pastes entries into the annotation query', async () => {
    const { user, last } = setup();
    await user.click(screen.getByLabelText('Log entries'));
    await user.paste('{"eventType":"Connect"}');
    expect(last()).toMatchObject({
      source: { type: 'inline', content: '{"eventType":"Connect"}' },
      annotate: 'entries',
    });
    expect(screen.queryByTestId(annotationSelectors.noInput)).not.toBeInTheDocument();
  });

  it('shows an annotation saved by the regular editor with its filters', () => {
    // A version 0 panel query: content at the top, single-value filters.
    setup({ query: { refId: 'A', content: 'old entries', status: 'Failure' } as unknown as IotLogsQuery });
    expect(screen.getByLabelText('Log entries')).toHaveValue('old entries');
    expect(screen.getByRole('radio', { name: 'Each entry' })).toBeChecked();
    expect(screen.getByText('Failure')).toBeInTheDocument();
  });

  it('says what the last run marked, with the newest annotation', () => {
    const query = target({ source: { type: 'inline', content }, statuses: ['Failure'] });
    const ctx = context();
    ctx.reports.set(REQUEST_ID, report(query, 3));
    const failures = parsed.tables.filter((t) =>
      t.columns.some((c) => c.name === 'status' && c.values[0] === 'Failure')
    );
    setup({ query, ctx, data: panelData(logsFramesOf(failures)) });
    expect(screen.getByTestId(annotationSelectors.returned)).toHaveTextContent(
      `3 of ${parsed.stats.entries} entries matched → 3 annotations`
    );
    expect(screen.getByTestId(annotationSelectors.example)).toHaveTextContent(
      'Newest: AddThingToDynamicThingGroupsFailed Failure — The thing failed to be added'
    );
  });

  it('says when the newest 1,000 are marked and older ones are not shown', () => {
    const query = target({ source: { type: 'inline', content: 'x' } });
    const big = tableOf(
      'Publish-In',
      Array.from({ length: ANNOTATION_LIMIT + 50 }, (_, i) => ({
        timestamp: i * 1000,
        status: 'Success',
        clientId: 'a',
      }))
    );
    const frames = logsOutput([{ table: big }], annotationRunQuery({ target: query })!, { from: 0, to: 1e9 });
    const ctx = context();
    ctx.reports.set(REQUEST_ID, report(query, ANNOTATION_LIMIT + 50, ANNOTATION_LIMIT + 50));
    setup({ query, ctx, data: panelData(frames) });
    expect(screen.getByTestId(annotationSelectors.returned)).toHaveTextContent(
      '1,050 of 1,050 entries matched → the newest 1,000 are marked; older ones are not shown'
    );
  });

  it('says which defaults hand-set field mappings replace, and clears them', async () => {
    const mappings = {
      text: { source: AnnotationEventFieldSource.Field, value: 'body' },
      tags: { source: AnnotationEventFieldSource.Field, value: 'clientId' },
    };
    const { user, onAnnotationChange } = setup({ mappings });
    expect(screen.getByTestId(annotationSelectors.mappings)).toHaveTextContent(
      'The field mappings below replace the default text, tags.'
    );
    await user.click(screen.getByRole('button', { name: 'Use the default mapping' }));
    expect(onAnnotationChange).toHaveBeenCalledWith(expect.objectContaining({ mappings: {}, name: 'AWS IoT' }));
  });
});
