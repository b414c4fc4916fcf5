/**
 * Alert rules for AWS IoT log entries, handed to the user's Grafana CloudWatch data source.
 *
 * Grafana evaluates alert rules on the server, where this frontend-only data source cannot run. The
 * CloudWatch data source (plugin id `cloudwatch`) can, with Logs Insights `stats` queries. So a rule
 * here is a Grafana-managed rule of three queries:
 *
 * - A: the Logs Insights `stats` query, a CloudWatch logs target (`cloudWatchAlertTarget`);
 * - B: a Reduce expression, `sum` of A's counts, non-numbers replaced by 0;
 * - C: a Threshold expression, B above `threshold`; C is the rule's condition.
 *
 * Two ways out: `newAlertRuleUrl` opens Grafana's "New alert rule" form prefilled (as "New alert
 * rule" on a panel does), `alertRuleYaml` writes a file for Grafana's file provisioning.
 *
 * Facts relied on, read in grafana/grafana's source (alertRule.test.ts checks what it can):
 * - the form: route `/alerting/new/:type?`; `?defaults=<JSON of RuleFormValues>` read by
 *   `formValuesFromQueryParams` (public/app/features/alerting/unified/rule-editor/formDefaults.ts):
 *   JSON.parse, spread over the default form values, `evaluateEvery` reset to the default group
 *   interval; then coerced by `alertingAlertRuleFormSchema`
 *   (public/app/features/plugins/components/restrictedGrafanaApis/alerting/alertRuleFormSchema.ts):
 *   queries `{refId, queryType, relativeTimeRange: {from, to}, datasourceUid, model}` with a loose
 *   model, labels and annotations as `[{key, value}]`. `returnTo` is where the form goes after saving.
 *   Panels build it with `urlUtil.renderUrl('/alerting/new', {defaults: JSON.stringify(values), returnTo})`.
 * - expressions: datasource uid and type `__expr__`; Reduce `{type: 'reduce', reducer, expression,
 *   settings: {mode: 'replaceNN', replaceWithValue}}`; Threshold `{type: 'threshold', expression,
 *   conditions: [{evaluator: {type: 'gt', params: [n]}}]}` (public/app/features/expressions/,
 *   utils/rule-form.ts getDefaultReduceExpression / getDefaultThresholdExpression).
 * - file provisioning: pkg/services/provisioning/alerting/rules_types.go (AlertRuleGroupV1,
 *   AlertRuleV1, QueryV1), pkg/services/ngalert/models/alert_query.go (relativeTimeRange in whole
 *   seconds, `from` > `to` for data queries); rule uids at most 40 characters of [a-zA-Z0-9-_].
 *
 * Pure: no Grafana runtime import, no YAML library (the YAML is written here, strings quoted where a
 * plain scalar could be misread, the way Prettier quotes them).
 */
import type { DataQuery } from '@grafana/schema';

import { insightsTarget, logGroupRef } from '../cloudwatch/target';
import type { CloudWatchLogsTarget } from '../cloudwatch/types';

/** One alert rule on AWS IoT log entries, evaluated by Grafana through a CloudWatch data source. */
export interface AlertRuleSpec {
  /** The rule's title (unique within its folder). */
  title: string;
  /**
   * A Logs Insights stats query counting matching entries, e.g.
   * `filter eventType = "Connect" and status = "Failure" | stats count(*) as failures by bin(5m)`.
   */
  expression: string;
  /** The group expressions after ` by `, e.g. `['bin(5m)']` or `['bin(5m)', 'clientId']`. */
  statsGroups: string[];
  /** uid of the Grafana CloudWatch data source the rule queries. */
  cloudWatchUid: string;
  /** `default` (the data source's default region) or an AWS region. */
  region: string;
  /** Log groups by name or ARN; empty reads AWSIotLogsV2. */
  logGroups: string[];
  /** Evaluation interval in seconds, and the span of the bins in the expression. */
  intervalSeconds: number;
  /** The rule fires when the number of matching entries in the window is above it. */
  threshold: number;
  /** How long the condition must hold before firing (`'5m'` unless given; `'0s'` fires at once). */
  forDuration?: string;
  /** The `summary` annotation. */
  summary?: string;
  labels?: Record<string, string>;
  /**
   * The window each evaluation counts, in seconds: the query's relative time range. Defaults to
   * `intervalSeconds`, so that consecutive evaluations count consecutive windows, each entry once.
   */
  windowSeconds?: number;
  /**
   * How far the window ends before the evaluation, in seconds (default INGESTION_DELAY_SECONDS): entries
   * reach CloudWatch Logs some seconds after they happen, and a window ending at "now" would miss the
   * latest ones in every evaluation.
   */
  delaySeconds?: number;
}

/** Default end of an alert's window before its evaluation: CloudWatch Logs' usual ingestion delay. */
export const INGESTION_DELAY_SECONDS = 60;

/** The data source uid (and type) of Grafana's server-side expressions. */
export const EXPRESSION_UID = '__expr__';

