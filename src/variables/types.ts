/**
 * What variables and ad hoc filters need from the data source: its cached parse of a query's source and
 * Grafana's template variable replacement. The DataSource class has both (`parse`, `replace`); tests fake
 * them. Nothing here imports the DataSource at run time (it imports these modules: no import cycle).
 */
import type { DataSourceApi, ScopedVars } from '@grafana/data';

import type { TableResult } from '../parsing';
import type { Replace } from '../query/interpolate';
import type { SourceEditorContext } from '../sources';
import type { IotLogsOptions, IotLogsQuery } from '../types';

export interface ParseOptions {
  /** End of the time range (epoch ms): where the sample ends. */
  rangeTo?: number;
  scopedVars?: ScopedVars;
  signal?: AbortSignal;
}

export interface DataReader {
  /** The parse of a query's source, loaded and parsed once and cached; rejects with SourceError. */
  parse(query: Pick<IotLogsQuery, 'source' | 'format'>, options?: ParseOptions): Promise<TableResult>;
  /** Grafana's TemplateSrv.replace. */
  readonly replace: Replace;
}

/**
 * The data source as Grafana hands it to the variable editor: its API, its parse, and what the source
 * editors need (storage cap, base URL, session store). The DataSource class is one.
 */
export type VariableDataSource = DataSourceApi<IotLogsQuery, IotLogsOptions> & DataReader & SourceEditorContext;
