/**
 * The `timeseries` output: entries (or distinct values of a field) per interval, for Grafana's time
 * series, stat, bar chart and alerting panels. Frames follow the dataplane time series contract, multi
 * format (`timeseries-multi` 0.1): one frame per series, a `time` field and one number field whose
 * `labels` say which group it counts.
 *
 * Defaults: `{ output: 'timeseries' }` alone gives one series, `count`, of all the selected entries per
 * interval. Decisions:
 * - Buckets and interval: see planBuckets (interval.ts). Every bucket is present, empty ones 0, so a
 *   stat or alert reading the last value sees 0, not "no data"; with no selection at all the result is
 *   one all-zero series over the range.
 * - groupBy: one series per combination of the fields' values that occurs; entries that lack a field
 *   count under `(none)` (NONE_LABEL). A field no table has is legal: everything is `(none)`.
 * - limit (default 10, at most MAX_SERIES): the series with the largest totals are kept; when there are
 *   more, the rest are summed into one series `other` (labels `(other)`), drawn last. A series' total is
 *   its number of entries (count), or the number of distinct values of the field over the whole span
 *   (distinct). Ties go to the smaller group values (compareGroupValues).
 * - distinct: the number of distinct values of `metricField` per bucket; entries without the field are
 *   not counted. `other` counts the distinct values across all the series it stands for, per bucket.
 * - Names: the value field is named after the metric (`count`, `distinct clientId`); its display name
 *   (config.displayNameFromDS, also the frame's name) is the group's values joined by spaces
 *   (`Connect Failure`), or the metric's name without groupBy.
 */
import type { DataFrame, DataFrameType, FieldType, Labels } from '@grafana/data';

import type { ValueKind } from '../parsing/schema/types';

import {
  codeField,
  compareGroupValues,
  countPerGroup,
  distinctPerGroup,
  groupRows,
  type FieldCodes,
  type Grouping,
} from './groups';
import { formatInterval, parseInterval, planBuckets, MAX_BUCKETS, type Buckets } from './interval';
import { selectionLength, type OutputOptions, type OutputRange, type Selection } from './types';
import {
  addNotice,
  groupByOf,
  labelOf,
  limitOf,
  metricOf,
  nameOf,
  nonEmpty,
  OTHER_LABEL,
  OTHER_NAME,
  plural,
  timeSpan,
} from './values';

/** Most series `limit` may ask for (besides `other`): each is a frame of up to MAX_BUCKETS points. */
export const MAX_SERIES = 1_000;

/** One series: its name (the frame's and the value field's display name), labels and a value per bucket. */
export interface Series {
  name: string;
  labels?: Labels;
  values: ArrayLike<number>;
}

export function timeseriesOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  range: OutputRange
): DataFrame[] {
  const metric = metricOf(options);
  const fixed =
    typeof options.interval === 'string' && options.interval.trim() !== ''
      ? parseInterval(options.interval)
      : undefined;
  const groupBy = groupByOf(options.groupBy);
  const limit = limitOf(options.limit, MAX_SERIES);

  const kept = nonEmpty(selections);
  const buckets = planBuckets(range, timeSpan(kept), fixed);
  const grouping = groupBy.length > 0 && kept.length > 0 ? groupRows(kept, groupBy) : undefined;
  const field = metric.field !== undefined ? codeField(kept, metric.field, 'skip') : undefined;

  const { series, left } =
    grouping && grouping.groups.length > 0
      ? splitSeries(kept, grouping, field, buckets, limit)
      : { series: [{ name: metric.name, values: bucketize(kept, undefined, undefined, 1, field, buckets) }], left: 0 };

  return timeseriesFrames(series, buckets, metric.name, options.refId, left, limit);
}

/**
 * The frames of series over buckets, with the notices of a raised interval and of the series left in
 * `other`: the one place the output's frames are shaped, shared with the CloudWatch stats shaping.
 */
export function timeseriesFrames(
  series: readonly Series[],
  buckets: Buckets,
  metricName: string,
  refId: string,
  left: number,
  limit: number
): DataFrame[] {
  const time = new Array<number>(buckets.count);
  for (let k = 0; k < buckets.count; k++) {
    time[k] = buckets.start + k * buckets.interval;
  }
  const frames = series.map((s): DataFrame => {
    const values = Array.from(s.values);
    return {
      name: s.name,
      refId,
      fields: [
        { name: 'time', type: 'time' as FieldType, config: { interval: buckets.interval }, values: time },
        {
          name: metricName,
          type: 'number' as FieldType,
          config: { displayNameFromDS: s.name },
          ...(s.labels ? { labels: s.labels } : {}),
          values,
        },
      ],
      length: buckets.count,
      meta: { type: 'timeseries-multi' as DataFrameType, typeVersion: [0, 1] },
    };
  });
  if (buckets.raisedFrom !== undefined) {
    addNotice(
      frames[0],
      `The interval ${formatInterval(buckets.raisedFrom)} would give more than ${MAX_BUCKETS.toLocaleString('en-US')} ` +
        `points over this time span: raised to ${formatInterval(buckets.interval)}.`
    );
  }
  if (left > 0) {
    addNotice(
      frames[0],
      `${plural(left, 'series', 'series')} beyond the ${limit} largest ${left === 1 ? 'is' : 'are'} shown as "${OTHER_NAME}" ` +
        `(raise the limit to see ${left === 1 ? 'it' : 'them'}).`
    );
  }
  return frames;
}

