import {
  DataSourceApi,
  SupplementaryQueryType,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagKeysOptions,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type AbstractQuery,
  type AdHocVariableFilter,
  type DataSourceWithLogsContextSupport,
  type DataSourceWithQueryExportSupport,
  type DataSourceWithQueryImportSupport,
  type DataSourceWithSupplementaryQueriesSupport,
  type DataSourceWithToggleableQueryFiltersSupport,
  type GetTagResponse,
  type LogRowContextOptions,
  type LogRowModel,
  type SupplementaryQueryOptions,
  type QueryFilterOptions,
  type ToggleFilterAction,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, type BackendSrv, type TemplateSrv } from '@grafana/runtime';
import { lastValueFrom, type Observable } from 'rxjs';

import type { ReactNode } from 'react';

import { iotLogsAnnotationSupport } from './annotations/annotationSupport';
import { findCloudWatch as findCloudWatchDataSource } from './cloudwatch/cloudWatchApi';
import {
  checkCloudWatch,
  cloudWatchEditorContext,
  cloudWatchRunContext,
  cloudWatchSettings,
} from './cloudwatch/context';
import type { CloudWatchApi } from './cloudwatch/delegate';
import type { CloudWatchSettings } from './cloudwatch/types';
import { testSettings } from './settingsCheck';
import type { CloudWatchEditorContext } from './sources/types';
import { IotLogsAdHocSupport } from './variables/adhoc';
import { IotLogsVariableSupport } from './variables/VariableSupport';
import { LogContext } from './explore/logContext';
import { logContextUi } from './explore/LogContextUi';
import { logVolumeQuery, logVolumeRequest } from './explore/logVolume';
import { migrateQuery } from './migrations/migrateQuery';
import { resolveDefaultSource } from './sources/default';
import type { TableResult } from './parsing';
import { ParseCache } from './query/parseCache';
import { queryDisplayText } from './query/displayText';
import { queryHasFilter, toggleQueryFilter } from './queryFilters';
import { exportToAbstractQuery, importFromAbstractQuery } from './queryImport';
import { adhocAsQueryFilters } from './query/adhocFilters';
import { linkSource } from './query/dataLinks';
import { interpolateQuery, type Replace } from './query/interpolate';
import { ParseRunner } from './query/parseRunner';
import { runRequest } from './query/request';
import { parseOf } from './query/runQuery';
import { SourceError, type SourceContext } from './sources';
import { RunReports } from './query/runReport';
import { SessionStore } from './sources/sessionStore';
import {
  DEFAULT_MAX_STORED_BYTES,
  HARD_MAX_STORED_BYTES,
  getDefaultQuery,
  PLUGIN_ID,
  type IotLogsOptions,
  type IotLogsQuery,
} from './types';

/** The plugin.json route of the URL source: the data proxy forwards it to the configured base URL. */
export const URL_ROUTE = 'url-source';
export const SAMPLE_PATH = 'sample/fleet-day.json';

