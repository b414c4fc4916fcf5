/**
 * Template variables in a query's values. Every text value of a query may hold variables; a
 * multi-value variable means "any of its values": a filter value `$client` with three clients selected
 * gives three values. Regular expression values use Grafana's `regex` format (`(a|b)`, escaped), so a
 * multi-value variable inside a pattern matches any of its values. `${var:format}` forms are Grafana's.
 */
import type { ScopedVars } from '@grafana/data';

import { toBoolean, toNumber } from '../parsing/columns';
import { parseTimeValue, timeText, type RowFilter } from './filter';
import type { FieldFilter, FilterOperator, IotLogsQuery } from '../types';

/** Grafana's TemplateSrv.replace, as far as this plugin uses it. */
export type Replace = (
  text: string,
  scopedVars?: ScopedVars,
  format?: string | ((value: string | string[]) => string)
) => string;

/** Marks where a multi-value variable's values go while the rest of the text is interpolated. */
const SLOT = '\u0000slot\u0000';

/**
 * The values a text stands for: itself without variables; otherwise its interpolation, once per value
 * of a multi-value variable in it (the first such variable; others are joined with commas).
 */
export function interpolateValues(
  text: string,
  replace: Replace,
  scopedVars?: ScopedVars,
  op?: FilterOperator
): string[] {
  if (!text.includes('$') && !text.includes('[[')) {
    return [text];
  }
  if (op === '=~' || op === '!~') {
    return [replace(text, scopedVars, 'regex')];
  }
  let multi: string[] | undefined;
  const out = replace(text, scopedVars, (value) => {
    if (Array.isArray(value)) {
      if (multi === undefined) {
        multi = value.map(String);
        return SLOT;
      }
      return value.join(',');
    }
    return String(value);
  });
  if (multi === undefined) {
    return [out];
  }
  // split/join, not replace: a value's `$&` or `$$` is text, not a replacement pattern.
  const parts = out.split(SLOT);
  return multi.map((value) => parts.join(value));
}

/** Each value of a list interpolated, multi-value variables expanded, empty values dropped. */
export function interpolateList(values: readonly string[], replace: Replace, scopedVars?: ScopedVars): string[] {
  return values.flatMap((v) => interpolateValues(v, replace, scopedVars)).filter((v) => v !== '');
}

/** The query's filters with variables interpolated, and the time range unless the query ignores it. */
export function rowFilterOf(
  query: IotLogsQuery,
  replace: Replace,
  scopedVars: ScopedVars | undefined,
  range: { from: number; to: number }
): RowFilter {
  return {
    components: interpolateList(query.components, replace, scopedVars),
    eventTypes: interpolateList(query.eventTypes, replace, scopedVars),
    statuses: interpolateList(query.statuses, replace, scopedVars),
    logLevels: interpolateList(query.logLevels, replace, scopedVars),
    fieldFilters: query.fieldFilters.map((f) => ({
      field: interpolateValues(f.field, replace, scopedVars)[0],
      op: f.op,
      values: f.value === undefined ? [] : interpolateValues(f.value, replace, scopedVars, f.op),
    })),
    topicFilters: interpolateList(query.topicFilters, replace, scopedVars),
    search: query.search === '' ? '' : interpolateValues(query.search, replace, scopedVars),
    ...(query.ignoreTimeRange ? {} : { timeRange: { from: range.from, to: range.to } }),
  };
}

/** The query with its output options' variables interpolated (group-by fields, metric field, interval). */
export function interpolateOutput(query: IotLogsQuery, replace: Replace, scopedVars?: ScopedVars): IotLogsQuery {
  return {
    ...query,
    groupBy: interpolateList(query.groupBy, replace, scopedVars),
    ...(query.metricField ? { metricField: replace(query.metricField, scopedVars) } : {}),
    ...(query.interval ? { interval: replace(query.interval, scopedVars) } : {}),
  };
}

/** The text as a regular expression matching it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The texts a value may equal a row's value as: itself, and as filters compare numbers, booleans and
 * times (`13490.0` equals the number 13490, whose text is `13490`; a time equals its AWS text).
 */
function equalTexts(value: string): string[] {
  const texts = [value];
  const number = toNumber(value);
  if (number !== null) {
    texts.push(String(number));
  }
  const bool = toBoolean(value);
  if (bool !== null) {
    texts.push(String(bool));
  }
  const time = parseTimeValue(value);
  if (time !== undefined) {
    texts.push(timeText(time));
  }
  return texts;
}

