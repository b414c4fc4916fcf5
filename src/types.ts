/**
 * The query model. Defaults come from getDefaultQuery(); stored queries of any earlier shape go
 * through migrateQuery() (src/migrations) before use.
 */
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { ComponentId, InputFormat } from './parsing';
import { sourceKind } from './sources';

/** The plugin's id (plugin.json `id`): its data source type, the path of its public files. */
export const PLUGIN_ID = 'seed-awsiotlogs-datasource';

/** Bump with a new step in src/migrations/migrateQuery.ts. */
export const SCHEMA_VERSION = 3;

/** Entries pasted into the query editor, stored in the query. */
export interface InlineSource {
  type: 'inline';
  content: string;
  /**
   * Pasted text too large for the query's place (Explore keeps queries in its URL and history): the
   * key of the text in the data source's session store; `content` is then empty and `size` its length.
   */
  sessionKey?: string;
  size?: number;
}

/** A file the user uploaded. */
export interface UploadSource {
  type: 'upload';
  fileName: string;
  /** Size of the file in bytes. */
  size: number;
  /** The file, gzip-compressed and base64-encoded, when that fits the data source's storage cap. */
  data?: string;
  /** When the file is larger than the cap: the key of its bytes in this browser session's memory. */
  sessionKey?: string;
}

/** A file under the base URL an administrator set in the data source settings. */
export interface UrlSource {
  type: 'url';
  /** Path under the base URL; template variables are interpolated. */
  path: string;
}

/** The bundled sample: a day of a small fleet, moved to end at the query's time range. */
export interface SampleSource {
  type: 'sample';
}

/**
 * Live entries from CloudWatch Logs Insights, run through the CloudWatch data source chosen in this data
 * source's settings (src/cloudwatch). The plugin writes the Logs Insights query from the query's filters.
 */
export interface CloudWatchSource {
  type: 'cloudwatch';
  /**
   * A Logs Insights query the user edited, run instead of the one written from the filters (whose text
   * it started from); the query's own filters still apply to the parsed entries. Absent: written.
   */
  expression?: string;
}

/**
 * The data source's own source: CloudWatch when this data source's settings choose a CloudWatch data
 * source, else the bundled sample. Dashboards meant for both (the shipped ones) use it, so the same JSON
 * reads the sample on the demo's data source and your log groups on a CloudWatch-backed one. The data
 * source resolves it before anything runs (src/sources/default.ts resolveDefaultSource).
 */
export interface DefaultSource {
  type: 'default';
}

/** A source the query is not showing, kept with its time range choice (see IotLogsQuery.keptSources). */
export interface KeptSource {
  source: QuerySource;
  ignoreTimeRange: boolean;
}
export type KeptSources = Partial<Record<QuerySource['type'], KeptSource>>;

/** Where the entries come from. */
export type QuerySource = InlineSource | UploadSource | UrlSource | SampleSource | CloudWatchSource | DefaultSource;
export type SourceType = QuerySource['type'];

export const STATUSES = ['Success', 'Failure', 'SucceededWithIssues'] as const;
/** AWS IoT's log levels, most severe first. */
export const LOG_LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG'] as const;
export type IotStatus = (typeof STATUSES)[number];

