import {
  DataSourceApi,
  LoadingState,
  type DataFrame,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, type BackendSrv, type TemplateSrv } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';

import { migrateQuery } from './migrations/migrateQuery';
import type { ComponentId } from './parsing';
import { ParseCache } from './query/parseCache';
import { CancelledError, ParseRunner } from './query/parseRunner';
import { runQuery } from './query/runQuery';
import { SourceError, type SourceContext } from './query/sources';
import { RunReports } from './query/runReport';
import { SessionStore } from './sources/sessionStore';
import {
  DEFAULT_MAX_STORED_BYTES,
  HARD_MAX_STORED_BYTES,
  getDefaultQuery,
  type IotLogsOptions,
  type IotLogsQuery,
} from './types';

/** The plugin.json route of the URL source: the data proxy forwards it to the configured base URL. */
export const URL_ROUTE = 'url-source';
export const PLUGIN_ID = 'seed-awsiotlogs-datasource';
export const SAMPLE_PATH = 'sample/fleet-day.json';

/** Thin: migrate, interpolate, route to runQuery. The work lives in src/query and src/parsing. */
export class DataSource extends DataSourceApi<IotLogsQuery, IotLogsOptions> {
  private readonly runner = new ParseRunner();
  private readonly cache = new ParseCache(8, (input, options, onProgress, signal) =>
    this.runner.run({ input, options, onProgress, signal })
  );
  private sample?: Promise<string>;
  /** Uploads too large for a dashboard, kept for this browser session. */
  readonly sessions = new SessionStore();
  /** What recent runs reported, for the query editor. */
  readonly reports = new RunReports();
  readonly baseUrl?: string;
  readonly maxStoredBytes: number;
  private readonly proxyUrl?: string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<IotLogsOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv(),
    private readonly backendSrv: BackendSrv = getBackendSrv()
  ) {
    super(instanceSettings);
    // Annotations use the regular query editor and query(); users map timestamp/body/labels to time/text/tags.
    this.annotations = {};
    this.proxyUrl = instanceSettings.url;
    this.baseUrl = instanceSettings.jsonData.baseUrl?.trim() || undefined;
    const cap = instanceSettings.jsonData.maxStoredBytes;
    this.maxStoredBytes =
      typeof cap === 'number' && cap > 0 ? Math.min(cap, HARD_MAX_STORED_BYTES) : DEFAULT_MAX_STORED_BYTES;
  }

  getDefaultQuery(_app: CoreApp): Partial<IotLogsQuery> {
    return getDefaultQuery();
  }

  filterQuery(query: IotLogsQuery): boolean {
    return !query.hide;
  }

  /** Filter values and the URL path may be template variables; multi-value variables expand to several values. */
  applyTemplateVariables(query: IotLogsQuery, scopedVars: ScopedVars): IotLogsQuery {
    const expand = (values: string[]) =>
      values.flatMap((v) => (v.includes('$') ? this.templateSrv.replace(v, scopedVars, 'csv').split(',') : [v]));
    const q = migrateQuery(query);
    return {
      ...q,
      source:
        q.source.type === 'url' ? { ...q.source, path: this.templateSrv.replace(q.source.path, scopedVars) } : q.source,
      components: expand(q.components) as ComponentId[],
      eventTypes: expand(q.eventTypes),
      statuses: expand(q.statuses),
    };
  }

  private readonly sources: SourceContext = {
    hasBaseUrl: false,
    sessions: this.sessions,
    fetchUrl: async (path) => {
      try {
        const response = await lastValueFrom(
          this.backendSrv.fetch<ArrayBuffer>({
            url: `${this.proxyUrl}/${URL_ROUTE}/${path}`,
            method: 'GET',
            responseType: 'arraybuffer',
            showErrorAlert: false,
          })
        );
        return new Uint8Array(response.data);
      } catch (e) {
        const status = (e as { status?: number }).status;
        throw new SourceError(`Could not fetch ${path} from the base URL${status ? ` (HTTP ${status})` : ''}.`);
      }
    },
    loadSample: () => {
      this.sample ??= lastValueFrom(
        this.backendSrv.fetch<string>({
          url: `public/plugins/${PLUGIN_ID}/${SAMPLE_PATH}`,
          method: 'GET',
          responseType: 'text',
          showErrorAlert: false,
        })
      ).then(
        (response) => response.data,
        () => {
          this.sample = undefined;
          throw new SourceError('Could not load the bundled sample data.');
        }
      );
      return this.sample;
    },
  };

  /**
   * Emits Loading responses with each query's parse progress while large inputs are parsed (in a Web
   * Worker), then the result. Unsubscribing (Grafana's cancel) stops the parse.
   */
  query(request: DataQueryRequest<IotLogsQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      const progress = new Map<string, number>();
      let lastEmit = 0;
      const onProgress = (refId: string) => (fraction: number) => {
        progress.set(refId, fraction);
        const now = Date.now();
        if (now - lastEmit > 100 && !controller.signal.aborted) {
          lastEmit = now;
          const data: DataFrame[] = [...progress].map(([id, done]) => ({
            refId: id,
            name: 'Parsing',
            fields: [],
            length: 0,
            meta: { custom: { progress: done } },
          }));
          subscriber.next({ key: request.requestId, state: LoadingState.Loading, data });
        }
      };
      this.run(request, controller.signal, onProgress).then(
        (response) => {
          subscriber.next({
            ...response,
            key: request.requestId,
            state: response.errors ? LoadingState.Error : LoadingState.Done,
          });
          subscriber.complete();
        },
        (e) => subscriber.error(e)
      );
      return () => controller.abort();
    });
  }

  private async run(
    request: DataQueryRequest<IotLogsQuery>,
    signal: AbortSignal,
    onProgress: (refId: string) => (fraction: number) => void
  ): Promise<DataQueryResponse> {
    const response: Required<Pick<DataQueryResponse, 'data' | 'errors'>> = { data: [], errors: [] };
    const queries = request.targets.map((target) => migrateQuery(target)).filter((query) => this.filterQuery(query));
    // Each query runs on its own: whatever goes wrong in one (even interpolation) is reported on it alone.
    const results = await Promise.allSettled(
      queries.map(async (query) =>
        runQuery(this.applyTemplateVariables(query, request.scopedVars), {
          ...this.sources,
          hasBaseUrl: this.baseUrl !== undefined,
          cache: this.cache,
          range: { from: request.range.from.valueOf(), to: request.range.to.valueOf() },
          onProgress: onProgress(query.refId),
          signal,
        })
      )
    );
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        response.data.push(...result.value);
        return;
      }
      // Bad data never throws (it becomes notices): this is a source that cannot be read, a cancel, or a defect.
      const e = result.reason;
      const message =
        e instanceof SourceError || e instanceof CancelledError
          ? e.message
          : `AWS IoT Logs could not run this query: ${e instanceof Error ? e.message : String(e)}`;
      response.errors.push({ refId: queries[i].refId, message });
    });
    return response.errors.length > 0 ? response : { data: response.data };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.baseUrl) {
      return {
        status: 'success',
        message:
          'AWS IoT Logs is ready: paste or upload entries, or use the sample. Set a base URL to read files from a server.',
      };
    }
    return { status: 'success', message: `AWS IoT Logs is ready. The URL source reads files under ${this.baseUrl}.` };
  }
}
