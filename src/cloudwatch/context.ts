/**
 * What the data source hands the CloudWatch source: the run context of a request, the editor's context
 * and the settings check of "Save & test". Kept here so that datasource.ts stays wiring.
 */
import { dateTime, LoadingState, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import type { ParseCache } from '../query/parseCache';
import { runQuery, type RunContext } from '../query/runQuery';
import type { CloudWatchEditorContext } from '../sources/types';
import type { IotLogsOptions, IotLogsQuery } from '../types';
import { delegate, type CloudWatchApi } from './delegate';
import { planCloudWatch, type CloudWatchRunContext } from './run';
import { insightsTarget, logGroupsOf, regionOf } from './target';
import type { CloudWatchSettings } from './types';

/** The CloudWatch settings of this data source's jsonData (names are contracts). */
export function cloudWatchSettings(jsonData: IotLogsOptions): CloudWatchSettings {
  const uid = typeof jsonData.cloudWatchUid === 'string' ? jsonData.cloudWatchUid.trim() : '';
  return {
    ...(uid ? { cloudWatchUid: uid } : {}),
    region: regionOf(typeof jsonData.region === 'string' ? jsonData.region : undefined),
    logGroups: logGroupsOf(
      Array.isArray(jsonData.logGroups) ? jsonData.logGroups.filter((g) => typeof g === 'string') : []
    ),
  };
}

type FileRunContext = Omit<RunContext, 'range' | 'scopedVars' | 'adhoc' | 'onProgress' | 'signal' | 'cache'>;

/**
 * The run context of a request's CloudWatch queries: entries are parsed with `cache` (its own, so that
 * the answers of live queries never push files out of the data source's parse cache).
 */
export function cloudWatchRunContext(
  settings: CloudWatchSettings,
  findCloudWatch: (uid: string | undefined) => Promise<CloudWatchApi>,
  cache: ParseCache,
  base: FileRunContext
) {
  return (request: Pick<CloudWatchRunContext, 'range' | 'scopedVars' | 'adhoc'>): CloudWatchRunContext => ({
    ...request,
    settings,
    findCloudWatch,
    replace: base.replace,
    links: base.links,
    runOnEntries: (query, loaded, notices, signal) =>
      runQuery(query, { ...base, ...request, cache, loaded, notices, signal }),
  });
}

/** The editor's context: the settings and the Logs Insights query a query runs as. */
export function cloudWatchEditorContext(
  settings: CloudWatchSettings,
  replace: RunContext['replace']
): CloudWatchEditorContext {
  return {
    uid: settings.cloudWatchUid,
    region: settings.region ?? 'default',
    logGroups: settings.logGroups ?? [],
    insightsOf(query: IotLogsQuery, intervalMs?: number) {
      const to = Date.now();
      try {
        return planCloudWatch(query, replace, undefined, {
          from: to - 6 * 3600_000,
          to,
          ...(intervalMs ? { intervalMs } : {}),
        }).insights;
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** What "Save & test" found for the CloudWatch source. */
export interface CloudWatchCheck {
  ok: boolean;
  message: string;
}

/** The query "Save & test" runs: one row, over the last hour. */
export const CHECK_EXPRESSION = 'fields @timestamp, @message | limit 1';

/**
 * Runs a tiny Logs Insights query on the configured log groups through the CloudWatch data source, and
 * says plainly what is wrong: no CloudWatch data source, no access, no permission, log group missing.
 */
export async function checkCloudWatch(
  settings: CloudWatchSettings,
  findCloudWatch: (uid: string | undefined) => Promise<CloudWatchApi>,
  now = Date.now()
): Promise<CloudWatchCheck> {
  let api: CloudWatchApi;
  try {
    api = await findCloudWatch(settings.cloudWatchUid);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const target = insightsTarget('check', CHECK_EXPRESSION, [], {
    cloudWatchUid: settings.cloudWatchUid!,
    region: settings.region,
    logGroups: settings.logGroups,
  });
  const from = dateTime(now - 3600_000);
  const to = dateTime(now);
  const request = {
    targets: [target],
    range: { from, to, raw: { from: 'now-1h', to: 'now' } },
    requestId: 'iotlogs-check',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 1,
    scopedVars: {},
    timezone: 'utc',
    app: 'iotlogs-check',
    startTime: now,
  } as unknown as DataQueryRequest;
  const groups = target.logGroups.map((g) => g.name).join(', ');
  const response = await lastValueFrom(delegate(api, [target], request), { defaultValue: undefined });
  const result = response?.results[0];
  if (!result || result.state === LoadingState.Error || result.error) {
    return { ok: false, message: result?.error ?? `${api.name ?? 'The CloudWatch data source'} did not answer.` };
  }
  const rows = result.frames.reduce((n, f) => n + f.length, 0);
  return {
    ok: true,
    message:
      `CloudWatch: a Logs Insights query on ${groups} (region ${target.region}) through ${api.name ?? 'the CloudWatch data source'} ` +
      (rows > 0
        ? 'read entries of the last hour.'
        : 'ran; the last hour has no entries (AWS IoT logging may be off, or quiet).'),
  };
}
