import {
  dateTime,
  FieldType,
  LoadingState,
  VariableSupportType,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
} from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../datasource';
import type { TableResult } from '../parsing';
import { SourceError } from '../sources';
import type { IotLogsOptions } from '../types';
import { componentVariable, FLEET_TEXT, fleet, fleetMinute } from './testFleet';
import type { DataReader, ParseOptions, VariableDataSource } from './types';
import { getDefaultVariableQuery, type IotLogsVariableQuery } from './variableQuery';
import { IotLogsVariableSupport } from './VariableSupport';

/** Grafana's replace as the plugin uses it: `$name` from the scoped variables, else from `globals`. */
function fakeReplace(globals: Record<string, string[]> = {}) {
  return (text: string, scopedVars?: ScopedVars, format?: string | ((value: string | string[]) => string)) =>
    text.replace(/\$(\w+)/g, (all, name: string) => {
      const scoped = scopedVars?.[name]?.value as string | string[] | undefined;
      const values = scoped === undefined ? globals[name] : Array.isArray(scoped) ? scoped : [scoped];
      if (!values) {
        return all;
      }
      if (typeof format === 'function') {
        return format(values.length === 1 ? values[0] : values);
      }
      return values.join(',');
    });
}

function fakeReader(result: Promise<TableResult> | TableResult = fleet(), globals: Record<string, string[]> = {}) {
  const parse = jest.fn((_query: Parameters<DataReader['parse']>[0], _options?: ParseOptions) =>
    Promise.resolve(result)
  );
  return { parse, replace: fakeReplace(globals) };
}

const variable = (patch: Partial<IotLogsVariableQuery> = {}): IotLogsVariableQuery => ({
  refId: 'V',
  ...getDefaultVariableQuery(),
  source: { type: 'inline', content: FLEET_TEXT },
  ...patch,
});

function request(
  targets: unknown[],
  { scopedVars = {}, range = { from: 0, to: Date.UTC(2030, 0, 1) } } = {}
): DataQueryRequest<IotLogsVariableQuery> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    targets: targets as IotLogsVariableQuery[],
    range: { from, to, raw: { from, to } },
    scopedVars,
    requestId: 'variable-r',
    interval: '',
    intervalMs: 0,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

/** The last response, as Grafana's runRequest keeps it. */
const run = (support: IotLogsVariableSupport, req: DataQueryRequest<IotLogsVariableQuery>) =>
  lastValueFrom(support.query(req));

/** What Grafana's toMetricFindValues reads: the string fields named text and value. */
function options(response: DataQueryResponse): Array<{ text: string; value: string }> {
  const frames = response.data as DataFrame[];
  return frames.flatMap((frame) => {
    const text = frame.fields.find((f) => f.name === 'text' && f.type === FieldType.string);
    const value = frame.fields.find((f) => f.name === 'value' && f.type === FieldType.string);
    if (!text || !value) {
      throw new Error(`frame without string text and value fields: ${frame.fields.map((f) => f.name).join(', ')}`);
    }
    return text.values.map((t: string, i: number) => ({ text: t, value: value.values[i] as string }));
  });
}

const values = (response: DataQueryResponse) => options(response).map((o) => o.value);

