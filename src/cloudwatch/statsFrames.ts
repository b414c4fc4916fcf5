/**
 * CloudWatch Logs Insights `stats` answers → frames shaped exactly like this plugin's `timeseries` and
 * `counts` outputs on files. The frames themselves are built by the outputs' own builders
 * (timeseriesFrames, countsFrame, rankGroups, groupSeries, otherSeries in src/output), so names, types,
 * labels, display names, meta, notices, bucket coverage, ordering and tie-breaking are the same by
 * construction; this module only reads the answer into groups and values.
 *
 * What the CloudWatch data source returns for `stats count(*) as count by bin(5m), status` with
 * `statsGroups: ['bin(5m)', 'status']` (grafana/grafana-cloudwatch-datasource,
 * pkg/cloudwatch/log_query.go `logsResultsToDataframes` and `groupResults`, log_actions.go
 * `groupResponseFrame`):
 * - one frame of the result rows, fields in the order they first appear; a field whose first value
 *   reads `YYYY-MM-DD HH:mm:ss.SSS` is a time field (`bin(5m)`, named as written in the query), a field
 *   named in statsGroups is a string field (even "8883"), any other field whose first value is numeric
 *   is a number field (`count`), the rest strings; a value a row lacks is null; rows sorted by time;
 *   `meta.custom.Status`;
 * - when the frame has a time field and statsGroups is not empty, it is split into one frame per group,
 *   named by the group's string values concatenated with no separator (so ("ab","c") and ("a","bc")
 *   share a frame), each keeping every field (the time, the group fields, the value), no labels, in
 *   Go map order (unordered). Without a time field (`stats … by eventType`) the one frame stays.
 * - The backend's synchronous path (alerting, expressions) instead drops the non-time group fields and
 *   puts them in the value field's labels. Both shapes are read here: a group field is read from the
 *   frame, else from the labels.
 * So the answer is flattened into rows and regrouped here; the frames' split and order are not trusted.
 *
 * Metrics: `count` is exact. `distinct` per bucket or per group is Logs Insights' count_distinct, which
 * AWS documents as approximate for high-cardinality fields. A timeseries ranks its series by their
 * totals: exact for count; for distinct, the distinct values over the whole span, which per-bucket
 * answers cannot give: pass `totals` (the same stats without bin) to rank as the file path does, or the
 * series are ranked by the sum of their per-bucket values. `other` for distinct adds up the distinct
 * counts of the series it stands for (a notice says so); on files it counts the distinct values of all.
 */
import type { DataFrame, Field, FieldConfig } from '@grafana/data';

import { COMMON_FIELDS, EVENT_TYPES } from '../parsing/schema/registry';
import type { ValueKind } from '../parsing/schema/types';
import { countsFrame, DEFAULT_COUNTS_GROUP_BY, type CountsField } from '../output/counts';
import type { Buckets } from '../output/interval';
import { groupSeries, MAX_SERIES, otherSeries, rankGroups, timeseriesFrames, type Series } from '../output/timeseries';
import type { OutputOptions } from '../output/types';
import {
  addNotice,
  groupByOf,
  labelOf,
  limitOf,
  metricOf,
  OutputError,
  OTHER_NAME,
  plural,
  TABLE_FIELD_DESCRIPTIONS,
} from '../output/values';
import { toNumber } from '../parsing/columns';
import { INSIGHTS_ROW_CAP } from './types';

/** What the frames need to know of a group-by field that the answer cannot say. */
export interface StatsFieldInfo {
  /** No schema knows the field: its kind is read from the answer's values (kindFromAnswer). */
  undocumented?: boolean;
  /** The field's kind in this plugin's tables (CloudWatch sends every group value as a string). */
  kind: ValueKind;
  /** The counts frame's field config (description, unit), as on files. */
  config: FieldConfig;
}

