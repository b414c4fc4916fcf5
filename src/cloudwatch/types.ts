/**
 * The CloudWatch source: this plugin's queries run as CloudWatch Logs Insights queries through the
 * user's Grafana CloudWatch data source (plugin id `cloudwatch`, a backend data source holding the AWS
 * credentials). Shapes shared by the Logs Insights writer (insights.ts), the delegation (delegate.ts),
 * the stats shaping (statsFrames.ts) and the alert rules (src/alerts).
 *
 * Facts relied on (../shared/reference/log-formats.md §4): a Logs Insights query returns at most
 * 10,000 rows; the CloudWatch data source's logs target is
 * `{refId, datasource: {type: 'cloudwatch', uid}, queryMode: 'Logs', id: '', region, queryLanguage: 'CWLI',
 * expression, logGroups: [{arn, name}], statsGroups}`.
 */
import type { DataQuery } from '@grafana/schema';

/** Most rows a Logs Insights query returns (AWS's cap). */
export const INSIGHTS_ROW_CAP = 10_000;

/** The log group AWS IoT Core writes to. */
export const DEFAULT_LOG_GROUP = 'AWSIotLogsV2';

/** The plugin id of Grafana's CloudWatch data source. */
export const CLOUDWATCH_TYPE = 'cloudwatch';

/** The data source settings (jsonData) of the CloudWatch source. Names are contracts: keep them. */
export interface CloudWatchSettings {
  /** uid of the Grafana CloudWatch data source queries run through. */
  cloudWatchUid?: string;
  /** AWS region; empty or `default` uses that data source's default region. */
  region?: string;
  /** Log groups to read, by name or ARN; empty reads DEFAULT_LOG_GROUP. */
  logGroups?: string[];
}

/** A Logs Insights query written from a query's filters. */
export interface InsightsQuery {
  /** `entries`: `fields @timestamp, @message, @logStream, @log | filter … | sort … | limit …`; `stats`: counts. */
  kind: 'entries' | 'stats';
  /** The Logs Insights query text (CWLI). */
  expression: string;
  /** For stats queries: the group expressions after ` by ` (Grafana's CloudWatch `statsGroups`). */
  statsGroups: string[];
  /** The query's filters AWS applies, in words (`eventType in (Connect, Disconnect)`). */
  pushedDown: string[];
  /** Filters Logs Insights cannot express, in words: they apply after parsing, and the result says so. */
  afterParse: string[];
}

/** One log group as the CloudWatch data source's target takes it (a name works as the ARN too). */
export interface LogGroupRef {
  arn: string;
  name: string;
}

/** The target of a Logs Insights query as Grafana's CloudWatch data source takes it. */
export interface CloudWatchLogsTarget extends DataQuery {
  queryMode: 'Logs';
  id: string;
  region: string;
  queryLanguage: 'CWLI';
  expression: string;
  logGroups: LogGroupRef[];
  statsGroups: string[];
}
