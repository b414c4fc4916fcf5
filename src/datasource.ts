import {
  DataSourceApi,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv, type TemplateSrv } from '@grafana/runtime';

import { migrateQuery } from './migrations/migrateQuery';
import type { ComponentId } from './parsing';
import { ParseCache } from './query/parseCache';
import { runQuery } from './query/runQuery';
import { getDefaultQuery, type IotLogsOptions, type IotLogsQuery } from './types';

/** Thin: migrate, interpolate, route to runQuery. The work lives in src/query and src/parsing. */
export class DataSource extends DataSourceApi<IotLogsQuery, IotLogsOptions> {
  private readonly cache = new ParseCache();

  constructor(
    instanceSettings: DataSourceInstanceSettings<IotLogsOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    // Annotations use the regular query editor and query(); users map timestamp/body/labels to time/text/tags.
    this.annotations = {};
  }

  getDefaultQuery(_app: CoreApp): Partial<IotLogsQuery> {
    return getDefaultQuery();
  }

  filterQuery(query: IotLogsQuery): boolean {
    return !query.hide;
  }

  /** Filter values may be template variables; multi-value variables expand to several values. */
  applyTemplateVariables(query: IotLogsQuery, scopedVars: ScopedVars): IotLogsQuery {
    const expand = (values: string[]) =>
      values.flatMap((v) => (v.includes('$') ? this.templateSrv.replace(v, scopedVars, 'csv').split(',') : [v]));
    const q = migrateQuery(query);
    return {
      ...q,
      components: expand(q.components) as ComponentId[],
      eventTypes: expand(q.eventTypes),
      statuses: expand(q.statuses),
    };
  }

  async query(request: DataQueryRequest<IotLogsQuery>): Promise<DataQueryResponse> {
    const response: Required<Pick<DataQueryResponse, 'data' | 'errors'>> = { data: [], errors: [] };
    for (const target of request.targets) {
      const query = migrateQuery(target);
      if (!this.filterQuery(query)) {
        continue;
      }
      try {
        response.data.push(...runQuery(this.applyTemplateVariables(query, request.scopedVars), this.cache));
      } catch (e) {
        // Bad data never throws (it becomes notices); this is a defect, reported on its query only.
        const message = e instanceof Error ? e.message : String(e);
        response.errors.push({ refId: query.refId, message: `AWS IoT Logs could not run this query: ${message}` });
      }
    }
    return response.errors.length > 0 ? response : { data: response.data };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return {
      status: 'success',
      message: 'AWS IoT Logs is ready. Paste AWS IoT log entries into a query to see them as frames.',
    };
  }
}
