/**
 * Ready alert rules for the common AWS IoT failures, shipped as
 * provisioning/alerting/aws-iot-alert-rules.yaml (generated from these specs by
 * `alertRuleYaml`; alertRule.test.ts checks the file still says the same).
 *
 * Each expression is a Logs Insights (CWLI) stats query on AWSIotLogsV2 counting the matching entries
 * per 5-minute bin, split by the field that names who to look at when there is one. Field values are
 * as AWS writes them (../../shared/reference/log-formats.md §1): a field an entry lacks matches no
 * comparison, so each filter only needs the fields of the entries it is about.
 */
import { DEFAULT_LOG_GROUP } from '../cloudwatch/types';

import type { AlertRuleSpec } from './alertRule';

/** The CloudWatch data source uid the shipped file reads: a placeholder the user replaces. */
export const PLACEHOLDER_CLOUDWATCH_UID = 'cloudwatch';
export const READY_RULES_FOLDER = 'AWS IoT';
export const READY_RULES_GROUP = 'aws-iot-logs';
/** Where the shipped file lives, from the repository root. */
export const READY_RULES_FILE = 'provisioning/alerting/aws-iot-alert-rules.yaml';

const FIVE_MINUTES = 300;

const JOB_TYPES = [
  'GetPendingJobExecution',
  'DescribeJobExecution',
  'UpdateJobExecution',
  'StartNextPendingJobExecution',
  'ReportFinalJobExecutionCount',
];

const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

function rule(
  title: string,
  filter: string,
  count: string,
  by: string[],
  rest: Pick<AlertRuleSpec, 'threshold' | 'forDuration' | 'summary'>
): AlertRuleSpec {
  const statsGroups = ['bin(5m)', ...by];
  return {
    title,
    expression: `filter ${filter} | stats count(*) as ${count} by ${statsGroups.join(', ')}`,
    statsGroups,
    cloudWatchUid: PLACEHOLDER_CLOUDWATCH_UID,
    region: 'default',
    logGroups: [DEFAULT_LOG_GROUP],
    intervalSeconds: FIVE_MINUTES,
    labels: { source: 'aws-iot-logs' },
    ...rest,
  };
}

export const READY_RULES: AlertRuleSpec[] = [
  rule('AWS IoT connection failures', 'eventType = "Connect" and status = "Failure"', 'failures', [], {
    threshold: 5,
    forDuration: '5m',
    summary: 'More than 5 failed MQTT connections in 5 minutes, for 5 minutes.',
  }),
  rule(
    'AWS IoT authorization failures',
    `eventType in ${list(['Connect', 'Publish-In', 'Subscribe'])} and reason = "AUTHORIZATION_FAILURE"`,
    'failures',
    ['clientId'],
    {
      threshold: 0,
      forDuration: '5m',
      summary: 'A client is refused by its IoT policy (AUTHORIZATION_FAILURE on connect, publish or subscribe).',
    }
  ),
  rule(
    'AWS IoT rule failures',
    `eventType in ${list(['RuleMatch', 'FunctionExecution', 'StartingRuleExecution', 'RuleExecution'])} and status = "Failure"`,
    'failures',
    ['ruleName'],
    {
      threshold: 0,
      forDuration: '0s',
      summary: 'A rule or one of its actions failed (RuleExecution failures carry the AWS error in details).',
    }
  ),
  rule(
    'AWS IoT throttling',
    'eventType = "RuleMessageThrottled" or disconnectReason = "THROTTLED" or reason like /(?i)throttl/ or details like /(?i)throttl/',
    'throttled',
    ['eventType'],
    {
      threshold: 0,
      forDuration: '5m',
      summary: 'Requests or rule messages throttled for 5 minutes (RuleMessageThrottled, THROTTLED disconnects).',
    }
  ),
  rule(
    'AWS IoT duplicate client ID disconnects',
    `eventType = "Disconnect" and disconnectReason in ${list(['DUPLICATE_CLIENTID', 'DUPLICATE_CLIENT_ID'])}`,
    'disconnects',
    ['clientId'],
    {
      threshold: 2,
      forDuration: '5m',
      summary: 'Two connections keep taking over one client ID (more than 2 duplicate-ID disconnects in 5 minutes).',
    }
  ),
  rule(
    'AWS IoT failed job executions',
    `eventType in ${list(JOB_TYPES)} and (status = "Failure"` +
      ' or details like /destination status is (FAILED|REJECTED|TIMED_OUT)/' +
      ' or details like /(FAILED|REJECTED) job execution count: [1-9]/)',
    'failures',
    ['jobId'],
    {
      threshold: 0,
      forDuration: '0s',
      summary: 'A job execution failed, was rejected or timed out, or a jobs API request failed.',
    }
  ),
];

/** The comment at the top of the shipped file. */
export const READY_RULES_HEADER = `# Ready Grafana alert rules for AWS IoT Core logs (log group AWSIotLogsV2), evaluated by Grafana
# through your CloudWatch data source with Logs Insights stats queries (this plugin runs in the
# browser only, so alerting is handed to the CloudWatch data source).
#
# How to use:
# 1. Replace every "datasourceUid: cloudwatch" and "uid: cloudwatch" with the uid of your Grafana
#    CloudWatch data source (Connections > Data sources > CloudWatch: the uid is the last part of its
#    URL), and the region "default" if that data source's default region is not where your things are.
# 2. Keep it in Grafana's provisioning/alerting/ directory (the demo's docker compose loads it with
#    ALERTING_PROVISIONING=./provisioning/alerting) and restart Grafana. The rules go to the folder
#    "AWS IoT", group "aws-iot-logs", evaluated every 5 minutes over the 5 minutes that end a minute
#    before (entries reach CloudWatch Logs some seconds after they happen).
# 3. Pick a contact point in a notification policy (labels: source=aws-iot-logs).
#
# It is not in provisioning/alerting/ on purpose: Grafana loads every file there at startup, and
# without that data source each rule would fail every evaluation (execution error, DatasourceError
# alerts) in the demo, which has no AWS credentials.
#
# Generated from src/alerts/readyRules.ts (UPDATE_READY_RULES=1 npx jest src/alerts rewrites it).
`;
