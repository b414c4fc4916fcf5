/**
 * For tests that run queries through the DataSource the way Grafana does: instance settings, a template
 * service that replaces nothing, and a request of targets over a time range. Test code only.
 */
import {
  dateTime,
  type AdHocVariableFilter,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';

import type { IotLogsOptions, IotLogsQuery } from './types';

export const TEST_SETTINGS = {
  uid: 'iot',
  type: 'seed-awsiotlogs-datasource',
  name: 'AWS IoT Logs',
  url: '/api/datasources/proxy/uid/iot',
  jsonData: {},
} as DataSourceInstanceSettings<IotLogsOptions>;

/** A template service without variables: text stays as it is. */
export const NO_VARIABLES = { replace: (text: string) => text } as unknown as TemplateSrv;

/** A backend service for tests whose sources never fetch. */
export const NO_BACKEND = {} as BackendSrv;

export interface TestRequestOptions {
  /** Epoch ms; by default 1970 to 2030, so every fixture is in range. */
  range?: { from: number; to: number };
  filters?: AdHocVariableFilter[];
  app?: string;
  requestId?: string;
  intervalMs?: number;
}

export function testRequest(
  targets: IotLogsQuery[],
  {
    range = { from: 0, to: Date.UTC(2030, 0, 1) },
    filters,
    app = 'dashboard',
    requestId = 'test',
    intervalMs = 1000,
  }: TestRequestOptions = {}
): DataQueryRequest<IotLogsQuery> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    targets,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    requestId,
    interval: `${intervalMs / 1000}s`,
    intervalMs,
    maxDataPoints: 1000,
    timezone: 'utc',
    app,
    startTime: 0,
    ...(filters ? { filters } : {}),
  };
}
