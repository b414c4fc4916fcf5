/**
 * The alert rule of a query: Grafana evaluates alert rules on the server, where this frontend data
 * source cannot run, so a query's alert is the equivalent Logs Insights `stats` query on the CloudWatch
 * data source of the settings: the entries the query's filters select, counted per 5 minutes, split as
 * the query splits its time series or counts, firing when a count is above the threshold.
 */
import type { ScopedVars } from '@grafana/data';

import { statsQuery } from '../cloudwatch/insights';
import type { CloudWatchSettings } from '../cloudwatch/types';
import { queryDisplayText } from '../query/displayText';
import { rowFilterOf, type Replace } from '../query/interpolate';
import type { IotLogsQuery } from '../types';
import { alertRuleUid, type AlertRuleSpec } from './alertRule';

/** Evaluation interval and bin of a query's alert rule. */
export const QUERY_ALERT_INTERVAL_SECONDS = 300;

export interface QueryAlert {
  spec: AlertRuleSpec;
  /** Filters of the query the rule cannot apply (it counts more entries than the query selects). */
  looser: string[];
}

/** The alert rule of a query, or why there is none. */
export function queryAlert(
  query: IotLogsQuery,
  settings: CloudWatchSettings,
  replace: Replace,
  scopedVars?: ScopedVars
): QueryAlert | { error: string } {
  if (!settings.cloudWatchUid) {
    return {
      error:
        "Alert rules run on Grafana's server through a CloudWatch data source: choose one in this data source's settings.",
    };
  }
  try {
    const filter = rowFilterOf(query, replace, scopedVars, { from: 0, to: 0 });
    const split = query.output === 'timeseries' || query.output === 'counts' ? query.groupBy : [];
    const stats = statsQuery(
      { ...filter, timeRange: undefined },
      { output: 'timeseries', groupBy: split, metric: 'count', intervalMs: QUERY_ALERT_INTERVAL_SECONDS * 1000 }
    );
    const threshold = 0;
    // the query's filters in words (its source does not matter: the rule reads CloudWatch)
    const what =
      queryDisplayText(query)
        .replace(/ → .*$/, '')
        .split(' · ')
        .slice(1)
        .join(' · ') || 'every entry';
    return {
      spec: {
        title: `AWS IoT: ${what}`.slice(0, 190),
        expression: stats.expression,
        statsGroups: stats.statsGroups,
        cloudWatchUid: settings.cloudWatchUid,
        region: settings.region ?? 'default',
        logGroups: settings.logGroups ?? [],
        intervalSeconds: QUERY_ALERT_INTERVAL_SECONDS,
        threshold,
        forDuration: '0s',
        summary:
          `More than ${threshold} AWS IoT log entries in 5 minutes matching: ${what}` +
          (stats.statsGroups.length > 1 ? ` (per ${stats.statsGroups.slice(1).join(', ')})` : '') +
          '.',
        labels: { source: 'aws-iot-logs' },
      },
      looser: stats.afterParse,
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** FNV-1a of a text, as 8 hex digits. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The uid of a query's rule: its title's words and a hash of what it counts (expression, data source,
 * log groups), so that two rules whose titles share their first 40 characters never replace each other
 * when provisioned (Grafana updates a rule by uid).
 */
export function queryAlertUid(spec: AlertRuleSpec): string {
  const base = alertRuleUid(spec.title).slice(0, 31).replace(/-+$/, '');
  return `${base}-${hash(JSON.stringify([spec.expression, spec.cloudWatchUid, spec.region, spec.logGroups]))}`;
}
