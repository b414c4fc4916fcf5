/**
 * The dashboards the plugin ships (provisioning/dashboards/*.json, bundled through plugin.json
 * `includes`), written as code: each panel's queries are typed IotLogsQuery objects, so a renamed query
 * field or output fails the type check, and dashboards.test.ts runs every panel's queries through
 * DataSource.query() on the sample. `UPDATE_DASHBOARDS=1 npx jest src/dashboards` rewrites the files.
 *
 * Every dashboard has a data source variable (`datasource`, any AWS IoT Logs data source) and its
 * queries read the data source's default source: the bundled sample on a data source without
 * CloudWatch (the demo's), the CloudWatch log groups on one whose settings choose a CloudWatch data
 * source. The same JSON serves both.
 * Pure data: no React, no Grafana runtime.
 */
import { getDefaultVariableQuery, type IotLogsVariableQuery } from '../variables/variableQuery';
import { getDefaultQuery, PLUGIN_ID, type IotLogsQuery } from '../types';
import type { IotLogsAnnotationQuery } from '../annotations/annotations';

/** The uid of the data source provisioning/datasources gives this plugin on the sample. */
const SAMPLE_DATASOURCE_UID = 'aws-iot-logs';
const DS = { type: PLUGIN_ID, uid: '${datasource}' };

/** The panel types the dashboards use (dashboards.test.ts knows what each can draw). */
export type PanelType = 'timeseries' | 'barchart' | 'stat' | 'table' | 'logs' | 'histogram';

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: typeof DS;
  targets: IotLogsQuery[];
  options?: Record<string, unknown>;
  fieldConfig: {
    defaults: Record<string, unknown>;
    overrides: Array<{ matcher: { id: 'byName'; options: string }; properties: Array<{ id: string; value: unknown }> }>;
  };
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  graphTooltip: number;
  schemaVersion: number;
  version: number;
  timezone: string;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: unknown[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

/** File name (in provisioning/dashboards) → dashboard. */
export const UIDS = {
  fleet: 'aws-iot-fleet-overview',
  connectivity: 'aws-iot-connectivity',
  rules: 'aws-iot-rules-engine',
  jobs: 'aws-iot-jobs-provisioning',
  device: 'aws-iot-device',
} as const;

/** A query of the data source's default source over the dashboard's time range, `partial` on top. */
function query(refId: string, partial: Partial<IotLogsQuery>): IotLogsQuery {
  return {
    ...getDefaultQuery(),
    refId,
    datasource: DS,
    source: { type: 'default' },
    ignoreTimeRange: false,
    ...partial,
  };
}

/** A link to the device drill-down for the clicked client id (a table cell), keeping the time range. */
const DEVICE_LINK = {
  title: 'Device drill-down: ${__value.raw}',
  url: `/d/${UIDS.device}?var-clientId=\${__value.raw}&\${__url_time_range}&var-datasource=\${datasource}`,
};

/**
 * The same for a bar of a bar chart: Grafana's bar chart offers the links of the bar's own field (the
 * count), not of the category, so the link reads the row's clientId.
 */
const DEVICE_BAR_LINK = {
  title: 'Device drill-down: ${__data.fields.clientId}',
  url: `/d/${UIDS.device}?var-clientId=\${__data.fields.clientId}&\${__url_time_range}&var-datasource=\${datasource}`,
};

/** Panels laid out left to right, 24 units a row. */
class Layout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private id = 1;
  readonly panels: Panel[] = [];

  add(
    type: PanelType,
    title: string,
    w: number,
    h: number,
    targets: IotLogsQuery[],
    extra: {
      description?: string;
      options?: Record<string, unknown>;
      defaults?: Record<string, unknown>;
      deviceLinks?: string[];
    } = {}
  ): this {
    if (this.x + w > 24) {
      this.x = 0;
      this.y += this.rowHeight;
      this.rowHeight = 0;
    }
    this.panels.push({
      id: this.id++,
      type,
      title,
      ...(extra.description ? { description: extra.description } : {}),
      gridPos: { x: this.x, y: this.y, w, h },
      datasource: DS,
      targets,
      // A bar chart's categories are its counts' group-by field.
      options: {
        ...OPTIONS[type],
        ...(type === 'barchart' ? { xField: targets[0].groupBy[0] } : {}),
        ...extra.options,
      },
      fieldConfig: {
        defaults: { ...extra.defaults },
        overrides: (extra.deviceLinks ?? []).map((name) => ({
          matcher: { id: 'byName', options: name },
          properties: [{ id: 'links', value: [type === 'barchart' ? DEVICE_BAR_LINK : DEVICE_LINK] }],
        })),
      },
    });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return this;
  }
}

