import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { DataSource } from './datasource';
import { parseLogs } from './parsing';
import { awsReferenceExamples } from './parsing/testutils';
import type { QueryFrameMeta } from './query/runQuery';
import { getDefaultQuery, type IotLogsOptions, type IotLogsQuery } from './types';

jest.mock('./parsing', () => {
  const actual = jest.requireActual('./parsing');
  return { ...actual, parseLogs: jest.fn(actual.parseLogs) };
});

const parseSpy = parseLogs as jest.MockedFunction<typeof parseLogs>;

const content = awsReferenceExamples()
  .map((e) => e.text)
  .join('\n');

const settings = {
  uid: 'iot',
  type: 'seed-awsiotlogs-datasource',
  name: 'AWS IoT Logs',
  jsonData: {},
} as DataSourceInstanceSettings<IotLogsOptions>;

const variables: Record<string, string[]> = { component: ['jobs', 'device-shadow'], status: ['Failure'] };
const templateSrv = {
  replace: (target: string) => target.replace(/\$(\w+)/g, (_, name) => (variables[name] ?? [`$${name}`]).join(',')),
} as unknown as TemplateSrv;

function request(...targets: Array<Partial<IotLogsQuery> & { refId: string }>): DataQueryRequest<IotLogsQuery> {
  const now = dateTime();
  return {
    targets: targets as IotLogsQuery[],
    range: { from: now, to: now, raw: { from: 'now-6h', to: 'now' } },
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
    const response = await ds.query(
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
    const first = await ds.query(request({ refId: 'A', source: inline(content) }));
    const again = await ds.query(
      request({ refId: 'A', source: inline(content), statuses: ['Failure'] }, { refId: 'B', source: inline(content) })
    );
    expect(parseSpy).toHaveBeenCalledTimes(1);
    expect(again.data.filter((f) => f.refId === 'A')).toHaveLength(3);
    expect(again.data.find((f) => f.refId === 'B')!.fields).toBe(first.data[0].fields);
    await ds.query(request({ refId: 'A', source: inline(`${content}\n`) }));
    expect(parseSpy).toHaveBeenCalledTimes(2);
  });

  it('migrates stored queries of the version 0 shape', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await ds.query(request({ refId: 'A', content, component: 'jobs' } as unknown as IotLogsQuery));
    expect(response.data).toHaveLength(5);
  });

  it('expands template variables in filters', async () => {
    const ds = new DataSource(settings, templateSrv);
    const response = await ds.query(
      request({ refId: 'A', source: inline(content), components: ['$component' as never], statuses: ['$status'] })
    );
    // jobs and device-shadow entries all succeeded: nothing is left, and the empty frame says so.
    expect(response.data.map((f) => [f.name, f.length])).toEqual([['No entries', 0]]);
    const all = await ds.query(request({ refId: 'A', source: inline(content), components: ['$component' as never] }));
    expect(all.data).toHaveLength(8);
  });

  it('reports bad data as notices and the parse summary, never by throwing', async () => {
    const ds = new DataSource(settings, templateSrv);
    const broken = `${content.slice(0, 300)}\n${content}\n\u0000\u0001 junk`;
    const lastLine = broken.split('\n').length;
    const response = await ds.query(request({ refId: 'A', source: inline(broken) }));
    expect(response.errors).toBeUndefined();
    const custom = response.data[0].meta.custom as QueryFrameMeta;
    expect(custom.parse).toMatchObject({ entries: 22, rejected: 2, records: 24 });
    expect(response.data[0].meta.notices[0]).toMatchObject({
      severity: 'warning',
      text: expect.stringMatching(/^2 records of 24 rejected/),
    });
    expect(custom.issues.map((i) => [i.line, i.reason])).toEqual([
      [1, 'broken-json'],
      [lastLine, 'binary'],
    ]);
  });

  it('turns an unexpected failure into an error on its query only', async () => {
    parseSpy.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const ds = new DataSource(settings, templateSrv);
    const response = await ds.query(
      request({ refId: 'A', source: inline('x') }, { refId: 'B', source: inline(content) })
    );
    expect(response.errors).toEqual([{ refId: 'A', message: 'AWS IoT Logs could not run this query: boom' }]);
    expect(response.data.filter((f) => f.refId === 'B')).toHaveLength(22);
  });

  it('passes its health check', async () => {
    await expect(new DataSource(settings, templateSrv).testDatasource()).resolves.toMatchObject({ status: 'success' });
  });
});
