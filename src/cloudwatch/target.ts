/** The CloudWatch data source's logs target of a Logs Insights query, from this data source's settings. */
import { CLOUDWATCH_TYPE, DEFAULT_LOG_GROUP, type CloudWatchLogsTarget, type LogGroupRef } from './types';

const ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/;

/** A log group as the CloudWatch target takes it: an ARN keeps its name, a name is its own ARN. */
export function logGroupRef(nameOrArn: string): LogGroupRef {
  const group = nameOrArn.trim();
  const arn = ARN.exec(group);
  return { arn: group, name: arn ? arn[1] : group };
}

/** The settings' log groups (DEFAULT_LOG_GROUP when none), trimmed, once each. */
export function logGroupsOf(groups: readonly string[] | undefined): string[] {
  const kept = [...new Set((groups ?? []).map((g) => g.trim()).filter((g) => g !== ''))];
  return kept.length > 0 ? kept : [DEFAULT_LOG_GROUP];
}

/** The settings' region: `default` (the CloudWatch data source's own) when empty. */
export function regionOf(region: string | undefined): string {
  return region?.trim() || 'default';
}

/** The logs target of `expression` on the CloudWatch data source `uid`. */
export function insightsTarget(
  refId: string,
  expression: string,
  statsGroups: readonly string[],
  settings: { cloudWatchUid: string; region?: string; logGroups?: readonly string[] }
): CloudWatchLogsTarget {
  return {
    refId,
    datasource: { type: CLOUDWATCH_TYPE, uid: settings.cloudWatchUid },
    queryMode: 'Logs',
    id: '',
    region: regionOf(settings.region),
    queryLanguage: 'CWLI',
    expression,
    logGroups: logGroupsOf(settings.logGroups).map(logGroupRef),
    statsGroups: [...statsGroups],
  };
}