/** When the window holds no entries (Logs Insights returns no rows): nothing failed. */
export const NO_DATA_STATE = 'OK';
/**
 * When the query fails (AWS credentials, permissions, Logs Insights throttling or timeout): its own
 * `Error` state, with Grafana's DatasourceError alert, rather than `Alerting`, which would report a
 * CloudWatch problem as failing devices.
 */
export const EXEC_ERR_STATE = 'Error';
export const DEFAULT_FOR = '5m';

const REF_QUERY = 'A';
const REF_REDUCE = 'B';
const REF_THRESHOLD = 'C';

/** A Grafana alert query: what the rule form's `queries` and a provisioning file's `data` hold. */
export interface AlertQuery {
  refId: string;
  queryType: string;
  relativeTimeRange?: { from: number; to: number };
  datasourceUid: string;
  model: DataQuery & Record<string, unknown>;
}

/** Grafana's rule form values, the part a prefilled "New alert rule" sets. */
export interface AlertRuleFormValues {
  type: 'grafana-alerting';
  name: string;
  queries: AlertQuery[];
  condition: string;
  noDataState: string;
  execErrState: string;
  evaluateFor: string;
  annotations: Array<{ key: string; value: string }>;
  labels: Array<{ key: string; value: string }>;
}

export { logGroupRef };

function check(spec: AlertRuleSpec): void {
  if (!spec.title.trim()) {
    throw new Error('An alert rule needs a title.');
  }
  if (!spec.expression.trim()) {
    throw new Error(`Alert rule "${spec.title}": the Logs Insights expression is empty.`);
  }
  if (!spec.cloudWatchUid.trim()) {
    throw new Error(`Alert rule "${spec.title}": no CloudWatch data source uid.`);
  }
  for (const [name, value] of [
    ['intervalSeconds', spec.intervalSeconds],
    ['windowSeconds', spec.windowSeconds ?? spec.intervalSeconds],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`Alert rule "${spec.title}": ${name} must be a whole number of seconds above 0.`);
    }
  }
  if (!Number.isFinite(spec.threshold)) {
    throw new Error(`Alert rule "${spec.title}": the threshold must be a number.`);
  }
}

/** The rule's query A: the Logs Insights stats query as Grafana's CloudWatch data source takes it. */
export function cloudWatchAlertTarget(spec: AlertRuleSpec): CloudWatchLogsTarget {
  return insightsTarget(REF_QUERY, spec.expression, spec.statsGroups, spec);
}

/** The rule's three queries: A the CloudWatch stats query, B its sum, C the threshold on B. */
export function alertQueries(spec: AlertRuleSpec): AlertQuery[] {
  check(spec);
  const expr = { type: EXPRESSION_UID, uid: EXPRESSION_UID };
  return [
    {
      refId: REF_QUERY,
      queryType: '',
      relativeTimeRange: {
        from: (spec.windowSeconds ?? spec.intervalSeconds) + (spec.delaySeconds ?? INGESTION_DELAY_SECONDS),
        to: spec.delaySeconds ?? INGESTION_DELAY_SECONDS,
      },
      datasourceUid: spec.cloudWatchUid,
      model: { ...cloudWatchAlertTarget(spec) },
    },
    {
      refId: REF_REDUCE,
      queryType: '',
      datasourceUid: EXPRESSION_UID,
      model: {
        refId: REF_REDUCE,
        datasource: expr,
        type: 'reduce',
        // The entries counted over the window, whatever the bins: `last` would be the newest bin
        // that has entries however old (Logs Insights returns no rows for empty bins) or a bin
        // still filling up.
        reducer: 'sum',
        expression: REF_QUERY,
        // A series split by a field can hold nulls where a bin had no entry of that value: count
        // them as 0 rather than turning the sum into NaN.
        settings: { mode: 'replaceNN', replaceWithValue: 0 },
      },
    },
    {
      refId: REF_THRESHOLD,
      queryType: '',
      datasourceUid: EXPRESSION_UID,
      model: {
        refId: REF_THRESHOLD,
        datasource: expr,
        type: 'threshold',
        expression: REF_REDUCE,
        conditions: [{ type: 'query', evaluator: { type: 'gt', params: [spec.threshold] } }],
      },
    },
  ];
}

