import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings, type Field } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchResponse, TemplateSrv } from '@grafana/runtime';
import { lastValueFrom, of, Subject, throwError } from 'rxjs';

import { DataSource } from './datasource';
import { parseTables } from './parsing';
import { awsReferenceExamples } from './parsing/testutils';
import { SAMPLE_END_MS, sampleOffset } from './sample/rebase';
import { getDefaultQuery, type IotLogsOptions, type IotLogsQuery } from './types';

jest.mock('./parsing', () => {
  const actual = jest.requireActual('./parsing');
  return { ...actual, parseTables: jest.fn(actual.parseTables) };
});

const parseSpy = parseTables as jest.MockedFunction<typeof parseTables>;

/** The final response of a query (after its Loading responses). */
const q = (ds: DataSource, req: DataQueryRequest<IotLogsQuery>) => lastValueFrom(ds.query(req));

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');

const settings = {
  uid: 'iot',
  type: 'seed-awsiotlogs-datasource',
  name: 'AWS IoT Logs',
  url: '/api/datasources/proxy/uid/iot',
  jsonData: {},
} as DataSourceInstanceSettings<IotLogsOptions>;
const withBaseUrl = { ...settings, jsonData: { baseUrl: 'https://logs.example.com/iot/' } };

/** A backendSrv that answers from a table of URLs; every request is recorded. */
function fakeBackend(responses: Record<string, unknown>) {
  const requests: BackendSrvRequest[] = [];
  const backend = {
    fetch: (req: BackendSrvRequest) => {
      requests.push(req);
      return req.url in responses
        ? of({ data: responses[req.url], status: 200 } as FetchResponse)
        : throwError(() => ({ status: 404, data: 'not found' }));
    },
  } as unknown as BackendSrv;
  return { backend, requests };
}

const variables: Record<string, string[]> = { component: ['jobs', 'device-shadow'], status: ['Failure'] };
/** Grafana's replace as far as the plugin uses it: a format function gets a multi-value variable's values. */
const templateSrv = {
  replace: (target: string, _vars?: unknown, format?: unknown) =>
    target.replace(/\$(\w+)/g, (_, name) => {
      const values = variables[name];
      if (!values) {
        return `$${name}`;
      }
      if (typeof format === 'function') {
        return format(values.length === 1 ? values[0] : values);
      }
      return values.join(',');
    }),
} as unknown as TemplateSrv;

function request(...targets: Array<Partial<IotLogsQuery> & { refId: string }>): DataQueryRequest<IotLogsQuery> {
  return requestIn({ from: 0, to: Date.UTC(2030, 0, 1) }, ...targets);
}

function requestIn(
  range: { from: number; to: number },
  ...targets: Array<Partial<IotLogsQuery> & { refId: string }>
): DataQueryRequest<IotLogsQuery> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    targets: targets as IotLogsQuery[],
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId: 'r',
    interval: '1s',
    intervalMs: 1000,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

const inline = (text: string) => ({ type: 'inline' as const, content: text });

