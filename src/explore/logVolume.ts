/**
 * Explore's log volume: the histogram of entries by level above the log lines, as a supplementary
 * query (DataSourceWithSupplementaryQueriesSupport).
 *
 * HOW EXPLORE USES IT (Grafana 13, public/app/features/explore/utils/supplementaryQueries.ts and
 * public/app/features/logs/logsModel.ts): Explore asks getSupplementaryRequest for a request made from
 * the logs request, runs it through the data source's query(), and (queryLogsVolume) for each frame:
 * strips a `log-volume-` prefix from the frame's refId to find the query it belongs to, sets
 * `meta.custom` (LogsVolumeCustomMetaData: FullRange, the request's range, the data source's name, that
 * query), and reads the level of the frame from the labels of its first number field (`detected_level`,
 * `level`, `lvl` or `loglevel`, mapped by Grafana's LogLevel names: `error`, `warning`, `info`,
 * `debug`…, anything else `unknown`); it sets the bars' colours and display name from that level. The
 * histogram's axis is the request's range; its interval is the request's (Explore rounds it to 1s, 1m,
 * 1h or 1d).
 *
 * SO: the volume query is the logs query (same source, same filters) as a time series grouped by
 * `logLevel`, counted within the request's range (what the axis shows, also when the logs query keeps
 * entries outside it), with refId `log-volume-<refId>`, marked `supplementary: 'logsVolume'` so that
 * the run shapes its frames with logVolumeFrames: one series per level, labelled `level` with Grafana's
 * level name. It runs through query(), so it reads the same cached parse as the logs query (the cache
 * is keyed by source): no second parse. `meta.custom` is left to Explore.
 *
 * Pure TypeScript besides @grafana/data: no React, no Grafana UI.
 */
import { LogLevel, type DataFrame, type DataQueryRequest, type Field, type QueryResultMetaNotice } from '@grafana/data';

import { migrateQuery } from '../migrations/migrateQuery';
import type { IotLogsQuery } from '../types';

/** Marks a query run for a supplementary result (proposed as an optional field of IotLogsQuery). */
export type SupplementaryKind = 'logsVolume';
export type SupplementaryQuery = IotLogsQuery & { supplementary?: SupplementaryKind };

/** Explore strips this from a volume frame's refId to find the logs query it belongs to. */
export const LOG_VOLUME_REFID_PREFIX = 'log-volume-';

/** The field that gives the level; entries without it count as `unknown`. */
export const LEVEL_FIELD = 'logLevel';

/** The label Explore reads the level from (getLogLevelFromLabels). */
export const LEVEL_LABEL = 'level';

/** Most level series before the time series output sums the rest as `other` (AWS writes four levels). */
const VOLUME_SERIES_LIMIT = 100;

/** Levels most severe first: the order of the volume's series. */
const LEVEL_ORDER: readonly LogLevel[] = [
  LogLevel.critical,
  LogLevel.error,
  LogLevel.warning,
  LogLevel.info,
  LogLevel.debug,
  LogLevel.trace,
  LogLevel.unknown,
];

export function isLogVolumeQuery(query: Partial<SupplementaryQuery>): boolean {
  return query.supplementary === 'logsVolume';
}

/**
 * The volume query of a query (any stored shape): undefined for hidden queries, queries whose output is
 * not `logs`, and volume queries themselves.
 */
export function logVolumeQuery(query: IotLogsQuery): SupplementaryQuery | undefined {
  if (isLogVolumeQuery(query)) {
    return undefined;
  }
  const q = migrateQuery(query);
  if (q.hide || q.output !== 'logs') {
    return undefined;
  }
  // The logs output's line limit, and options of other outputs, mean nothing here.
  const { limit: _limit, interval: _interval, metricField: _metricField, combineTables: _combine, ...rest } = q;
  return {
    ...rest,
    refId: `${LOG_VOLUME_REFID_PREFIX}${q.refId}`,
    output: 'timeseries',
    groupBy: [LEVEL_FIELD],
    metric: 'count',
    limit: VOLUME_SERIES_LIMIT,
    // The histogram's axis is the request's range: entries outside it would only coarsen the interval.
    ignoreTimeRange: false,
    supplementary: 'logsVolume',
  };
}

/**
 * getSupplementaryRequest for the log volume: the request with the volume query of each logs query, or
 * undefined when none has one. The range, interval and scoped variables are the request's.
 */
export function logVolumeRequest(request: DataQueryRequest<IotLogsQuery>): DataQueryRequest<IotLogsQuery> | undefined {
  const targets = request.targets.map(logVolumeQuery).filter((q): q is SupplementaryQuery => q !== undefined);
  return targets.length > 0 ? { ...request, targets, hideFromInspector: true } : undefined;
}

/**
 * Grafana's level for a level as written (AWS writes ERROR, WARN, INFO, DEBUG): Grafana's LogLevel
 * names read without regard to case (as its getLogLevelFromKey does: WARN is `warning`), `unknown` for
 * anything else and for entries without a level.
 */
export function volumeLevel(written: string | undefined): LogLevel {
  if (written === undefined) {
    return LogLevel.unknown;
  }
  const key = written.trim().toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(LogLevel, key)) {
    return LogLevel.unknown;
  }
  const level = LogLevel[key as keyof typeof LogLevel];
  // `unspecified` maps to ''.
  return level === LogLevel.unspecified ? LogLevel.unknown : level;
}

interface LevelSeries {
  refId?: string;
  level: LogLevel;
  time: Field;
  name: string;
  values: number[];
}

/**
 * The volume frames of a volume query's time series frames: one frame per level that has entries
 * (series of levels written differently, `WARN` and `warn`, summed; no level, `(none)`, and levels
 * Grafana does not know are `unknown`), most severe first, per refId. Each frame has the series' time
 * field and a number field labelled `level` with Grafana's level name, displayed as that name. Notices
 * of the input frames are kept on the first frame. No entries at all gives no frame (Explore then says
 * there is no volume). Frames already shaped by this function are shaped the same again.
 */
export function logVolumeFrames(frames: readonly DataFrame[]): DataFrame[] {
  const series: LevelSeries[] = [];
  const notices: QueryResultMetaNotice[] = [];
  for (const frame of frames) {
    notices.push(...(frame.meta?.notices ?? []));
    const time = frame.fields.find((f) => f.type === 'time');
    const value = frame.fields.find((f) => f.type === 'number');
    if (!time || !value) {
      continue;
    }
    const level = volumeLevel(value.labels?.[LEVEL_FIELD] ?? value.labels?.[LEVEL_LABEL]);
    const values = value.values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
    const same = series.find(
      (s) => s.refId === frame.refId && s.level === level && s.time.values.length === time.values.length
    );
    if (same) {
      values.forEach((v, i) => (same.values[i] += v));
    } else {
      series.push({ refId: frame.refId, level, time, name: value.name, values });
    }
  }
  const kept = series
    .filter((s) => s.values.some((v) => v > 0))
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
  return kept.map((s, i): DataFrame => {
    const own = i === 0 && notices.length > 0 ? { notices } : {};
    return {
      name: s.level,
      ...(s.refId !== undefined ? { refId: s.refId } : {}),
      fields: [
        s.time,
        {
          name: s.name,
          type: 'number' as Field['type'],
          config: { displayNameFromDS: s.level },
          labels: { [LEVEL_LABEL]: s.level },
          values: s.values,
        },
      ],
      length: s.values.length,
      meta: { type: 'timeseries-multi' as NonNullable<DataFrame['meta']>['type'], typeVersion: [0, 1], ...own },
    };
  });
}
