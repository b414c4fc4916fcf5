/**
 * The query model. Defaults come from getDefaultQuery(); stored queries of any earlier shape go
 * through migrateQuery() (src/migrations) before use.
 */
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { ComponentId } from './parsing';

/** Bump with a new step in src/migrations/migrateQuery.ts. */
export const SCHEMA_VERSION = 1;

/** Entries pasted into the query editor, stored in the query. */
export interface InlineSource {
  type: 'inline';
  content: string;
}

/** Where the entries come from. A union so later sources (upload, URL, sample, CloudWatch) slot in. */
export type QuerySource = InlineSource;

export const STATUSES = ['Success', 'Failure', 'SucceededWithIssues'] as const;
export type IotStatus = (typeof STATUSES)[number];

export interface IotLogsQuery extends DataQuery {
  schemaVersion: typeof SCHEMA_VERSION;
  source: QuerySource;
  /** Components to keep; empty keeps all. */
  components: ComponentId[];
  /** eventTypes to keep; empty keeps all. Values may be template variables. */
  eventTypes: string[];
  /** Entry statuses to keep; empty keeps all. Values may be template variables. */
  statuses: string[];
}

export function getDefaultQuery(): Omit<IotLogsQuery, 'refId'> {
  return {
    schemaVersion: SCHEMA_VERSION,
    source: { type: 'inline', content: '' },
    components: [],
    eventTypes: [],
    statuses: [],
  };
}

/** Data source settings (jsonData). None yet: sources with settings arrive with later work. */
export type IotLogsOptions = DataSourceJsonData;