/** Thin: migrate, interpolate, route to runQuery. The work lives in src/query and src/parsing. */
export class DataSource
  extends DataSourceApi<IotLogsQuery, IotLogsOptions>
  implements
    DataSourceWithToggleableQueryFiltersSupport<IotLogsQuery>,
    DataSourceWithQueryImportSupport<IotLogsQuery>,
    DataSourceWithQueryExportSupport<IotLogsQuery>,
    DataSourceWithLogsContextSupport<IotLogsQuery>,
    DataSourceWithSupplementaryQueriesSupport<IotLogsQuery>
{
  private readonly runner = new ParseRunner();
  private readonly cache = new ParseCache(8, (input, options, onProgress, signal) =>
    this.runner.run({ input, options, onProgress, signal })
  );
  private sample?: Promise<string>;
  /** Uploads too large for a dashboard, kept for this browser session. */
  readonly sessions = new SessionStore();
  /** What recent runs reported, for the query editor. */
  readonly reports = new RunReports();
  /** Ad hoc filter keys and values, read from the dashboard's queries' sources (src/variables/adhoc.ts). */
  private readonly adhoc = new IotLogsAdHocSupport(this);
  readonly baseUrl?: string;
  readonly maxStoredBytes: number;
  private readonly proxyUrl?: string;

  /** The CloudWatch source: its settings, and what its editor shows (src/cloudwatch). */
  private readonly cloudWatchSettings: CloudWatchSettings;
  readonly cloudWatch: CloudWatchEditorContext;
  /** Live answers are parsed apart, so that they never push files out of the parse cache. */
  private readonly cloudWatchCache = new ParseCache(2, (input, options, onProgress, signal) =>
    this.runner.run({ input, options, onProgress, signal })
  );

  constructor(
    instanceSettings: DataSourceInstanceSettings<IotLogsOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv(),
    private readonly backendSrv: BackendSrv = getBackendSrv(),
    private readonly findCloudWatch: (uid: string | undefined) => Promise<CloudWatchApi> = findCloudWatchDataSource
  ) {
    super(instanceSettings);
    this.cloudWatchSettings = cloudWatchSettings(instanceSettings.jsonData);
    this.cloudWatch = cloudWatchEditorContext(this.cloudWatchSettings, this.replace);
    // Annotations: their own editor, any filter, time/title/text/tags mapped by default (src/annotations).
    this.annotations = iotLogsAnnotationSupport(this);
    // Query variables with their own editor (src/variables).
    this.variables = new IotLogsVariableSupport(this);
    this.proxyUrl = instanceSettings.url;
    this.baseUrl = instanceSettings.jsonData.baseUrl?.trim() || undefined;
    const cap = instanceSettings.jsonData.maxStoredBytes;
    this.maxStoredBytes =
      typeof cap === 'number' && cap > 0 ? Math.min(cap, HARD_MAX_STORED_BYTES) : DEFAULT_MAX_STORED_BYTES;
  }

  getDefaultQuery(_app: CoreApp): Partial<IotLogsQuery> {
    return getDefaultQuery();
  }

  /** Filter for / filter out from Explore's log details (src/queryFilters.ts). */
  toggleQueryFilter(query: IotLogsQuery, filter: ToggleFilterAction): IotLogsQuery {
    return toggleQueryFilter(query, filter);
  }

  queryHasFilter(query: IotLogsQuery, filter: QueryFilterOptions): boolean {
    return queryHasFilter(query, filter);
  }

  /**
   * A query with the default source replaced by this data source's own (src/sources/default.ts):
   * CloudWatch when the settings choose a CloudWatch data source, else the sample.
   */
  private resolve<Q extends Pick<IotLogsQuery, 'source'>>(query: Q): Q {
    return resolveDefaultSource(query, this.cloudWatchSettings.cloudWatchUid !== undefined);
  }

  /** Explore's log context (src/explore/logContext.ts), reading the query's cached parse. */
  private readonly logContext = new LogContext((query, options) => this.parse(query, options));

  getLogRowContext(row: LogRowModel, options?: LogRowContextOptions, query?: IotLogsQuery): Promise<DataQueryResponse> {
    return this.logContext.getLogRowContext(row, options, query && this.resolve(query));
  }

  getLogRowContextQuery(
    row: LogRowModel,
    options?: LogRowContextOptions,
    query?: IotLogsQuery
  ): Promise<IotLogsQuery | null> {
    return this.logContext.getLogRowContextQuery(row, options, query && this.resolve(query));
  }

  /** The context view's choice: the same device (clientId, the default) or the same trace. */
  getLogRowContextUi(row: LogRowModel, runContextQuery?: () => void): ReactNode {
    return logContextUi(this.logContext.choice, row, runContextQuery);
  }

  /** Explore's log volume (src/explore/logVolume.ts): the same parse, counted by level. */
  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  getSupplementaryQuery(options: SupplementaryQueryOptions, query: IotLogsQuery): IotLogsQuery | undefined {
    return options.type === SupplementaryQueryType.LogsVolume ? logVolumeQuery(query) : undefined;
  }

  getSupplementaryRequest(
    type: SupplementaryQueryType,
    request: DataQueryRequest<IotLogsQuery>
  ): DataQueryRequest<IotLogsQuery> | undefined {
    return type === SupplementaryQueryType.LogsVolume ? logVolumeRequest(request) : undefined;
  }

  /** Ad hoc filter keys: documented fields of the queries' components and the fields their data has. */
  getTagKeys(options?: DataSourceGetTagKeysOptions<IotLogsQuery>): Promise<GetTagResponse> {
    return this.adhoc.getTagKeys(options);
  }

  /** Ad hoc filter values: the distinct values the queries' data has, most frequent first. */
  getTagValues(options: DataSourceGetTagValuesOptions<IotLogsQuery>): Promise<GetTagResponse> {
    return this.adhoc.getTagValues(options);
  }

  /** A query switched in Explore from a data source of label matchers keeps them (src/queryImport.ts). */
  async importFromAbstractQueries(queries: AbstractQuery[]): Promise<IotLogsQuery[]> {
    return queries.map(importFromAbstractQuery);
  }

  async exportToAbstractQueries(queries: IotLogsQuery[]): Promise<AbstractQuery[]> {
    return queries.map(exportToAbstractQuery);
  }

  /** A readable one-line summary of the query (Explore's query history). */
  getQueryDisplayText(query: IotLogsQuery): string {
    return queryDisplayText(query);
  }

  filterQuery(query: IotLogsQuery): boolean {
    return !query.hide;
  }

  /**
   * For Grafana's own uses of an interpolated query (query inspector, expressions): the query with its
   * variables replaced, meaning what running it means (src/query/interpolate.ts interpolateQuery).
   * Runs interpolate filters themselves.
   */
  applyTemplateVariables(query: IotLogsQuery, scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): IotLogsQuery {
    return interpolateQuery(this.resolve(migrateQuery(query)), this.replace, scopedVars, adhocAsQueryFilters(filters));
  }

  /** "Explore" from a dashboard panel: the panel's queries with the dashboard's variables and ad hoc filters. */
  interpolateVariablesInQueries(
    queries: IotLogsQuery[],
    scopedVars: ScopedVars,
    filters?: AdHocVariableFilter[]
  ): IotLogsQuery[] {
    return queries.map((query) => {
      const concrete = this.applyTemplateVariables(query, scopedVars, filters);
      // Explore keeps the query in its URL: large or `$`-holding content as this tab's copy (as data links do).
      return { ...concrete, source: linkSource(concrete.source, this.sessions) };
    });
  }

  /** Grafana's template variable replacement, for interpolating query values (src/query/interpolate.ts). */
  readonly replace: Replace = (text, scopedVars, format) =>
    this.templateSrv.replace(text, scopedVars, format as string | undefined);

  /**
   * The parse of a query's source, loaded and parsed once and cached (src/query/runQuery.ts parseOf), for
   * the features that read the data itself: variables, ad hoc keys and values, log context. `rangeTo`
   * is where the sample ends (the query's time range end; now by default). Throws SourceError when the
   * source cannot be read.
   */
  async parse(
    query: Pick<IotLogsQuery, 'source' | 'format'>,
    options: { rangeTo?: number; scopedVars?: ScopedVars; signal?: AbortSignal } = {}
  ): Promise<TableResult> {
    const { result } = await parseOf(this.resolve(query), {
      ...this.sources,
      hasBaseUrl: this.baseUrl !== undefined,
      cache: this.cache,
      replace: this.replace,
      range: { to: options.rangeTo ?? Date.now() },
      scopedVars: options.scopedVars,
      signal: options.signal,
    });
    return result;
  }

  private readonly sources: Omit<SourceContext, 'interpolate' | 'rangeTo'> = {
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

  /** Runs the request's queries (src/query/request.ts); unsubscribing (Grafana's cancel) stops the parse. */
  query(request: DataQueryRequest<IotLogsQuery>): Observable<DataQueryResponse> {
    const base = {
      ...this.sources,
      hasBaseUrl: this.baseUrl !== undefined,
      replace: this.replace,
      links: { uid: this.uid, name: this.name, type: this.type, sessions: this.sessions },
    };
    return runRequest(
      { ...request, targets: request.targets.map((target) => this.resolve(target)) },
      {
        ...base,
        cache: this.cache,
        reports: this.reports,
        cloudWatch: cloudWatchRunContext(this.cloudWatchSettings, this.findCloudWatch, this.cloudWatchCache, base),
      }
    );
  }

  /** "Save & test": runs a tiny Logs Insights query and fetches the base URL, when they are set. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    return testSettings({
      cloudWatch: this.cloudWatchSettings.cloudWatchUid
        ? () => checkCloudWatch(this.cloudWatchSettings, this.findCloudWatch)
        : undefined,
      baseUrl: this.baseUrl,
      fetchBaseUrl: this.baseUrl ? () => this.fetchBaseUrl() : undefined,
    });
  }

  /** The base URL itself, through the data proxy: its HTTP status (0 when the request failed without one). */
  private async fetchBaseUrl(): Promise<number> {
    try {
      const response = await lastValueFrom(
        this.backendSrv.fetch({
          url: `${this.proxyUrl}/${URL_ROUTE}/`,
          method: 'GET',
          responseType: 'text',
          showErrorAlert: false,
        })
      );
      return response.status;
    } catch (e) {
      const status = (e as { status?: unknown }).status;
      return typeof status === 'number' ? status : 0;
    }
  }
}