/**
 * Several values of one field filter (a multi-value variable, a multi-value ad hoc filter) as one
 * filter meaning what the run does with them: `=` any of / `!=` none of as an anchored alternation of
 * each value's texts (`=~ ^(?:a|b)$`, `!~`), so numbers, booleans and times still match by value;
 * comparisons keep the loosest bound (the smallest for `>`/`>=`, the largest for `<`/`<=`), numbers
 * read as epoch ms where times are mixed in. Limitations: on a text field, `=` with `5.0` among several
 * values also keeps `5`; a list mixing numbers and dates compared with a number field.
 */
export function oneFieldFilter(field: string, op: FilterOperator, given: readonly string[]): FieldFilter {
  // Empty values filter nothing, as in the run (a variable with nothing selected).
  const comparison = op === '>' || op === '>=' || op === '<' || op === '<=';
  const values = given.filter((v) => (comparison ? v.trim() !== '' : v !== ''));
  if (values.length <= 1) {
    return { field, op, value: values[0] ?? '' };
  }
  if (op === '=' || op === '!=') {
    const texts = [...new Set(values.flatMap(equalTexts))];
    return { field, op: op === '=' ? '=~' : '!~', value: `^(?:${texts.map(escapeRegex).join('|')})$` };
  }
  if (op === '>' || op === '>=' || op === '<' || op === '<=') {
    const after = op === '>' || op === '>=';
    const bound = (parse: (v: string) => number | null | undefined) => {
      const parsed = values
        .map((v) => ({ v, at: parse(v) }))
        .filter((p): p is { v: string; at: number } => p.at != null);
      if (parsed.length === 0) {
        return undefined;
      }
      return parsed.reduce((best, p) => ((after ? p.at < best.at : p.at > best.at) ? p : best)).v;
    };
    // Times and numbers alike (a number is also epoch ms), as comparisons on time fields read them.
    return { field, op, value: bound(parseTimeValue) ?? values[0] };
  }
  return { field, op, value: values[0] };
}

/** A field filter with its value interpolated, as one filter (several values: oneFieldFilter). */
function interpolateFieldFilter(filter: FieldFilter, replace: Replace, scopedVars?: ScopedVars): FieldFilter {
  const field = interpolateValues(filter.field, replace, scopedVars)[0];
  if (filter.value === undefined) {
    return { ...filter, field };
  }
  return oneFieldFilter(field, filter.op, interpolateValues(filter.value, replace, scopedVars, filter.op));
}

/**
 * The query with every value's variables replaced, as one query that means what running it means
 * (Grafana's "Explore" from a panel, the query inspector, expressions): lists get each value of a
 * multi-value variable, field filters one filter each (see interpolateFieldFilter), the free text and
 * the URL path their interpolation, and the dashboard's ad hoc filters become field filters.
 */
export function interpolateQuery(
  query: IotLogsQuery,
  replace: Replace,
  scopedVars?: ScopedVars,
  adhoc: readonly FieldFilter[] = []
): IotLogsQuery {
  const search =
    query.search === '' ? [] : interpolateValues(query.search, replace, scopedVars).filter((t) => t !== '');
  // Several texts (a multi-value variable) are not one search: they become a case-insensitive
  // alternation on the entry as written, which is what the search means.
  const searchFilter: FieldFilter[] =
    search.length > 1 ? [{ field: 'body', op: '=~', value: `(?i)(?:${search.map(escapeRegex).join('|')})` }] : [];
  return {
    ...interpolateOutput(query, replace, scopedVars),
    source:
      query.source.type === 'url' ? { ...query.source, path: replace(query.source.path, scopedVars) } : query.source,
    components: interpolateList(query.components, replace, scopedVars) as IotLogsQuery['components'],
    eventTypes: interpolateList(query.eventTypes, replace, scopedVars),
    statuses: interpolateList(query.statuses, replace, scopedVars),
    logLevels: interpolateList(query.logLevels, replace, scopedVars),
    fieldFilters: [
      ...query.fieldFilters.map((f) => interpolateFieldFilter(f, replace, scopedVars)),
      ...searchFilter,
      ...adhoc,
    ],
    topicFilters: interpolateList(query.topicFilters, replace, scopedVars),
    search: search.length === 1 ? search[0] : '',
  };
}