/** What a query returns (the query's `output`). Dashboards and provisioning files rely on these names. */
export const OUTPUT_MODES = ['logs', 'table', 'timeseries', 'counts', 'sessions', 'behaviour', 'findings'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/**
 * Operators of field filters. `=~`/`!~` take a regular expression (JavaScript syntax, matched anywhere
 * in the value unless anchored); `>`, `<`, `>=`, `<=` compare numbers, or times when the field is a
 * time or the value reads as one; `exists`/`missing` take no value.
 */
export const FILTER_OPERATORS = ['=', '!=', '=~', '!~', '>', '<', '>=', '<=', 'exists', 'missing'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A filter on one field, documented or discovered (`eventType` and `component` are fields too). */
export interface FieldFilter {
  field: string;
  op: FilterOperator;
  /** The value to compare with; template variables are interpolated (multi-value: any of them). */
  value?: string;
}

/** The views of the behaviour output. */
export const BEHAVIOUR_VIEWS = ['table', 'series'] as const;
export type BehaviourView = (typeof BEHAVIOUR_VIEWS)[number];

/** What the time series and counts outputs count: entries, or distinct values of `metricField`. */
export const METRICS = ['count', 'distinct'] as const;
export type Metric = (typeof METRICS)[number];

export interface IotLogsQuery extends DataQuery {
  schemaVersion: typeof SCHEMA_VERSION;
  source: QuerySource;
  /** The container to read the input as; 'auto' detects it. */
  format: InputFormat | 'auto';
  /**
   * Keep entries outside the dashboard's time range. Default true for pasted and uploaded files (they
   * are usually older than the dashboard's range), false for the sample and URL sources.
   */
  ignoreTimeRange: boolean;
  /** Components to keep; empty keeps all. */
  components: ComponentId[];
  /** eventTypes to keep; empty keeps all. Values may be template variables. */
  eventTypes: string[];
  /** Entry statuses to keep; empty keeps all. Values may be template variables. */
  statuses: string[];
  /** Log levels (ERROR, WARN, INFO, DEBUG) to keep; empty keeps all. */
  logLevels: string[];
  /** Every filter must hold (AND). */
  fieldFilters: FieldFilter[];
  /** MQTT topic filters (`+` one level, `#` the rest) matched against the entry's topic fields; any of them. */
  topicFilters: string[];
  /** Free text searched in each entry as written (case-insensitive); empty searches nothing. */
  search: string;

  /** What the query returns; each mode has defaults, so the mode alone gives a useful result. */
  output: OutputMode;
  /** timeseries: one series per combination of these fields' values; counts: rows by these fields. */
  groupBy: string[];
  /** timeseries and counts: count entries, or the distinct values of `metricField`. */
  metric: Metric;
  metricField?: string;
  /** timeseries: a fixed interval (`30s`, `5m`, `1h`); empty follows the panel's interval. */
  interval?: string;
  /**
   * The input of other sources the user switched away from, kept (with their time range choice) until
   * cleared, so that switching back restores it, also after the dashboard is saved or Explore reloads.
   */
  keptSources?: KeptSources;
  /** timeseries: most series (the rest summed as `other`); counts: most rows. Defaults per output. */
  limit?: number;
  /** table: one table across the selected eventTypes (common columns first) instead of one per eventType. */
  combineTables?: boolean;
  /**
   * behaviour: one row per device with the fleet's median and p90 (`table`, the default), or one metric
   * (`metricField`, default disconnects) per interval for the top `limit` devices (`series`).
   */
  behaviourView?: BehaviourView;
  /**
   * findings: thresholds replacing the defaults, by name (`stormConnects`, `stormWindowMinutes`, …; see
   * src/output/findings.ts DEFAULT_THRESHOLDS). Unknown names and values that are not numbers ≥ 0 are ignored.
   */
  thresholds?: Partial<Record<string, number>>;
  /**
   * Filters a data link adds to the query, as JSON text: `{"eventTypes": […], "fieldFilters": […],
   * "from": "<ISO time>", "to": "<ISO time>"}` (a finding's evidence link fills it per row: Grafana fills
   * a link's query from text only). migrateQuery moves them into the query's lists, the time bounds as
   * `timestamp` filters (not for the sample, whose times move with the time range), and drops the field;
   * text that is not such JSON is kept, and running the query says what is wrong with it.
   */
  linkFilters?: string;
  /** Internal: set on the queries Explore runs for a supplementary result (src/explore/logVolume.ts). */
  supplementary?: 'logsVolume';
}

/** Whether queries of a source show every entry whatever the time range by default (its kind says). */
export function ignoresTimeRangeByDefault(source: SourceType): boolean {
  return sourceKind(source).ignoresTimeRange;
}

export function getDefaultQuery(): Omit<IotLogsQuery, 'refId'> {
  return {
    schemaVersion: SCHEMA_VERSION,
    source: { type: 'inline', content: '' },
    format: 'auto',
    ignoreTimeRange: true,
    components: [],
    eventTypes: [],
    statuses: [],
    logLevels: [],
    fieldFilters: [],
    topicFilters: [],
    search: '',
    output: 'logs',
    groupBy: [],
    metric: 'count',
  };
}

/** Default and hard limit of what an uploaded file may take in a dashboard (gzip + base64 bytes). */
export const DEFAULT_MAX_STORED_BYTES = 1024 * 1024;
export const HARD_MAX_STORED_BYTES = 10 * 1024 * 1024;

/** Data source settings (jsonData). */
export interface IotLogsOptions extends DataSourceJsonData {
  /** Base URL of the URL source (http or https); the data proxy only fetches paths under it. */
  baseUrl?: string;
  /** The CloudWatch source: uid of the Grafana CloudWatch data source queries run through. */
  cloudWatchUid?: string;
  /** The CloudWatch source: AWS region; empty or `default` uses the CloudWatch data source's default. */
  region?: string;
  /** The CloudWatch source: log groups to read, by name or ARN (default AWSIotLogsV2). */
  logGroups?: string[];
  /** Largest uploaded file kept in a dashboard, compressed, in bytes (≤ HARD_MAX_STORED_BYTES). */
  maxStoredBytes?: number;
}

/** Secure settings (secureJsonData): never sent back to the browser. */
export interface IotLogsSecureOptions {
  /** Value of the Authorization header sent with URL source requests. */
  authHeader?: string;
}
