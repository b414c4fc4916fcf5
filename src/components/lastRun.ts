/**
 * What the editor says about the last run, derived from its RunReport (src/query/runReport.ts): whether
 * the query changed since, what the run found, and what the collapsed options say. Pure.
 */
import type { RunOutputSummary, RunReport } from '../query/runReport';
import type { IotLogsQuery } from '../types';
import { formatOptions } from './queryEditorOptions';

/** Every part of the query that changes what a run returns (refId, hide and the data source do not). */
export const RUN_KEYS = [
  'source',
  'format',
  'ignoreTimeRange',
  'components',
  'eventTypes',
  'statuses',
  'logLevels',
  'fieldFilters',
  'topicFilters',
  'search',
  'output',
  'groupBy',
  'metric',
  'metricField',
  'interval',
  'limit',
  'combineTables',
  'behaviourView',
  'thresholds',
] as const satisfies ReadonlyArray<keyof IotLogsQuery>;

/**
 * Structural equality of query values (strings, numbers, booleans, arrays, plain objects). Strings are
 * compared with ===, so pasted content is never copied or serialised; a missing key equals undefined.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((key) => sameValue(x[key], y[key]));
}

/** True when running `query` would not return what the last run returned (or it never ran). */
export function changedSinceRun(query: IotLogsQuery, ran: IotLogsQuery | undefined): boolean {
  return ran === undefined || RUN_KEYS.some((key) => !sameValue(query[key], ran[key]));
}

const n = (v: number) => v.toLocaleString('en-US');
const plural = (count: number, word: string, words = `${word}s`) => `${n(count)} ${count === 1 ? word : words}`;

/** What the output is made of, in the mode's own words: "12 series", "40 rows in 3 tables". */
function returned(output: RunOutputSummary): string {
  switch (output.mode) {
    case 'timeseries':
      return plural(output.frames, 'series', 'series');
    case 'counts':
      return plural(output.rows, 'row');
    case 'sessions':
      return plural(output.rows, 'session');
    case 'findings':
      return plural(output.rows, 'finding');
    case 'behaviour':
      return output.frames === 2 ? plural(output.rows - 2, 'device') : plural(output.frames, 'series', 'series');
    case 'table':
      return `${plural(output.rows, 'row')} in ${plural(output.frames, 'table')}`;
    default:
      return plural(output.rows, 'log line');
  }
}

export interface OutputLine {
  text: string;
  /** True when entries were read but the filters (or the time range) kept none of them. */
  nothingMatched: boolean;
}

/**
 * What the query returned: "1,204 of 10,976 entries matched → 12 series", or plainly that the filters
 * matched nothing, and how many more the time range left out.
 */
export function outputLine(output: RunOutputSummary, outsideTimeRange = 0): OutputLine {
  if (output.parsed === 0) {
    return { text: 'No entries were read, so there is nothing to match.', nothingMatched: false };
  }
  if (output.matched === 0) {
    const total = `0 of ${plural(output.parsed, 'entry', 'entries')}`;
    return {
      text:
        outsideTimeRange > 0
          ? `No entry matched (${total}): ${plural(outsideTimeRange, 'entry', 'entries')} ${outsideTimeRange === 1 ? 'matches' : 'match'} the filters but ${outsideTimeRange === 1 ? 'is' : 'are'} outside the time range.`
          : `No entry matched the filters (${total}): loosen or clear them to see entries.`,
      nothingMatched: true,
    };
  }
  return {
    text: `${n(output.matched)} of ${plural(output.parsed, 'entry', 'entries')} matched → ${returned(output)}`,
    nothingMatched: false,
  };
}

/** The share of the input read so far, as a whole percentage, while the report runs. */
export function progressPercent(report: Pick<RunReport, 'state' | 'progress'>): number | undefined {
  return report.state === 'running' && report.progress !== undefined
    ? Math.max(0, Math.min(100, Math.floor(report.progress * 100)))
    : undefined;
}

/** What the collapsed options row says is set: the format and what happens to the time range. */
export function optionsSummary(query: Pick<IotLogsQuery, 'format' | 'ignoreTimeRange'>): string[] {
  const format = formatOptions.find((o) => o.value === query.format)?.label ?? query.format;
  return [`Format: ${format}`, `Time range: ${query.ignoreTimeRange ? 'ignored' : 'applied'}`];
}