function pairs(record: Record<string, string> | undefined): Array<{ key: string; value: string }> {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

/** The values Grafana's rule form starts from, for `newAlertRuleUrl`. */
export function alertRuleFormValues(spec: AlertRuleSpec): AlertRuleFormValues {
  return {
    type: 'grafana-alerting',
    name: spec.title,
    queries: alertQueries(spec),
    condition: REF_THRESHOLD,
    noDataState: NO_DATA_STATE,
    execErrState: EXEC_ERR_STATE,
    evaluateFor: spec.forDuration ?? DEFAULT_FOR,
    annotations: spec.summary ? [{ key: 'summary', value: spec.summary }] : [],
    labels: pairs(spec.labels),
  };
}

/**
 * Grafana's "New alert rule" form, prefilled with the rule: a path under Grafana's root URL (prefix
 * the app sub-URL when Grafana is served under one; `locationService.push` takes it as it is).
 * The folder, the evaluation group (and so the interval) and the contact point are chosen in the form.
 */
export function newAlertRuleUrl(spec: AlertRuleSpec, options: { returnTo?: string } = {}): string {
  const params = new URLSearchParams({ defaults: JSON.stringify(alertRuleFormValues(spec)) });
  if (options.returnTo) {
    params.set('returnTo', options.returnTo);
  }
  return `/alerting/new/alerting?${params.toString()}`;
}

// ------------------------------------------------------------------------------------------------
// File provisioning.

/** Grafana's rule uid rule: 1 to 40 characters of letters, digits, `-` and `_`. */
export const RULE_UID = /^[a-zA-Z0-9_-]{1,40}$/;

/** A rule uid from a title: its words joined by `-`, after `aws-iot-`, at most 40 characters. */
export function alertRuleUid(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const uid = slug.startsWith('aws-iot-') ? slug : `aws-iot-${slug}`;
  return uid.slice(0, 40).replace(/-+$/, '');
}

/** Seconds as a Prometheus-style duration (`5m`, `1h`, `90s`), what Grafana's files take. */
export function durationText(seconds: number): string {
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  if (seconds % 60 === 0) {
    return `${seconds / 60}m`;
  }
  return `${seconds}s`;
}

export interface AlertRuleFileOptions {
  /** The folder's title (created by Grafana when missing; `a/b` nests). */
  folder: string;
  /** The evaluation group's name. */
  group: string;
  /** The rule's uid when there is one rule (else derived from each title, see `alertRuleUid`). */
  uid?: string;
  orgId?: number;
}

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/** The provisioning file as data (what `alertRuleYaml` writes). */
export function alertRuleFile(specs: AlertRuleSpec | AlertRuleSpec[], options: AlertRuleFileOptions) {
  const list = Array.isArray(specs) ? specs : [specs];
  if (list.length === 0) {
    throw new Error('No alert rule to write.');
  }
  if (!options.folder.trim() || !options.group.trim()) {
    throw new Error('Alert rules need a folder and a group.');
  }
  const interval = list[0].intervalSeconds;
  if (list.some((s) => s.intervalSeconds !== interval)) {
    throw new Error(`The rules of group "${options.group}" must share one evaluation interval.`);
  }
  if (options.uid !== undefined && list.length > 1) {
    throw new Error('A uid can only be given for a single rule.');
  }
  const uids = new Set<string>();
  const rules = list.map((spec) => {
    const uid = options.uid ?? alertRuleUid(spec.title);
    if (!RULE_UID.test(uid)) {
      throw new Error(`Rule uid "${uid}": Grafana takes 1 to 40 characters of letters, digits, - and _.`);
    }
    if (uids.has(uid)) {
      throw new Error(`Two rules would have the uid "${uid}".`);
    }
    uids.add(uid);
    const annotations: Record<string, string> = spec.summary ? { summary: spec.summary } : {};
    return {
      uid,
      title: spec.title,
      condition: REF_THRESHOLD,
      data: alertQueries(spec).map(
        ({ refId, relativeTimeRange, datasourceUid, model }) =>
          ({
            refId,
            ...(relativeTimeRange ? { relativeTimeRange } : {}),
            datasourceUid,
            model,
          }) as unknown as Yaml
      ),
      noDataState: NO_DATA_STATE,
      execErrState: EXEC_ERR_STATE,
      for: spec.forDuration ?? DEFAULT_FOR,
      annotations,
      labels: { ...spec.labels },
      isPaused: false,
    };
  });
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: options.orgId ?? 1,
        name: options.group,
        folder: options.folder,
        interval: durationText(interval),
        rules,
      },
    ],
  };
}

/** Grafana file provisioning YAML (`provisioning/alerting/*.yaml`) for one rule or a group of them. */
export function alertRuleYaml(specs: AlertRuleSpec | AlertRuleSpec[], options: AlertRuleFileOptions): string {
  return toYaml(alertRuleFile(specs, options) as unknown as Yaml).join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------
// A small YAML writer: block maps and sequences, scalars plain when they cannot be misread.

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./()-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

function scalar(value: string | number | boolean | null): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new Error(`Cannot write ${value} in YAML.`);
    }
    return String(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ')) {
    return value;
  }
  // Single quotes (only ' is escaped, doubled) unless the text has control characters or more ' than ":
  // then JSON's double-quoted string, which is a YAML double-quoted scalar. The quote Prettier picks.
  if (CONTROL.test(value) || value.split("'").length > value.split('"').length) {
    return JSON.stringify(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function isEmpty(value: Yaml): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function toYaml(value: Yaml, indent = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        const [first, ...rest] = toYaml(item, `${indent}  `);
        return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      const k = scalar(key);
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        return [`${indent}${k}:`, ...toYaml(item, `${indent}  `)];
      }
      return [`${indent}${k}: ${inline(item)}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}

function inline(value: Yaml): string {
  if (Array.isArray(value)) {
    return '[]';
  }
  if (typeof value === 'object' && value !== null) {
    return '{}';
  }
  return scalar(value);
}