const OPTIONS: Record<PanelType, Record<string, unknown>> = {
  timeseries: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi' } },
  barchart: { orientation: 'horizontal', showValue: 'auto', legend: { showLegend: false } },
  stat: { reduceOptions: { calcs: ['sum'], fields: '', values: false }, colorMode: 'value', graphMode: 'none' },
  table: { showHeader: true, cellHeight: 'sm' },
  logs: {
    showTime: true,
    wrapLogMessage: false,
    sortOrder: 'Descending',
    enableLogDetails: true,
    dedupStrategy: 'none',
  },
  histogram: { bucketCount: 20, legend: { showLegend: false } },
};

/** A stat's colour, fixed (without one Grafana colours by its default thresholds: red from 80). */
function fixed(color: string): Record<string, unknown> {
  return { color: { mode: 'fixed', fixedColor: color } };
}

/** A bar chart of the counts of `field` (a string column then `count`), the top `limit`. */
function counts(refId: string, field: string, partial: Partial<IotLogsQuery>, limit = 10): IotLogsQuery {
  return query(refId, { output: 'counts', groupBy: [field], limit, ...partial });
}

/** A stat: the number of entries the filters keep (a time series summed). */
function total(partial: Partial<IotLogsQuery>): IotLogsQuery[] {
  return [query('A', { output: 'timeseries', ...partial })];
}

const DATASOURCE_VARIABLE = {
  type: 'datasource',
  name: 'datasource',
  label: 'Data source',
  query: PLUGIN_ID,
  current: { text: 'AWS IoT Logs', value: SAMPLE_DATASOURCE_UID },
  hide: 0,
  refresh: 1,
  regex: '',
};

/** The findings of the fleet as annotations (a region from a finding's first to its last entry). */
const FINDINGS_ANNOTATION = {
  name: 'Findings',
  datasource: DS,
  enable: true,
  iconColor: 'red',
  target: { ...query('Anno', { output: 'findings' }), annotate: 'findings' } satisfies IotLogsAnnotationQuery,
};

const GRAFANA_ANNOTATION = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

/** Links from every dashboard to the others (by the tag they share). */
const LINKS = [
  { type: 'dashboards', tags: ['aws-iot'], asDropdown: true, title: 'AWS IoT', includeVars: true, keepTime: true },
];

