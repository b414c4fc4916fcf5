/**
 * The query model. Defaults come from getDefaultQuery(); stored queries of any earlier shape go
 * through migrateQuery() (src/migrations) before use.
 */
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { ComponentId, InputFormat } from './parsing';

/** Bump with a new step in src/migrations/migrateQuery.ts. */
export const SCHEMA_VERSION = 2;

/** Entries pasted into the query editor, stored in the query. */
export interface InlineSource {
  type: 'inline';
  content: string;
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

/** Where the entries come from. */
export type QuerySource = InlineSource | UploadSource | UrlSource | SampleSource;
export type SourceType = QuerySource['type'];

export const STATUSES = ['Success', 'Failure', 'SucceededWithIssues'] as const;
export type IotStatus = (typeof STATUSES)[number];

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
}

export function ignoresTimeRangeByDefault(source: SourceType): boolean {
  return source === 'inline' || source === 'upload';
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
  };
}

/** Default and hard limit of what an uploaded file may take in a dashboard (gzip + base64 bytes). */
export const DEFAULT_MAX_STORED_BYTES = 1024 * 1024;
export const HARD_MAX_STORED_BYTES = 10 * 1024 * 1024;

/** Data source settings (jsonData). */
export interface IotLogsOptions extends DataSourceJsonData {
  /** Base URL of the URL source (http or https); the data proxy only fetches paths under it. */
  baseUrl?: string;
  /** Largest uploaded file kept in a dashboard, compressed, in bytes (≤ HARD_MAX_STORED_BYTES). */
  maxStoredBytes?: number;
}

/** Secure settings (secureJsonData): never sent back to the browser. */
export interface IotLogsSecureOptions {
  /** Value of the Authorization header sent with URL source requests. */
  authHeader?: string;
}