describe('DataSource', () => {
  beforeEach(() => parseSpy.mockClear());

  it('offers the default query', () => {
    expect(new DataSource(settings, templateSrv).getDefaultQuery('explore' as never)).toEqual(getDefaultQuery());
  });

  it('returns one frame per eventType for each query, with its refId and filters', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await q(
      ds,
      request(
        { refId: 'A', source: inline(content) },
        { refId: 'B', source: inline(content), components: ['device-shadow'] },
        { refId: 'C', source: inline(content), hide: true }
      )
    );
    expect(response.errors).toBeUndefined();
    const byRef = (refId: string) => response.data.filter((f) => f.refId === refId);
    expect(byRef('A')).toHaveLength(22);
    expect(
      byRef('B')
        .map((f) => f.name)
        .sort()
    ).toEqual(['DeleteThingShadow', 'GetThingShadow', 'UpdateThingShadow']);
    expect(byRef('C')).toHaveLength(0);
  });

  it('does not parse unchanged content again when a query re-runs', async () => {
    const ds = new DataSource(settings, templateSrv);
    const first = await q(ds, request({ refId: 'A', source: inline(content) }));
    const again = await q(
      ds,
      request({ refId: 'A', source: inline(content), statuses: ['Failure'] }, { refId: 'B', source: inline(content) })
    );
    expect(parseSpy).toHaveBeenCalledTimes(1);
    expect(again.data.filter((f) => f.refId === 'A')).toHaveLength(3);
    // The same arrays (fields carrying data links are copied per run, their values are not).
    const againB = again.data.find((f) => f.refId === 'B')!.fields as Field[];
    againB.forEach((field, i) => expect(field.values).toBe(first.data[0].fields[i].values));
    await q(ds, request({ refId: 'A', source: inline(`${content}\n`) }));
    expect(parseSpy).toHaveBeenCalledTimes(2);
  });

  it('migrates stored queries of the version 0 shape', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await q(ds, request({ refId: 'A', content, component: 'jobs' } as unknown as IotLogsQuery));
    expect(response.data).toHaveLength(5);
  });

  it('expands template variables in filters', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await q(
      ds,
      request({ refId: 'A', source: inline(content), components: ['$component' as never], statuses: ['$status'] })
    );
    // jobs and device-shadow entries all succeeded: nothing is left, and the empty frame says so.
    expect(response.data.map((f) => [f.name, f.length])).toEqual([['No entries', 0]]);
    const all = await q(ds, request({ refId: 'A', source: inline(content), components: ['$component' as never] }));
    expect(all.data).toHaveLength(8);
  });

  it('reports bad data as notices and the parse summary, never by throwing', async () => {
    const ds = new DataSource(settings, templateSrv);
    const broken = `${content.slice(0, 300)}\n${content}\n\u0000\u0001 junk`;
    const lastLine = broken.split('\n').length;
    const response = await q(ds, request({ refId: 'A', source: inline(broken) }));
    expect(response.errors).toBeUndefined();
    const report = ds.reports.get('r', 'A')!;
    expect(report.state).toBe('done');
    // The control characters and the word after them are two bad tokens, each counted on its own.
    expect(report.parse).toMatchObject({ entries: 22, rejected: 3, records: 25 });
    expect(response.data[0].meta.notices[0]).toMatchObject({
      severity: 'warning',
      text: expect.stringMatching(/^3 records of 25 rejected/),
    });
    expect(report.issues!.map((i) => [i.line, i.reason])).toEqual([
      [1, 'broken-json'],
      [lastLine, 'binary'],
      [lastLine, 'not-json'],
    ]);
  });

  it('turns an unexpected failure into an error on its query only', async () => {
    parseSpy.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const ds = new DataSource(settings, templateSrv);
    const response = await q(ds, request({ refId: 'A', source: inline('x') }, { refId: 'B', source: inline(content) }));
    expect(response.errors).toEqual([{ refId: 'A', message: 'AWS IoT Logs could not run this query: boom' }]);
    // Explore's log volume reads the first error by its older name.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(response.error).toEqual(response.errors![0]);
    expect(response.data.filter((f) => f.refId === 'B')).toHaveLength(22);
  });

  it('reports a failure while preparing one query on that query, without rejecting', async () => {
    const throwing = {
      replace: () => {
        throw new Error('no variables here');
      },
    } as unknown as TemplateSrv;
    const ds = new DataSource(withBaseUrl, throwing, fakeBackend({}).backend);
    const response = await q(
      ds,
      request(
        { refId: 'A', source: { type: 'url', path: 'a.json' } },
        { refId: 'B', source: { type: 'inline', content } }
      )
    );
    expect(response.errors).toEqual([
      { refId: 'A', message: 'AWS IoT Logs could not run this query: no variables here' },
    ]);
    expect(response.data.filter((f) => f.refId === 'B')).toHaveLength(22);
  });

  it('reports a filter or output option that cannot work as an error of its query alone', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await q(
      ds,
      request(
        { refId: 'A', source: inline(content), fieldFilters: [{ field: 'clientId', op: '=~', value: '[' }] },
        { refId: 'B', source: inline(content), output: 'timeseries', interval: '5 parsecs' },
        { refId: 'C', source: inline(content), output: 'counts', groupBy: ['status'] }
      )
    );
    expect(response.errors).toEqual([
      { refId: 'A', message: expect.stringMatching(/clientId.*not a valid regular expression/) },
      { refId: 'B', message: expect.stringMatching(/5 parsecs/) },
    ]);
    expect(ds.reports.get('r', 'A')).toMatchObject({ state: 'error', error: expect.stringMatching(/regular/) });
    const counts = response.data.filter((f) => f.refId === 'C');
    expect(counts).toHaveLength(1);
    expect(counts[0].fields.map((f: { name: string }) => f.name)).toEqual(['status', 'count']);
  });

  it('gives each output mode from one parse, with defaults for what the query leaves out', async () => {
    const ds = new DataSource(settings, templateSrv);
    const outputs = ['logs', 'table', 'timeseries', 'counts', 'sessions'] as const;
    const response = await q(
      ds,
      request(...outputs.map((output) => ({ refId: output, source: inline(content), output })))
    );
    expect(parseSpy).toHaveBeenCalledTimes(1);
    const byRef = (refId: string) => response.data.filter((f) => f.refId === refId);
    expect(byRef('logs')).toHaveLength(22);
    expect(byRef('table')).toHaveLength(22);
    expect(byRef('timeseries')[0].meta.type).toBe('timeseries-multi');
    expect(byRef('counts')[0].meta.type).toBe('numeric-long');
    expect(byRef('sessions')[0].name).toBe('sessions');
    for (const output of outputs) {
      expect(ds.reports.get('r', output)).toMatchObject({ state: 'done', output: { mode: output, parsed: 22 } });
    }
  });

  it('filters for and out from log details, through the query it changes', async () => {
    const ds = new DataSource(settings, templateSrv);
    const base = { refId: 'A', ...getDefaultQuery(), source: inline(content) };
    const forConnect = ds.toggleQueryFilter(base, {
      type: 'FILTER_FOR',
      options: { key: 'eventType', value: 'Connect' },
    });
    expect(ds.queryHasFilter(forConnect, { key: 'eventType', value: 'Connect' })).toBe(true);
    expect((await q(ds, request(forConnect))).data.map((f) => f.name)).toEqual(['Connect']);
    const outConnect = ds.toggleQueryFilter(base, {
      type: 'FILTER_OUT',
      options: { key: 'eventType', value: 'Connect' },
    });
    const names = (await q(ds, request(outConnect))).data.map((f) => f.name);
    expect(names).toHaveLength(21);
    expect(names).not.toContain('Connect');
  });

  it('does not let a cancelled run overwrite the report of the run after it (Explore reuses request ids)', async () => {
    const slow = new Subject<FetchResponse>();
    const backend = { fetch: () => slow.asObservable() } as unknown as BackendSrv;
    const ds = new DataSource(withBaseUrl, templateSrv, backend);
    const first = ds.query(request({ refId: 'A', source: { type: 'url', path: 'slow.json' } })).subscribe();
    first.unsubscribe();
    await q(ds, request({ refId: 'A', source: inline(content) }));
    expect(ds.reports.get('r', 'A')).toMatchObject({ state: 'done', query: { source: { type: 'inline' } } });
    slow.next({ data: new TextEncoder().encode(content).buffer, status: 200 } as FetchResponse);
    slow.complete();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ds.reports.get('r', 'A')).toMatchObject({ state: 'done', query: { source: { type: 'inline' } } });
  });

  it('passes its health check with nothing to check, and fetches the base URL when there is one', async () => {
    await expect(new DataSource(settings, templateSrv).testDatasource()).resolves.toMatchObject({ status: 'success' });
    const reachable = fakeBackend({ '/api/datasources/proxy/uid/iot/url-source/': 'index' });
    await expect(new DataSource(withBaseUrl, templateSrv, reachable.backend).testDatasource()).resolves.toMatchObject({
      status: 'success',
      message: expect.stringContaining('https://logs.example.com/iot/ answered (HTTP 200)'),
    });
    expect(reachable.requests.map((r) => r.url)).toEqual(['/api/datasources/proxy/uid/iot/url-source/']);
    // 404 for the base URL itself: the server answers (it need not list a directory)
    const none = fakeBackend({});
    await expect(new DataSource(withBaseUrl, templateSrv, none.backend).testDatasource()).resolves.toMatchObject({
      status: 'success',
      message: expect.stringContaining('is reachable (HTTP 404'),
    });
    const unreachable = {
      fetch: () => throwError(() => ({ status: 502, data: 'bad gateway' })),
    } as unknown as BackendSrv;
    await expect(new DataSource(withBaseUrl, templateSrv, unreachable).testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringContaining('could not reach https://logs.example.com/iot/ (HTTP 502)'),
    });
    const refused = { fetch: () => throwError(() => ({ status: 401 })) } as unknown as BackendSrv;
    await expect(new DataSource(withBaseUrl, templateSrv, refused).testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringContaining('check the Authorization header'),
    });
  });

  describe('URL source', () => {
    it('fetches the interpolated path through the data proxy route', async () => {
      const { backend, requests } = fakeBackend({
        '/api/datasources/proxy/uid/iot/url-source/2024/day%201.json': new TextEncoder().encode(content).buffer,
      });
      variables.day = ['day 1'];
      const ds = new DataSource(withBaseUrl, templateSrv, backend);
      const response = await q(ds, request({ refId: 'A', source: { type: 'url', path: '2024/$day.json' } }));
      expect(response.errors).toBeUndefined();
      expect(response.data).toHaveLength(22);
      expect(requests).toEqual([
        expect.objectContaining({
          url: '/api/datasources/proxy/uid/iot/url-source/2024/day%201.json',
          responseType: 'arraybuffer',
        }),
      ]);
    });

    it('never asks the proxy for a path outside the base URL, even through a variable', async () => {
      const { backend, requests } = fakeBackend({});
      variables.escape = ['../../admin'];
      const ds = new DataSource(withBaseUrl, templateSrv, backend);
      for (const path of ['$escape', 'https://evil.example/x', '//evil.example/x', '%2e%2e/x']) {
        const response = await q(ds, request({ refId: 'A', source: { type: 'url', path } }));
        expect(response.errors).toEqual([{ refId: 'A', message: expect.stringMatching(/base URL/) }]);
      }
      expect(requests).toEqual([]);
    });

    it('reports HTTP failures as an error of the query', async () => {
      const ds = new DataSource(withBaseUrl, templateSrv, fakeBackend({}).backend);
      const response = await q(ds, request({ refId: 'A', source: { type: 'url', path: 'missing.json' } }));
      expect(response.errors).toEqual([
        { refId: 'A', message: 'Could not fetch missing.json from the base URL (HTTP 404).' },
      ]);
    });

    it('needs a base URL', async () => {
      const ds = new DataSource(settings, templateSrv, fakeBackend({}).backend);
      const response = await q(ds, request({ refId: 'A', source: { type: 'url', path: 'a.json' } }));
      expect(response.errors).toEqual([{ refId: 'A', message: expect.stringMatching(/needs a base URL/) }]);
    });
  });

  describe('sample source', () => {
    const sample = [
      '[',
      '{"timestamp":"2024-03-04 00:00:00.000","logLevel":"INFO","status":"Success","eventType":"Connect","clientId":"a"},',
      '{"timestamp":"2024-03-04 23:00:00.000","logLevel":"INFO","status":"Success","eventType":"Connect","clientId":"b"}',
      ']',
    ].join('\n');

    it('moves the sample so that it ends at the end of the time range, and loads it once', async () => {
      const { backend, requests } = fakeBackend({
        'public/plugins/seed-awsiotlogs-datasource/sample/fleet-day.json': sample,
      });
      const ds = new DataSource(settings, templateSrv, backend);
      const to = Date.UTC(2026, 10, 24, 12, 30, 15);
      const offset = sampleOffset(to);
      // The sample's last entry lands on the last whole minute of the range.
      expect(SAMPLE_END_MS + offset).toBe(Date.UTC(2026, 10, 24, 12, 30));
      const first = Date.UTC(2024, 2, 4, 0, 0) + offset;
      const second = Date.UTC(2024, 2, 4, 23, 0) + offset;
      const wholeDay = await q(
        ds,
        requestIn({ from: to - 86400_000, to }, { refId: 'A', source: { type: 'sample' }, ignoreTimeRange: false })
      );
      expect(wholeDay.data[0].fields[0].values).toEqual([first, second]);
      const body = JSON.parse(wholeDay.data[0].fields[1].values[1]);
      expect(body.timestamp).toBe(new Date(second).toISOString().replace('T', ' ').replace('Z', ''));
      const lastMinutes = await q(
        ds,
        requestIn({ from: second - 60_000, to }, { refId: 'A', source: { type: 'sample' }, ignoreTimeRange: false })
      );
      expect(lastMinutes.data[0].fields[0].values).toEqual([second]);
      expect(requests).toHaveLength(1);
    });
  });
});