/** How to read a stats answer. */
export interface StatsShape {
  /** The query's statsGroups (InsightsQuery.statsGroups): `bin(…)` first for a timeseries, then the fields. */
  statsGroups: readonly string[];
  /** The buckets the query's bin(…) was planned for (planBuckets): required for `timeseries`. */
  buckets?: Buckets;
  /**
   * The answer's field of each group-by field, in the order of the query's groupBy (counts: of
   * DEFAULT_COUNTS_GROUP_BY when it has none). Default: statsGroups without its `bin(…)`.
   */
  groupFields?: readonly string[];
  /** The answer's value field (`count`). Default: its number field that is neither time nor group. */
  valueField?: string;
  /** Kind and config of a group-by field (by the plugin's name). Default: defaultFieldInfo. */
  describe?: (name: string) => StatsFieldInfo | undefined;
  /** timeseries, distinct: the answer of the same stats without bin(…), to rank the series as on files. */
  totals?: readonly DataFrame[];
  /**
   * timeseries in two steps (the answer holds only the top groups): the same stats without bin(…) over
   * every group, which ranks them and says how many the limit leaves out, and the binned answer of the
   * entries of all the other groups together (`other`).
   */
  ranking?: readonly DataFrame[];
  other?: readonly DataFrame[];
  /**
   * Per group-by field (the plugin's name): its value from the answer's raw value, before it is typed
   * (`component` from an `eventType` group field: componentOfEventType). groupFields may name one answer
   * field twice (groupBy ['component', 'eventType'] from `by eventType`).
   */
  mapValues?: Readonly<Record<string, (raw: unknown) => unknown>>;
}

/**
 * A group-by field's kind and config from the schema registry: the table fields (eventType, component,
 * body strings, timestamp a time), then the first documented attribute of that name. Files take them
 * from the parsed tables instead; they agree but for attributes AWS describes differently per event
 * type (topicName, details: the first description here) and fields no table has (strings on files).
 */
export function defaultFieldInfo(name: string): StatsFieldInfo {
  const table = TABLE_FIELD_DESCRIPTIONS[name];
  if (table !== undefined) {
    return { kind: name === 'timestamp' ? 'time' : 'string', config: { description: table } };
  }
  const documented =
    COMMON_FIELDS.find((f) => f.name === name) ??
    EVENT_TYPES.flatMap((e) => e.fields).find((f) => f.name === name && !f.derived);
  if (!documented) {
    return { kind: 'string', config: {}, undocumented: true };
  }
  return {
    kind: documented.kind === 'object' || documented.kind === 'other' ? 'string' : documented.kind,
    config: documented.unit
      ? { description: documented.description, unit: documented.unit }
      : { description: documented.description },
  };
}

const BIN = /^\s*bin\s*\(/i;

/** A time as CloudWatch sends it: epoch ms, or `YYYY-MM-DD HH:mm:ss.SSS` (UTC) / ISO text. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string') {
    const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
    return Number.isNaN(t) ? undefined : t;
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  return undefined;
}

/** A group value from the answer (a string, or null when the row lacks the field) as the field's kind holds it. */
function typedValue(raw: unknown, kind: ValueKind): unknown {
  if (raw === null || raw === undefined) {
    return kind === 'string' ? labelOf(raw) : null;
  }
  switch (kind) {
    case 'number': {
      if (typeof raw === 'number') {
        return raw;
      }
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : labelOf(raw);
    }
    case 'boolean':
      return raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : labelOf(raw);
    case 'time':
      return timeOf(raw) ?? labelOf(raw);
    default:
      return labelOf(raw);
  }
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

interface AnswerRow {
  time?: number;
  /** The raw group values, one per group field. */
  groups: unknown[];
  value: number;
}

/** Every row of an answer (all its frames), with its time (when `time` is set), group values and value. */
function readAnswer(
  frames: readonly DataFrame[],
  groupFields: readonly string[],
  time: string | true | undefined,
  valueField: string | undefined
): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const frame of frames) {
    const fields = frame.fields ?? [];
    const timeField =
      time === undefined
        ? undefined
        : (fields.find((f) => f.name === time) ??
          fields.find((f) => f.type === 'time' && !groupFields.includes(f.name)));
    const groupOf = groupFields.map((name) => fields.find((f) => f.name === name));
    const isOther = (f: Field) => f !== timeField && !groupFields.includes(f.name);
    const value =
      valueField !== undefined
        ? fields.find((f) => f.name === valueField)
        : (fields.find((f) => isOther(f) && f.type === 'number') ??
          fields.find(
            (f) => isOther(f) && f.type !== 'time' && f.values.length > 0 && numberOf(f.values[0]) !== undefined
          ));
    if (!value || (time !== undefined && !timeField)) {
      continue;
    }
    const labels = value.labels ?? fields.find((f) => f.labels)?.labels;
    const n = typeof frame.length === 'number' ? frame.length : value.values.length;
    for (let i = 0; i < n; i++) {
      const v = numberOf(value.values[i]);
      if (v === undefined) {
        continue;
      }
      let t: number | undefined;
      if (timeField) {
        t = timeOf(timeField.values[i]);
        if (t === undefined) {
          continue;
        }
      }
      const groups = groupFields.map((name, gi) => {
        const field = groupOf[gi];
        return field ? field.values[i] : labels?.[name];
      });
      rows.push({ time: t, groups, value: v });
    }
  }
  return rows;
}