/** The series of a grouping: the `limit` largest, then `other` for the rest; `left`: groups in `other`. */
function splitSeries(
  selections: readonly Selection[],
  grouping: Grouping,
  field: FieldCodes | undefined,
  buckets: Buckets,
  limit: number
): { series: Series[]; left: number } {
  const groups = grouping.groups.length;
  const totals = field ? distinctPerGroup(grouping.codes, groups, field) : countPerGroup(grouping.codes, groups);
  const order = rankGroups(grouping.groups, totals);

  const shown = Math.min(limit, groups);
  const outputs = groups > limit ? limit + 1 : groups;
  const remap = new Int32Array(groups).fill(limit);
  for (let i = 0; i < shown; i++) {
    remap[order[i]] = i;
  }
  const all = bucketize(selections, grouping.codes, remap, outputs, field, buckets);

  const series: Series[] = [];
  for (let i = 0; i < outputs; i++) {
    const values = all.subarray(i * buckets.count, (i + 1) * buckets.count);
    series.push(
      i === limit
        ? { ...otherSeries(grouping.fields), values }
        : { ...groupSeries(grouping.fields, grouping.groups[order[i]]), values }
    );
  }
  return { series, left: groups - shown };
}

/**
 * The groups' indices in series order: the largest total first, ties to the smaller group values
 * (compareGroupValues). Shared with the CloudWatch stats shaping (src/cloudwatch/statsFrames.ts).
 */
export function rankGroups(groups: ReadonlyArray<readonly unknown[]>, totals: ArrayLike<number>): number[] {
  const order = Array.from({ length: groups.length }, (_, g) => g);
  order.sort((a, b) => totals[b] - totals[a] || compareGroupValues(groups[a], groups[b]));
  return order;
}

/** A group-by field as series names and labels need it. */
export interface SeriesField {
  name: string;
  kind: ValueKind;
}

/** A group's series name (its values joined by spaces) and labels (one per group-by field). */
export function groupSeries(
  fields: readonly SeriesField[],
  group: readonly unknown[]
): { name: string; labels: Labels } {
  const labels: Labels = {};
  const names: string[] = [];
  fields.forEach((f, fi) => {
    const value = group[fi];
    labels[f.name] = f.kind === 'time' && typeof value === 'number' ? nameOf(value, 'time') : labelOf(value);
    names.push(nameOf(value, f.kind));
  });
  return { name: names.join(' '), labels };
}

/** The `other` series' name and labels. */
export function otherSeries(fields: readonly SeriesField[]): { name: string; labels: Labels } {
  const labels: Labels = {};
  for (const f of fields) {
    labels[f.name] = OTHER_LABEL;
  }
  return { name: OTHER_NAME, labels };
}

/** Most (series, value) pairs distinctBuckets stamps in an array (16 MB); more use a Set of the cells seen. */
const STAMP_LIMIT = 2 ** 22;

/**
 * The metric per bucket of `outputs` series, series after series in one array: entries, or distinct
 * codes of `field` (distinct). A row's series is remap[its group] (all rows in series 0 without groups).
 * Rows outside the buckets (none, since the buckets cover the data) are skipped.
 */
function bucketize(
  selections: readonly Selection[],
  groupCodes: Int32Array[] | undefined,
  remap: Int32Array | undefined,
  outputs: number,
  field: FieldCodes | undefined,
  buckets: Buckets
): Float64Array {
  if (field) {
    return distinctBuckets(selections, groupCodes, remap, outputs, field, buckets);
  }
  const nb = buckets.count;
  const out = new Float64Array(outputs * nb);
  const { start, interval } = buckets;
  selections.forEach((s, si) => {
    const n = selectionLength(s);
    const time = s.table.time;
    const rows = s.rows;
    const codes = groupCodes?.[si];
    for (let i = 0; i < n; i++) {
      const b = Math.floor((time[rows ? rows[i] : i] - start) / interval);
      if (b >= 0 && b < nb) {
        out[(codes && remap ? remap[codes[i]] : 0) * nb + b]++;
      }
    }
  });
  return out;
}

/**
 * Distinct values per bucket and series. The buckets are walked in time order across all the
 * selections at once (each selection is in time order), so that a (series, value) pair needs only the
 * last bucket it was counted in: one Int32Array stamp per pair, no set of the cells seen, unless there
 * are more than `stampLimit` pairs. Exported for its test.
 */
export function distinctBuckets(
  selections: readonly Selection[],
  groupCodes: Int32Array[] | undefined,
  remap: Int32Array | undefined,
  outputs: number,
  field: FieldCodes,
  buckets: Buckets,
  stampLimit = STAMP_LIMIT
): Float64Array {
  const nb = buckets.count;
  const out = new Float64Array(outputs * nb);
  const { start, interval } = buckets;
  const distinct = Math.max(1, field.values.length);
  const stamps = outputs * distinct <= stampLimit ? new Int32Array(outputs * distinct).fill(-1) : undefined;
  // Without stamps: the cell (series × buckets + bucket) × values + value, < 1,001 × 10,000 × rows: exact.
  const seen = stamps ? undefined : new Set<number>();
  const next = new Int32Array(selections.length);
  for (let b = 0; b < nb; b++) {
    const end = start + (b + 1) * interval;
    selections.forEach((s, si) => {
      const n = selectionLength(s);
      const time = s.table.time;
      const rows = s.rows;
      const codes = groupCodes?.[si];
      const values = field.codes[si];
      let i = next[si];
      for (; i < n && time[rows ? rows[i] : i] < end; i++) {
        const v = values[i];
        if (v < 0) {
          continue;
        }
        const series = codes && remap ? remap[codes[i]] : 0;
        if (stamps) {
          const pair = series * distinct + v;
          if (stamps[pair] !== b) {
            stamps[pair] = b;
            out[series * nb + b]++;
          }
        } else {
          const key = (series * nb + b) * distinct + v;
          if (!seen!.has(key)) {
            seen!.add(key);
            out[series * nb + b]++;
          }
        }
      }
      next[si] = i;
    });
  }
  return out;
}