describe('IotLogsVariableSupport', () => {
  it('is a custom variable support with its own editor', () => {
    const support = new IotLogsVariableSupport(fakeReader());
    expect(support.getType()).toBe(VariableSupportType.Custom);
    expect(support.editor).toBeDefined();
  });

  it('lists values as text and value (and their counts), most frequent first', async () => {
    const support = new IotLogsVariableSupport(fakeReader());
    const response = await run(support, request([variable({ values: 'clientId' })]));
    expect(response.state).toBe(LoadingState.Done);
    expect(response.errors).toBeUndefined();
    expect(options(response)).toEqual([
      { text: 'sensor-1', value: 'sensor-1' },
      { text: 'sensor-2', value: 'sensor-2' },
      { text: 'pump-7', value: 'pump-7' },
      { text: 'sensor-10', value: 'sensor-10' },
    ]);
    const frame = response.data[0] as DataFrame;
    expect(frame.refId).toBe('V');
    expect(frame.fields.find((f) => f.name === 'count')?.values).toEqual([5, 4, 2, 1]);
  });

  it('shows counts in the text when asked, and component names as text', async () => {
    const support = new IotLogsVariableSupport(fakeReader());
    const response = await run(support, request([variable({ values: 'component', showCounts: true, sort: 'name' })]));
    expect(options(response)).toEqual([
      { text: 'Device Shadow (1)', value: 'device-shadow' },
      { text: 'Jobs (2)', value: 'jobs' },
      { text: 'Message broker (8)', value: 'message-broker' },
      { text: 'Rules engine (2)', value: 'rules-engine' },
    ]);
  });

  it('reads the source with the request scoped variables, the range end and a signal', async () => {
    const reader = fakeReader();
    const support = new IotLogsVariableSupport(reader);
    const scopedVars: ScopedVars = { day: { text: 'day', value: '2024-05-01' } };
    const query = variable({ source: { type: 'url', path: 'logs/$day.json' } });
    await run(support, request([query], { scopedVars, range: { from: 1, to: 2 } }));
    expect(reader.parse).toHaveBeenCalledTimes(1);
    const [parsed, opts] = reader.parse.mock.calls[0];
    expect(parsed.source).toEqual({ type: 'url', path: 'logs/$day.json' });
    expect(opts).toEqual(expect.objectContaining({ rangeTo: 2, scopedVars }));
    expect(opts?.signal).toBeInstanceOf(AbortSignal);
  });

  describe('chaining', () => {
    it('narrows clientIds by a $component variable of the request', async () => {
      const support = new IotLogsVariableSupport(fakeReader());
      const chained = variable({
        values: 'clientId',
        components: [componentVariable],
      });
      const one = { component: { text: 'Jobs', value: 'jobs' } };
      expect(values(await run(support, request([chained], { scopedVars: one })))).toEqual(['pump-7']);
      const two = { component: { text: 'Jobs + Rules engine', value: ['jobs', 'rules-engine'] } };
      expect(values(await run(support, request([chained], { scopedVars: two })))).toEqual([
        'pump-7',
        'sensor-1',
        'sensor-2',
      ]);
    });

    it('interpolates dashboard variables in field filters and in the listed field', async () => {
      const support = new IotLogsVariableSupport(fakeReader(fleet(), { status: ['Failure'], field: ['sourcePort'] }));
      const query = variable({
        values: 'field',
        field: '$field',
        fieldFilters: [{ field: 'status', op: '=', value: '$status' }],
      });
      expect(values(await run(support, request([query])))).toEqual(['8883']);
    });
  });

  it('keeps the entries of the time range unless the query ignores it', async () => {
    const support = new IotLogsVariableSupport(fakeReader());
    const range = { from: fleetMinute(9), to: fleetMinute(12) };
    const inRange = variable({ values: 'clientId', ignoreTimeRange: false });
    expect(values(await run(support, request([inRange], { range })))).toEqual(['pump-7', 'sensor-1']);
    const ignoring = variable({ values: 'clientId', ignoreTimeRange: true });
    expect(values(await run(support, request([ignoring], { range })))).toHaveLength(4);
  });

  it('reads a string query of an old dashboard', async () => {
    const reader = fakeReader();
    const support = new IotLogsVariableSupport(reader);
    // A string query has no source: the default (empty pasted text) is read.
    const response = await run(support, request(['ruleNames']));
    expect(response.errors).toBeUndefined();
    expect(reader.parse.mock.calls[0][0].source).toEqual({ type: 'inline', content: '' });
    expect(values(response)).toEqual(['TempRule']);
  });

  describe('errors are the response, never a throw', () => {
    it('a source that cannot be read', async () => {
      const support = new IotLogsVariableSupport(
        fakeReader(Promise.reject(new SourceError('Could not fetch logs/x.json from the base URL (HTTP 404).')))
      );
      const response = await run(support, request([variable()]));
      expect(response.state).toBe(LoadingState.Error);
      expect(response.data).toEqual([]);
      expect(response.errors).toEqual([
        { refId: 'V', message: 'Could not fetch logs/x.json from the base URL (HTTP 404).' },
      ]);
    });

    it('a filter that cannot run', async () => {
      const support = new IotLogsVariableSupport(fakeReader());
      const query = variable({ fieldFilters: [{ field: 'clientId', op: '=~', value: '(' }] });
      const response = await run(support, request([query]));
      expect(response.errors?.[0].message).toMatch(/clientId/);
    });

    it('a field list without a field', async () => {
      const support = new IotLogsVariableSupport(fakeReader());
      const response = await run(support, request([variable({ values: 'field', field: '' })]));
      expect(response.errors).toEqual([{ refId: 'V', message: 'Choose the field whose values the variable lists.' }]);
    });

    it('a request without targets gives nothing', async () => {
      const support = new IotLogsVariableSupport(fakeReader());
      const response = await run(support, request([]));
      expect(response).toEqual({ data: [], state: LoadingState.Done });
    });
  });

  it('stops reading when Grafana unsubscribes', async () => {
    let signal: AbortSignal | undefined;
    const reader = {
      parse: jest.fn((_q: unknown, o?: ParseOptions) => {
        signal = o?.signal;
        return new Promise<TableResult>(() => undefined);
      }),
      replace: fakeReplace(),
    };
    const support = new IotLogsVariableSupport(reader);
    const subscription = support.query(request([variable()])).subscribe();
    await Promise.resolve();
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
  });

  it('works with the data source itself (its parse and replace)', async () => {
    const settings = {
      uid: 'iot',
      type: 'seed-awsiotlogs-datasource',
      name: 'AWS IoT Logs',
      jsonData: {},
    } as DataSourceInstanceSettings<IotLogsOptions>;
    const templateSrv = { replace: fakeReplace({ component: ['message-broker'] }) } as unknown as TemplateSrv;
    const ds = new DataSource(settings, templateSrv, {} as BackendSrv);
    // The data source is what the editor is handed (a compile-time check of the interface).
    const editorDs: VariableDataSource = ds;
    const support = new IotLogsVariableSupport(editorDs);
    const query = variable({
      values: 'eventType',
      fieldFilters: [{ field: 'component', op: '=', value: '$component' }],
      showCounts: true,
    });
    expect(options(await run(support, request([query])))).toEqual([
      { text: 'Connect (5)', value: 'Connect' },
      { text: 'Publish-In (3)', value: 'Publish-In' },
    ]);
  });
});