/** Rows grouped by their typed group values: the groups (first-seen order) and each row's group. */
function groupAnswer(
  rows: readonly AnswerRow[],
  kinds: readonly ValueKind[],
  mappers: ReadonlyArray<((raw: unknown) => unknown) | undefined> = []
) {
  const typed = (raw: unknown, gi: number) => typedValue(mappers[gi] ? mappers[gi](raw) : raw, kinds[gi]);
  const index = new Map<string, number>();
  const groups: unknown[][] = [];
  const rowGroup = rows.map((row) => {
    const values = row.groups.map(typed);
    const key = JSON.stringify(values);
    let g = index.get(key);
    if (g === undefined) {
      g = groups.length;
      index.set(key, g);
      groups.push(values);
    }
    return g;
  });
  return {
    groups,
    rowGroup,
    index,
    keyOf: (raw: unknown[]) => JSON.stringify(raw.map(typed)),
  };
}

function capNotice(frame: DataFrame | undefined, rows: number): void {
  if (frame && rows >= INSIGHTS_ROW_CAP) {
    addNotice(
      frame,
      `Logs Insights returns at most ${INSIGHTS_ROW_CAP.toLocaleString('en-US')} rows and this answer has ` +
        `${rows.toLocaleString('en-US')}: some intervals or groups may be missing. Use a longer interval, a ` +
        'shorter time range or fewer group-by fields.',
      'warning'
    );
  }
}

/** The group fields of the answer, one per output group-by field. */
function answerGroupFields(shape: StatsShape, names: readonly string[]): string[] {
  const fields = shape.groupFields ?? shape.statsGroups.filter((g) => !BIN.test(g)).map((g) => g.trim());
  if (fields.length !== names.length) {
    throw new OutputError(
      `The stats query groups by ${fields.length ? fields.join(', ') : 'nothing'} but the query's group-by is ` +
        `${names.length ? names.join(', ') : 'empty'}: the answer cannot be shaped.`
    );
  }
  return [...fields];
}

/**
 * A stats answer (the frames of one query) as the frames of the query's output (`timeseries` or
 * `counts`), shaped like the output on files. Throws OutputError for options that cannot work (as the
 * outputs do) and when the shape does not fit the options.
 */
export function statsFrames(answer: readonly DataFrame[], options: OutputOptions, shape: StatsShape): DataFrame[] {
  if (options.output === 'counts') {
    return countsFromStats(answer, options, shape);
  }
  if (options.output === 'timeseries') {
    return timeseriesFromStats(answer, options, shape);
  }
  throw new OutputError(`The ${String(options.output)} output cannot be computed from a Logs Insights stats answer.`);
}

function infoOf(shape: StatsShape, name: string): StatsFieldInfo {
  return shape.describe?.(name) ?? defaultFieldInfo(name);
}

/**
 * An undocumented field's kind from the answer (CloudWatch sends every group value as text): a number
 * when every value is a number written as JSON writes it (`42`, `-1.5`; not `"002"`), as a file's column
 * of JSON numbers is; otherwise a string.
 */
