/**
 * What every output mode receives: the rows a query kept (after its filters and time range) of each
 * parsed table, and the query's output options. Each mode is a pure function of these to Grafana
 * frames; src/query memoises its result per (parse, filter, mode).
 */
import type { DataFrame } from '@grafana/data';

import type { EventTable } from '../parsing/table';
import type { IotLogsQuery } from '../types';

/** The rows of one table a query kept: indices into the table, ascending (so in time order). */
export interface Selection {
  readonly table: EventTable;
  /** Row indices, ascending; undefined keeps every row. Never written after it is made. */
  readonly rows?: Int32Array;
}

/** The time range and interval of the request (epoch ms). */
export interface OutputRange {
  from: number;
  to: number;
  /** Grafana's suggested interval for the panel (request.intervalMs). */
  intervalMs?: number;
  /** Grafana's most points for the panel (request.maxDataPoints). */
  maxDataPoints?: number;
}

/** The query's output options; each mode has defaults for what is absent (`{ output: 'timeseries' }` alone works). */
export type OutputOptions = Pick<IotLogsQuery, 'refId' | 'output'> &
  Partial<
    Pick<
      IotLogsQuery,
      | 'groupBy'
      | 'metric'
      | 'metricField'
      | 'interval'
      | 'limit'
      | 'combineTables'
      | 'eventTypes'
      | 'behaviourView'
      | 'thresholds'
    >
  >;

export type OutputFn = (selections: readonly Selection[], options: OutputOptions, range: OutputRange) => DataFrame[];

/** Rows of a selection. */
export function selectionLength(s: Selection): number {
  return s.rows ? s.rows.length : s.table.length;
}

/** The table row of the selection's i-th row. */
export function rowAt(s: Selection, i: number): number {
  return s.rows ? s.rows[i] : i;
}