function dashboard(
  uid: string,
  title: string,
  description: string,
  panels: Panel[],
  variables: unknown[] = [],
  annotations: unknown[] = [FINDINGS_ANNOTATION]
): Dashboard {
  return {
    uid,
    title,
    description,
    tags: ['aws-iot', 'aws-iot-logs'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    timezone: 'utc',
    time: { from: 'now-24h', to: 'now' },
    refresh: '',
    templating: { list: [DATASOURCE_VARIABLE, ...variables] },
    annotations: { list: [GRAFANA_ANNOTATION, ...annotations] },
    links: LINKS,
    panels,
  };
}

function fleetOverview(): Dashboard {
  const l = new Layout()
    .add('stat', 'Connects', 6, 4, total({ eventTypes: ['Connect'], statuses: ['Success'] }), {
      defaults: fixed('green'),
    })
    .add('stat', 'Disconnects', 6, 4, total({ eventTypes: ['Disconnect'] }), { defaults: fixed('blue') })
    .add('stat', 'Failures', 6, 4, total({ statuses: ['Failure'] }), {
      defaults: fixed('red'),
    })
    .add('stat', 'Findings', 6, 4, [query('A', { output: 'findings' })], {
      options: { reduceOptions: { calcs: ['count'], fields: '/^count$/', values: false } },
      defaults: fixed('purple'),
    })
    .add(
      'timeseries',
      'Connects, disconnects and failures',
      24,
      8,
      [
        query('A', { output: 'timeseries', eventTypes: ['Connect'], groupBy: ['eventType', 'status'] }),
        query('B', { output: 'timeseries', eventTypes: ['Disconnect'], groupBy: ['eventType'] }),
        query('C', { output: 'timeseries', statuses: ['Failure'], groupBy: ['component'] }),
      ],
      { description: 'Connects by status, disconnects, and failures of every component, per interval.' }
    )
    .add('barchart', 'Top failing devices', 8, 9, [counts('A', 'clientId', { statuses: ['Failure'] })], {
      deviceLinks: ['count'],
    })
    .add('barchart', 'Disconnect reasons', 8, 9, [counts('A', 'disconnectReason', { eventTypes: ['Disconnect'] })])
    .add('barchart', 'Failure reasons', 8, 9, [counts('A', 'reason', { statuses: ['Failure'] })])
    .add('table', 'Findings', 24, 9, [query('A', { output: 'findings' })], {
      description:
        'Ranked findings: storms, takeovers, brute force, throttling, failing rules and jobs, silent devices.',
    });
  return dashboard(
    UIDS.fleet,
    'AWS IoT — fleet overview',
    'Connects, disconnects and failures across the fleet, the devices and reasons behind them, and the findings. Reads the bundled sample; point the queries at your own logs (CloudWatch, a file, a URL) in their source.',
    l.panels
  );
}

function connectivity(): Dashboard {
  const l = new Layout()
    .add('table', 'Sessions', 24, 9, [query('A', { output: 'sessions' })], {
      description: 'MQTT sessions: Connect to Disconnect, with the reason, source IP and takeovers.',
      deviceLinks: ['clientId'],
    })
    .add('histogram', 'Session durations', 12, 8, [query('A', { output: 'sessions' })], {
      description: "Sessions by duration (the sessions output's only number field; its unit, ms, comes with it).",
    })
    .add('timeseries', 'Connects per device (reconnect storms)', 12, 8, [
      query('A', {
        output: 'timeseries',
        eventTypes: ['Connect'],
        statuses: ['Success'],
        groupBy: ['clientId'],
        limit: 8,
      }),
    ])
    .add('barchart', 'Source IPs', 8, 9, [counts('A', 'sourceIp', { eventTypes: ['Connect'] })])
    .add(
      'barchart',
      'Takeovers (DUPLICATE_CLIENTID disconnects)',
      8,
      9,
      [
        counts('A', 'clientId', {
          eventTypes: ['Disconnect'],
          fieldFilters: [{ field: 'disconnectReason', op: '=', value: 'DUPLICATE_CLIENTID' }],
        }),
      ],
      { deviceLinks: ['count'] }
    )
    .add('barchart', 'Disconnect reasons', 8, 9, [counts('A', 'disconnectReason', { eventTypes: ['Disconnect'] })])
    .add('logs', 'Connection entries', 24, 10, [
      query('A', { components: ['message-broker'], eventTypes: ['Connect', 'Disconnect'] }),
    ]);
  return dashboard(
    UIDS.connectivity,
    'AWS IoT — connectivity and sessions',
    'MQTT sessions and their durations, reconnect storms, source IPs and client ID takeovers.',
    l.panels
  );
}

function rulesEngine(): Dashboard {
  const rules = { components: ['rules-engine' as const] };
  /** Rules engine failures other than throttling (RuleMessageThrottled has its own panels). */
  const failures = {
    ...rules,
    statuses: ['Failure'],
    fieldFilters: [{ field: 'eventType', op: '!=' as const, value: 'RuleMessageThrottled' }],
  };
  const l = new Layout()
    .add('stat', 'Matches', 6, 4, total({ eventTypes: ['RuleMatch'] }), { defaults: fixed('blue') })
    .add('stat', 'Executions', 6, 4, total({ eventTypes: ['RuleExecution'] }), { defaults: fixed('green') })
    .add('stat', 'Failures', 6, 4, total(failures), {
      defaults: fixed('red'),
    })
    .add('stat', 'Throttled', 6, 4, total({ eventTypes: ['RuleMessageThrottled'] }), {
      defaults: fixed('orange'),
    })
    .add('timeseries', 'Matches by rule', 12, 8, [
      query('A', { output: 'timeseries', eventTypes: ['RuleMatch'], groupBy: ['ruleName'] }),
    ])
    .add('timeseries', 'Executions by action', 12, 8, [
      query('A', { output: 'timeseries', eventTypes: ['RuleExecution'], groupBy: ['ruleAction'] }),
    ])
    .add('barchart', 'Failures by rule', 8, 9, [counts('A', 'ruleName', failures)])
    .add('barchart', 'Throttles by rule', 8, 9, [counts('A', 'ruleName', { eventTypes: ['RuleMessageThrottled'] })])
    .add('barchart', 'Failures by action', 8, 9, [counts('A', 'ruleAction', failures)])
    .add(
      'table',
      'Failed and throttled rule entries',
      24,
      9,
      [query('A', { output: 'table', ...rules, statuses: ['Failure'] })],
      {
        deviceLinks: ['clientId'],
      }
    );
  return dashboard(
    UIDS.rules,
    'AWS IoT — rules engine',
    'Rule matches, executions, failures and throttles by rule and action.',
    l.panels
  );
}

function jobsAndProvisioning(): Dashboard {
  const jobs = { components: ['jobs' as const] };
  const l = new Layout()
    .add('barchart', 'Job entries by status', 12, 8, [query('A', { output: 'counts', ...jobs, groupBy: ['status'] })])
    .add(
      'barchart',
      'Job entries by event type',
      12,
      8,
      [query('A', { output: 'counts', ...jobs, groupBy: ['eventType'] })],
      {}
    )
    .add(
      'table',
      'Final execution counts',
      24,
      7,
      [query('A', { output: 'table', eventTypes: ['ReportFinalJobExecutionCount'] })],
      {
        description: 'ReportFinalJobExecutionCount: executions of each job by final status.',
      }
    )
    .add(
      'barchart',
      'Devices with failing job entries',
      12,
      8,
      [counts('A', 'clientId', { ...jobs, statuses: ['Failure'] })],
      {
        deviceLinks: ['count'],
      }
    )
    .add('table', 'Provisioning results', 12, 8, [query('A', { output: 'table', components: ['device-provisioning'] })])
    .add('logs', 'Job entries', 24, 10, [query('A', jobs)]);
  return dashboard(
    UIDS.jobs,
    'AWS IoT — jobs and provisioning',
    'Job executions by status, final counts and the devices whose job entries fail; fleet provisioning results.',
    l.panels
  );
}

/** The device drill-down's variable: the client ids of the default source, most entries first. */
const CLIENT_ID_VARIABLE_QUERY: IotLogsVariableQuery = {
  ...getDefaultVariableQuery(),
  refId: 'clientId',
  source: { type: 'default' },
  ignoreTimeRange: false,
  values: 'clientId',
  sort: 'count',
};

function deviceDrillDown(): Dashboard {
  const device = { fieldFilters: [{ field: 'clientId', op: '=' as const, value: '$clientId' }] };
  const l = new Layout()
    .add('timeseries', 'Entries by event type', 16, 8, [
      query('A', { output: 'timeseries', ...device, groupBy: ['eventType'] }),
    ])
    .add('stat', 'Failures', 8, 8, total({ ...device, statuses: ['Failure'] }), {
      defaults: fixed('red'),
    })
    .add('table', 'Sessions', 24, 8, [query('A', { output: 'sessions', ...device })])
    .add('table', 'Behaviour', 24, 6, [query('A', { output: 'behaviour', ...device })], {
      description:
        'Connects, failures, disconnects by reason, time disconnected, messages and throttling of the device.',
    })
    .add('table', 'Findings', 24, 6, [query('A', { output: 'findings', ...device })])
    .add('logs', 'Every entry', 24, 12, [query('A', device)]);
  const clientId = {
    type: 'query',
    name: 'clientId',
    label: 'Client ID',
    datasource: DS,
    query: CLIENT_ID_VARIABLE_QUERY,
    refresh: 2,
    sort: 0,
    multi: false,
    includeAll: false,
    hide: 0,
  };
  const annotation = {
    ...FINDINGS_ANNOTATION,
    name: 'Sessions',
    iconColor: 'green',
    target: {
      ...query('Anno', { output: 'sessions', ...device }),
      annotate: 'sessions',
    } satisfies IotLogsAnnotationQuery,
  };
  return dashboard(
    UIDS.device,
    'AWS IoT — device drill-down',
    'One device ($clientId): its entries, failures, sessions, behaviour, findings and every entry.',
    l.panels,
    [clientId],
    [FINDINGS_ANNOTATION, annotation]
  );
}

/** The shipped dashboards by file name. */
export function shippedDashboards(): Record<string, Dashboard> {
  return {
    'fleet-overview.json': fleetOverview(),
    'connectivity-and-sessions.json': connectivity(),
    'rules-engine.json': rulesEngine(),
    'jobs-and-provisioning.json': jobsAndProvisioning(),
    'device-drill-down.json': deviceDrillDown(),
  };
}