function kindFromAnswer(info: StatsFieldInfo, values: readonly unknown[]): StatsFieldInfo {
  if (!info.undocumented) {
    return info;
  }
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  const numbers =
    present.length > 0 &&
    present.every((v) => {
      const n = toNumber(v);
      return n !== null && String(n) === String(v).trim();
    });
  return numbers ? { ...info, kind: 'number' } : info;
}

function countsFromStats(answer: readonly DataFrame[], options: OutputOptions, shape: StatsShape): DataFrame[] {
  const metric = metricOf(options);
  const groupBy = groupByOf(options.groupBy);
  const names = groupBy.length > 0 ? groupBy : [...DEFAULT_COUNTS_GROUP_BY];
  const limit = limitOf(options.limit);
  const rows = readAnswer(answer, answerGroupFields(shape, names), undefined, shape.valueField);
  const fields: CountsField[] = names.map((name, gi) => ({
    name,
    ...kindFromAnswer(
      infoOf(shape, name),
      rows.map((r) => r.groups[gi])
    ),
  }));
  const { groups, rowGroup } = groupAnswer(
    rows,
    fields.map((f) => f.kind),
    names.map((name) => shape.mapValues?.[name])
  );
  const counts = new Float64Array(groups.length);
  rows.forEach((row, i) => {
    counts[rowGroup[i]] += row.value;
  });
  const frame = countsFrame(fields, groups, counts, metric, limit, options.refId);
  capNotice(frame, rows.length);
  return [frame];
}

