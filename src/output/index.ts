/** The output modes, keyed by the query's `output`: the one place that lists them. */
import type { OutputMode } from '../types';
import { behaviourOutput, behaviourSeries } from './behaviour';
import { countsOutput } from './counts';
import { findingsOutput } from './findings';
import { logsOutput } from './logs';
import { sessionsOutput } from './sessions';
import { tableOutput } from './table';
import { timeseriesOutput } from './timeseries';
import type { OutputFn } from './types';

export const OUTPUTS: Record<OutputMode, OutputFn> = {
  logs: logsOutput,
  table: tableOutput,
  timeseries: timeseriesOutput,
  counts: countsOutput,
  sessions: sessionsOutput,
  behaviour: (selections, options, range) =>
    options.behaviourView === 'series'
      ? behaviourSeries(selections, options, range)
      : behaviourOutput(selections, options, range),
  findings: findingsOutput,
};

/** Modes whose frames depend on the request's time range and interval besides the rows they are given. */
export const RANGE_DEPENDENT: ReadonlySet<OutputMode> = new Set(['timeseries', 'sessions', 'behaviour', 'findings']);

export { OutputError } from './values';
export type { OutputFn, OutputOptions, OutputRange, Selection } from './types';
