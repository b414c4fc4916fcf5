/**
 * What every source kind provides (src/sources/<kind>.ts): defaults, migration, loading and editor; and
 * what loading and the editors need from Grafana. The registry (src/sources/index.ts) is keyed by source
 * type.
 */
import type { ComponentType } from 'react';

import type { RawInput } from '../parsing/decode';
import type { InsightsQuery } from '../cloudwatch/types';
import type { IotLogsQuery, QuerySource, SourceType } from '../types';
import type { SessionStore } from './sessionStore';

/** What loading needs from Grafana; the data source provides it, tests fake it. */
export interface SourceContext {
  /** Fetches a path under the base URL through the data proxy route; rejects with a user-facing message. */
  fetchUrl(path: string): Promise<Uint8Array>;
  /** True when an administrator set a base URL. */
  hasBaseUrl: boolean;
  /** The bundled sample (its text, as shipped). */
  loadSample(): Promise<string>;
  /** Content kept for this browser session by key (large uploads, big pasted text in Explore). */
  sessions: SessionStore;
  /** Replaces template variables in a text (the URL path). */
  interpolate(text: string): string;
  /** End of the query's time range (the sample is moved to end there). */
  rangeTo: number;
}

export interface LoadedInput {
  /** What identifies the input: kind and identity (compared with ===, so big text is never hashed). */
  key: readonly [string, string | number];
  input: () => RawInput;
  /** Something the user should know about the source (session-only upload, damaged stored copy). */
  warning?: string;
}

/** A source that cannot be read: its message is the query's error. */
export class SourceError extends Error {}

/** What the CloudWatch source's editor needs: the settings' choices and the query a query runs as. */
export interface CloudWatchEditorContext {
  /** uid of the CloudWatch data source the settings chose; undefined when none is set. */
  uid?: string;
  /** The region (`default`: the CloudWatch data source's own) and log groups the settings chose. */
  region: string;
  logGroups: string[];
  /**
   * The Logs Insights query a query runs as (written from its filters and output; `intervalMs` is the
   * panel's interval, for time series), or why it cannot run.
   */
  insightsOf(query: IotLogsQuery, intervalMs?: number): InsightsQuery | { error: string };
}

/** What the source editors need from the data source; the data source provides it, tests fake it. */
export interface SourceEditorContext {
  /** The CloudWatch source; absent where the editor has no data source settings (tests, the harness). */
  cloudWatch?: CloudWatchEditorContext;
  /** What a query may store, compressed (an uploaded file over it is kept for the session). */
  maxStoredBytes: number;
  /** The base URL an administrator set, under which the URL source reads files. */
  baseUrl?: string;
  /** Content kept for this browser session by key (large uploads, big pasted text in Explore). */
  sessions: SessionStore;
}

/** The props of every source kind's editor (its input in the query editor). */
export interface SourceEditorProps<S extends QuerySource = QuerySource> {
  refId: string;
  source: S;
  /** The whole query (its filters and output), for sources that run it elsewhere (CloudWatch). */
  query?: IotLogsQuery;
  /** The panel's interval of the last run, when known. */
  intervalMs?: number;
  datasource: SourceEditorContext;
  /** In Explore, whose URL and history hold the query: big content goes to the session store. */
  explore: boolean;
  /**
   * A new source, applied to the query as it is when called (a file takes a while to read). `run` runs
   * the query at once (a paste, an upload); otherwise it runs with Run, Shift+Enter or `onBlur`.
   */
  onChange(source: S, run: boolean): void;
  /** The user emptied the source (its session content is let go). */
  onClear(): void;
  /** A text input lost focus: the query runs if it changed since its last run. */
  onBlur(): void;
}

export interface SourceKind<S extends QuerySource = QuerySource> {
  type: S['type'];
  label: string;
  description: string;
  /** The source as a new query or a switch to this kind gets it. */
  defaults(): S;
  /** A stored source of this type, of any earlier shape, made complete (pure). */
  migrate(stored: Record<string, unknown>): S;
  /** Whether queries of this source show every entry whatever the time range by default (old files). */
  ignoresTimeRange: boolean;
  /** Whether the source has something to read (an empty paste area or no file yet has not). */
  hasInput(source: S): boolean;
  load(source: S, ctx: SourceContext): Promise<LoadedInput>;
}

/** Each kind's input in the query editor (src/sources/editors.ts), by source type. */
export type SourceEditorRegistry = {
  [T in SourceType]: ComponentType<SourceEditorProps<Extract<QuerySource, { type: T }>>>;
};

export type SourceRegistry = { [T in SourceType]: SourceKind<Extract<QuerySource, { type: T }>> };

export const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