function timeseriesFromStats(answer: readonly DataFrame[], options: OutputOptions, shape: StatsShape): DataFrame[] {
  const metric = metricOf(options);
  const groupBy = groupByOf(options.groupBy);
  const limit = limitOf(options.limit, MAX_SERIES);
  const buckets = shape.buckets;
  if (!buckets) {
    throw new OutputError(
      'A timeseries from a Logs Insights stats answer needs the buckets its bin(…) was planned for.'
    );
  }
  const bin = shape.statsGroups.find((g) => BIN.test(g))?.trim();
  const answerFields = answerGroupFields(shape, groupBy);
  const rows = readAnswer(answer, answerFields, bin ?? true, shape.valueField);
  const nb = buckets.count;
  let outside = 0;
  const bucketOf = (t: number): number => {
    const b = Math.floor((t - buckets.start) / buckets.interval);
    if (b < 0 || b >= nb) {
      outside++;
      return -1;
    }
    return b;
  };

  let series: Series[];
  let left = 0;
  const rankRows = shape.ranking ? readAnswer(shape.ranking, answerFields, undefined, shape.valueField) : undefined;
  const seriesFields = groupBy.map((name, gi) => ({
    name,
    kind: kindFromAnswer(
      infoOf(shape, name),
      (rankRows ?? rows).map((r) => r.groups[gi])
    ).kind,
  }));
  if (rankRows && groupBy.length > 0) {
    // Two steps: the ranking holds every group; the answer, the top ones; `other`, the rest together.
    const ranked = groupAnswer(
      rankRows,
      seriesFields.map((f) => f.kind),
      groupBy.map((name) => shape.mapValues?.[name])
    );
    const totals = new Float64Array(ranked.groups.length);
    rankRows.forEach((row, i) => {
      totals[ranked.rowGroup[i]] += row.value;
    });
    const order = rankGroups(ranked.groups, totals);
    const shown = Math.min(limit, ranked.groups.length);
    const slot = new Map(order.slice(0, shown).map((g, k) => [g, k]));
    const values = order.slice(0, shown).map(() => new Float64Array(nb));
    for (const row of rows) {
      const k = slot.get(ranked.index.get(ranked.keyOf(row.groups)) ?? -1);
      const b = k === undefined ? -1 : bucketOf(row.time!);
      if (k !== undefined && b >= 0) {
        values[k][b] += row.value;
      }
    }
    series = order
      .slice(0, shown)
      .map((g, k) => ({ ...groupSeries(seriesFields, ranked.groups[g]), values: values[k] }));
    left = ranked.groups.length - shown;
    if (left > 0) {
      const other = new Float64Array(nb);
      for (const row of shape.other ? readAnswer(shape.other, [], bin ?? true, shape.valueField) : []) {
        const b = bucketOf(row.time!);
        if (b >= 0) {
          other[b] += row.value;
        }
      }
      series.push({ ...otherSeries(seriesFields), values: other });
    }
  } else if (groupBy.length === 0 || rows.length === 0) {
    const values = new Float64Array(nb);
    for (const row of rows) {
      const b = bucketOf(row.time!);
      if (b >= 0) {
        values[b] += row.value;
      }
    }
    series = [{ name: metric.name, values }];
  } else {
    const { groups, rowGroup, index, keyOf } = groupAnswer(
      rows,
      seriesFields.map((f) => f.kind),
      groupBy.map((name) => shape.mapValues?.[name])
    );
    const values = groups.map(() => new Float64Array(nb));
    const sums = new Float64Array(groups.length);
    rows.forEach((row, i) => {
      const g = rowGroup[i];
      sums[g] += row.value;
      const b = bucketOf(row.time!);
      if (b >= 0) {
        values[g][b] += row.value;
      }
    });
    let totals: ArrayLike<number> = sums;
    if (metric.field !== undefined && shape.totals) {
      const exact = new Float64Array(groups.length);
      for (const row of readAnswer(shape.totals, answerFields, undefined, shape.valueField)) {
        const g = index.get(keyOf(row.groups));
        if (g !== undefined) {
          exact[g] += row.value;
        }
      }
      totals = exact;
    }
    const order = rankGroups(groups, totals);
    const shown = Math.min(limit, groups.length);
    series = order.slice(0, shown).map((g) => ({ ...groupSeries(seriesFields, groups[g]), values: values[g] }));
    left = groups.length - shown;
    if (left > 0) {
      const other = new Float64Array(nb);
      for (const g of order.slice(shown)) {
        for (let b = 0; b < nb; b++) {
          other[b] += values[g][b];
        }
      }
      series.push({ ...otherSeries(seriesFields), values: other });
    }
  }

  const frames = timeseriesFrames(series, buckets, metric.name, options.refId, left, limit);
  if (left > 0 && metric.field !== undefined && !shape.other) {
    addNotice(
      frames[0],
      `"${OTHER_NAME}" adds up the distinct ${metric.field} values of the series it stands for, per interval ` +
        '(a value in several of them counts once in each).'
    );
  }
  if (outside > 0) {
    addNotice(
      frames[0],
      `${plural(outside, 'row')} of the Logs Insights answer fell outside the planned intervals and ${outside === 1 ? 'is' : 'are'} not shown.`,
      'warning'
    );
  }
  capNotice(frames[0], rows.length);
  return frames;
}

/**
 * The groups of a ranking answer (stats without bin(…) over every group) in the order the timeseries
 * output ranks them on files, with their values as Logs Insights answered them (for groupsCondition),
 * and how many there are in all.
 */
export function rankedGroups(
  ranking: readonly DataFrame[],
  options: OutputOptions,
  shape: StatsShape
): { top: unknown[][]; count: number } {
  const groupBy = groupByOf(options.groupBy);
  const limit = limitOf(options.limit, MAX_SERIES);
  const rows = readAnswer(ranking, answerGroupFields(shape, groupBy), undefined, shape.valueField);
  const kinds = groupBy.map(
    (name, gi) =>
      kindFromAnswer(
        infoOf(shape, name),
        rows.map((r) => r.groups[gi])
      ).kind
  );
  const ranked = groupAnswer(
    rows,
    kinds,
    groupBy.map((name) => shape.mapValues?.[name])
  );
  const totals = new Float64Array(ranked.groups.length);
  const raw: unknown[][] = [];
  rows.forEach((row, i) => {
    const g = ranked.rowGroup[i];
    totals[g] += row.value;
    raw[g] ??= row.groups;
  });
  const order = rankGroups(ranked.groups, totals);
  return { top: order.slice(0, limit).map((g) => raw[g]), count: ranked.groups.length };
}
